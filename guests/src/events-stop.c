/* events-stop: what a stop and SIGCONT do to a blocked wait, with no handler involved. Linux
 * never restarts epoll_wait: it returns EINTR after the stop, with or without a timeout, while a
 * ppoll (ERESTARTNOHAND) is restarted and goes on waiting. A child stops and continues its
 * parent while the parent waits, 2 ms of its clock apart, so the outcome depends on the parent
 * being blocked by then: run it with --deterministic (test/kernel/events-stop.test.ts); on a
 * quiet host it prints the same. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(int ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

/* A child that stops and continues its parent, then writes to fd (if ≥ 0) and exits. */
static pid_t stopper(int fd)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pause_ms(2);
        kill(getppid(), SIGSTOP);
        pause_ms(2);
        kill(getppid(), SIGCONT);
        if (fd >= 0) {
            pause_ms(2);
            write(fd, "x", 1);
        }
        _exit(0);
    }
    return child;
}

static void result(const char *what, int r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev;
    pid_t c = stopper(-1);
    result("epoll_wait for ever, stopped and continued", epoll_wait(ep, &ev, 1, -1));
    waitpid(c, NULL, 0);

    c = stopper(-1);
    result("epoll_wait 10 s, stopped and continued", epoll_wait(ep, &ev, 1, 10000));
    waitpid(c, NULL, 0);

    int p[2];
    pipe(p);
    c = stopper(p[1]);
    struct pollfd pf = { p[0], POLLIN, 0 };
    result("ppoll for ever, stopped and continued, then written to", ppoll(&pf, 1, NULL, NULL));
    waitpid(c, NULL, 0);
    return 0;
}
