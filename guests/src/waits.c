/* waits: blocking waits that test/kernel/waits.test.ts ends from outside:
 *   waits stdin        poll(stdin, POLLIN, -1), then reads what came: input arriving wakes poll
 *   waits poll-signal  an endless poll on an empty pipe, SIGUSR1 handled with SA_RESTART: EINTR
 *   waits sigwait      sigwaitinfo for a blocked SIGUSR1: the signal is taken, no handler runs
 *   waits alarm-exit   alarm(100), then exit at once: the timer must not keep rvtrace alive
 * "ready" means the guest is about to block. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) { (void)sig; handled++; }

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "stdin")) {
        struct pollfd p = { 0, POLLIN, 0 };
        printf("ready\n");
        int r = poll(&p, 1, -1);
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf);
        printf("poll: %d revents %#x, read %zd \"%.*s\"\n", r, p.revents, n, (int)(n > 0 ? n : 0), buf);
    } else if (!strcmp(mode, "poll-signal")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        int fds[2];
        pipe(fds);
        struct pollfd p = { fds[0], POLLIN, 0 };
        printf("ready\n");
        int r = poll(&p, 1, -1);
        printf("poll: %d %s, handled %d\n", r, r < 0 ? strerror(errno) : "", handled);
    } else if (!strcmp(mode, "sigwait")) {
        signal(SIGUSR1, on_usr1);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        siginfo_t si;
        printf("ready\n");
        int r = sigwaitinfo(&set, &si);
        printf("sigwaitinfo: %d code %d, handled %d\n", r, si.si_code, handled);
    } else if (!strcmp(mode, "alarm-exit")) {
        alarm(100);
        printf("alarm set\n");
    } else {
        fprintf(stderr, "usage: waits stdin|poll-signal|sigwait|alarm-exit\n");
        return 2;
    }
    return 0;
}
