/* poll: waiting on descriptors with poll, ppoll, select and pselect (ppoll and pselect6 on
 * riscv64): readiness of pipe ends and regular files, POLLHUP after the last writer goes,
 * POLLERR on a write end without readers, POLLNVAL and ignored negative fds, timeouts (select
 * writes the time left back), EBADF from select, a signal ending an endless poll with EINTR even
 * under SA_RESTART, and the sigmask argument of ppoll and pselect: a blocked signal it lets
 * through ends the wait at once with EINTR, its handler runs, and the caller's mask is back. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/time.h>

static volatile sig_atomic_t got;

static void on_signal(int sig) { got = sig; }

static void result(const char *what, int r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static int usr1_blocked(void)
{
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, SIGUSR1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    pipe(p);
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    result("poll empty pipe", poll(pf, 2, 0));
    printf("  revents read end %#x write end %#x\n", pf[0].revents, pf[1].revents);
    write(p[1], "abc", 3);
    result("poll after write", poll(pf, 1, 100));
    printf("  revents %#x\n", pf[0].revents);

    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = { 0, 1000 };
    result("select readable", select(p[0] + 1, &rs, NULL, NULL, &tv));
    printf("  isset %d\n", FD_ISSET(p[0], &rs));
    char buf[8];
    read(p[0], buf, sizeof buf);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    result("select timeout", select(p[0] + 1, &rs, NULL, NULL, &tv));
    printf("  isset %d, time left %ld.%06ld\n", FD_ISSET(p[0], &rs), (long)tv.tv_sec, (long)tv.tv_usec);
    result("poll timeout", poll(pf, 1, 30));
    struct timespec ts = { 0, 10000000 };
    result("ppoll timeout", ppoll(pf, 1, &ts, NULL));
    printf("  time left %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);

    fd_set ws;
    int closed = dup(0);
    close(closed);
    FD_ZERO(&ws);
    FD_SET(closed, &ws);
    FD_SET(p[1], &ws);
    result("select with a closed fd", select(FD_SETSIZE, NULL, &ws, NULL, NULL));

    close(p[1]);
    result("poll after last writer", poll(pf, 1, 0));
    printf("  revents %#x\n", pf[0].revents);
    struct pollfd odd[3] = { { 1000, POLLIN, 0 }, { -1, POLLIN, 0 }, { p[0], 0, 0 } };
    result("poll bad and negative fds", poll(odd, 3, 0));
    printf("  revents %#x %#x %#x\n", odd[0].revents, odd[1].revents, odd[2].revents);
    close(p[0]);

    pipe(p);
    close(p[0]);
    struct pollfd w = { p[1], POLLOUT, 0 };
    result("poll write end without readers", poll(&w, 1, 0));
    printf("  revents %#x\n", w.revents);
    close(p[1]);

    int f = open("poll.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct pollfd ff = { f, POLLIN | POLLOUT | POLLPRI, 0 };
    result("poll regular file", poll(&ff, 1, -1));
    printf("  revents %#x\n", ff.revents);
    close(f);
    unlink("poll.tmp");

    /* An endless poll ended by SIGALRM: EINTR although signal() asks for SA_RESTART. */
    pipe(p);
    signal(SIGALRM, on_signal);
    struct itimerval it = { { 0, 0 }, { 0, 30000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    struct pollfd never = { p[0], POLLIN, 0 };
    result("endless poll and SIGALRM", poll(&never, 1, -1));
    printf("  handler saw %d\n", got);
    got = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    result("endless select and SIGALRM", select(p[0] + 1, &rs, NULL, NULL, NULL));
    printf("  handler saw %d\n", got);

    /* The sigmask argument: a pending blocked signal that it unblocks ends the wait. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);
    got = 0;
    raise(SIGUSR1);
    printf("raised while blocked: handler saw %d\n", got);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    result("ppoll with an empty mask", ppoll(&never, 1, &ts, &none));
    printf("  handler saw %d, SIGUSR1 blocked again %d\n", got, usr1_blocked());
    got = 0;
    raise(SIGUSR1);
    ts.tv_sec = 5;
    result("pselect with an empty mask", pselect(p[0] + 1, &rs, NULL, NULL, &ts, &none));
    printf("  handler saw %d, SIGUSR1 blocked again %d\n", got, usr1_blocked());
    ts.tv_sec = 0;
    ts.tv_nsec = 1000000;
    result("ppoll whose mask keeps SIGUSR1 blocked", ppoll(&never, 1, &ts, &block));
    printf("  SIGUSR1 blocked %d\n", usr1_blocked());
    return 0;
}
