/* alarm: interval timers and waiting for signals. alarm() and pause(); setitimer and getitimer
 * (one-shot and periodic ITIMER_REAL, the time left, disarming); sigsuspend, whose mask holds
 * only while it waits; sigtimedwait and sigwaitinfo, which take a blocked signal without its
 * handler (si_code of raise, sigqueue with its si_value, and a timer), or time out with EAGAIN;
 * sigqueue's si_value in an SA_SIGINFO handler; and at the end a SIGALRM without a handler, which kills the program (status 128+14). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>

static volatile sig_atomic_t got, count;

static void on_signal(int sig) { got = sig; count++; }

static volatile sig_atomic_t info_value, info_code;

static void on_siginfo(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got = sig;
    info_value = si->si_value.sival_int;
    info_code = si->si_code;
}

static void result(const char *what, int r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static int blocked(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, sig);
}

static void arm(long usec, long interval)
{
    struct itimerval it = { { 0, interval }, { 0, usec } };
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGALRM, on_signal);
    result("alarm(10)", alarm(10));
    result("alarm(0), the seconds that were left", alarm(0));

    struct itimerval it = { { 0, 0 }, { 5, 0 } }, old;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &old);
    printf("getitimer: value %ld s (and some), interval %ld.%06ld\n", (long)old.it_value.tv_sec,
           (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, &old);
    printf("disarmed; it had %ld s left\n", (long)old.it_value.tv_sec);
    getitimer(ITIMER_REAL, &old);
    printf("getitimer after: %ld.%06ld\n", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);

    arm(30000, 0);
    result("pause until SIGALRM", pause());
    printf("  handler saw %d\n", got);

    count = 0;
    arm(20000, 20000);
    while (count < 3) pause();
    arm(0, 0);
    printf("periodic timer fired %d times\n", count);

    /* sigsuspend: SIGUSR1 blocked and pending; the empty mask lets it in for the handler. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1, alrm, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    got = 0;
    raise(SIGUSR1);
    result("sigsuspend with SIGUSR1 pending", sigsuspend(&none));
    printf("  handler saw %d, SIGUSR1 blocked again %d\n", got, blocked(SIGUSR1));
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    got = 0;
    arm(30000, 0);
    result("sigsuspend until SIGALRM", sigsuspend(&usr1));
    printf("  handler saw %d, SIGALRM blocked again %d, SIGUSR1 still blocked %d\n", got, blocked(SIGALRM), blocked(SIGUSR1));

    /* sigtimedwait and sigwaitinfo: the signal is taken, no handler runs. */
    siginfo_t si;
    got = 0;
    raise(SIGUSR1);
    struct timespec zero = { 0, 0 }, short_wait = { 0, 30000000 };
    result("sigtimedwait, SIGUSR1 pending", sigtimedwait(&usr1, &si, &zero));
    printf("  si_signo %d si_code %d, handler saw %d\n", si.si_signo, si.si_code, got);
    result("sigtimedwait, nothing pending", sigtimedwait(&usr1, &si, &short_wait));
    union sigval v = { .sival_int = 77 };
    sigqueue(getpid(), SIGUSR1, v);
    result("sigwaitinfo after sigqueue", sigwaitinfo(&usr1, &si));
    printf("  si_code %d si_value %d pid is ours %d\n", si.si_code, si.si_value.sival_int, si.si_pid == getpid());
    arm(30000, 0);
    result("sigwaitinfo for the timer", sigwaitinfo(&alrm, &si));
    printf("  si_code %d, handler saw %d\n", si.si_code, got);

    /* sigqueue's value reaches an SA_SIGINFO handler too. */
    struct sigaction info_sa;
    memset(&info_sa, 0, sizeof info_sa);
    info_sa.sa_sigaction = on_siginfo;
    info_sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &info_sa, NULL);
    union sigval v2 = { .sival_int = 1234 };
    sigqueue(getpid(), SIGUSR2, v2);
    printf("SA_SIGINFO handler after sigqueue: saw %d, si_code %d, si_value %d\n", got, info_code, info_value);

    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    signal(SIGALRM, SIG_DFL);
    arm(20000, 0);
    pause();
    printf("not reached\n");
    return 0;
}
