/* events-epoll: epoll_create1, epoll_ctl, epoll_pwait and epoll_pwait2 as Linux has them.
 * Errors in the kernel's order (EBADF, EPERM for regular files, directories and /dev/null,
 * EINVAL, EEXIST, ENOENT, ELOOP for cycles and for chains deeper than 5 epolls, EPOLLEXCLUSIVE's
 * rules); level-triggered items reported while ready and in ready-list order (maxevents 1 takes
 * turns), edge-triggered ones once per wake-up (every pipe write wakes), one-shot ones until
 * EPOLL_CTL_MOD; EPOLLOUT of a full pipe, EPOLLHUP and EPOLLERR of widowed pipe ends; items of
 * closed files vanish (but not while a dup holds the file); an epoll inside an epoll, and poll()
 * on an epoll; timeouts; the sigmask argument (a pending signal it unblocks: EINTR, handler run,
 * mask back) and EINTR under SA_RESTART (epoll_wait is never restarted); the anon_inode link. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int ctl(int ep, int op, int fd, unsigned events, unsigned long data)
{
    struct epoll_event ev = { .events = events, .data.u64 = data };
    return epoll_ctl(ep, op, fd, &ev);
}

/* Waits up to ms and prints what came: "n: [events data] ...". */
static void wait_show(const char *what, int ep, int max, int ms)
{
    struct epoll_event evs[8];
    int n = epoll_wait(ep, evs, max, ms);
    if (n < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) printf(" [%#x %llu]", evs[i].events, (unsigned long long)evs[i].data.u64);
    printf("\n");
}

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

static void errors(void)
{
    int ep = epoll_create1(0);
    int p[2];
    pipe(p);
    int reg = open("data/poem.txt", O_RDONLY);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    int null = open("/dev/null", O_RDONLY);
    int path = open(".", O_PATH);
    result("create1 bad flags", epoll_create1(1));
    result("ctl bad epfd", ctl(-1, EPOLL_CTL_ADD, p[0], EPOLLIN, 0));
    result("ctl bad fd", ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN, 0));
    result("ctl bad epfd and regular file", ctl(99, EPOLL_CTL_ADD, reg, EPOLLIN, 0));
    result("ctl regular file", ctl(ep, EPOLL_CTL_ADD, reg, EPOLLIN, 0));
    result("ctl directory", ctl(ep, EPOLL_CTL_ADD, dir, EPOLLIN, 0));
    result("ctl /dev/null", ctl(ep, EPOLL_CTL_ADD, null, EPOLLIN, 0));
    result("ctl O_PATH fd", ctl(ep, EPOLL_CTL_ADD, path, EPOLLIN, 0));
    result("ctl pipe as epfd, regular file", ctl(p[0], EPOLL_CTL_ADD, reg, EPOLLIN, 0));
    result("ctl pipe as epfd", ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0));
    result("ctl epoll on itself", ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0));
    result("ctl bad op", ctl(ep, 7, p[0], EPOLLIN, 0));
    result("ctl MOD not added", ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0));
    result("ctl DEL not added", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    result("ctl ADD", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
    result("ctl ADD again", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
    result("ctl bad event pointer", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], (struct epoll_event *)8));
    result("ctl DEL with NULL", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    result("ctl EXCLUSIVE|ONESHOT", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0));
    result("ctl EXCLUSIVE", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 0));
    result("ctl MOD of EXCLUSIVE", ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0));
    result("ctl MOD to EXCLUSIVE", ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLIN | EPOLLEXCLUSIVE, 0));
    int ep2 = epoll_create1(0);
    result("ctl EXCLUSIVE on an epoll", ctl(ep, EPOLL_CTL_ADD, ep2, EPOLLIN | EPOLLEXCLUSIVE, 0));
    result("ctl add epoll", ctl(ep, EPOLL_CTL_ADD, ep2, EPOLLIN, 0));
    result("ctl cycle", ctl(ep2, EPOLL_CTL_ADD, ep, EPOLLIN, 0));

    struct epoll_event evs[2];
    result("wait maxevents 0", epoll_wait(ep, evs, 0, 0));
    result("wait maxevents 0, bad fd", epoll_wait(99, evs, 0, 0));
    result("wait bad fd", epoll_wait(99, evs, 1, 0));
    result("wait on a pipe", epoll_wait(p[0], evs, 1, 0));
    result("wait nothing ready", epoll_wait(ep, evs, 2, 0));
    struct timespec bad = { 0, 1000000000 };
    result("pwait2 bad timeout", syscall(SYS_epoll_pwait2, ep, evs, 2, &bad, NULL, 8));
    result("pwait bad sigsetsize", syscall(SYS_epoll_pwait, ep, evs, 2, 0, &bad, 4));
    close(ep2);
    close(ep);
    close(p[0]);
    close(p[1]);
    close(reg);
    close(dir);
    close(null);
    close(path);
}

static void nesting(void)
{
    int eps[7];
    for (int i = 0; i < 7; i++) eps[i] = epoll_create1(0);
    char what[64];
    /* A chain: eps[0] watches eps[1], which watches eps[2], ... until Linux says ELOOP. */
    for (int i = 0; i < 6; i++) {
        snprintf(what, sizeof what, "chain %d watches %d", i, i + 1);
        result(what, ctl(eps[i], EPOLL_CTL_ADD, eps[i + 1], EPOLLIN, 0));
    }
    result("cycle through the chain", ctl(eps[3], EPOLL_CTL_ADD, eps[0], EPOLLIN, 0));
    for (int i = 0; i < 7; i++) close(eps[i]);
}

static void triggers(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("cloexec flag %d, status flags %#x\n", fcntl(ep, F_GETFD), fcntl(ep, F_GETFL) & ~0x8000 /* O_LARGEFILE */);
    struct stat st;
    fstat(ep, &st);
    printf("fstat mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
    char link[64] = "";
    char proc[32];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", ep);
    readlink(proc, link, sizeof link - 1);
    printf("link %s\n", link);

    int a[2], b[2], c[2];
    pipe(a);
    pipe(b);
    pipe(c);
    ctl(ep, EPOLL_CTL_ADD, a[0], EPOLLIN, 10);
    ctl(ep, EPOLL_CTL_ADD, b[0], EPOLLIN | EPOLLET, 20);
    ctl(ep, EPOLL_CTL_ADD, c[0], EPOLLIN | EPOLLONESHOT, 30);
    wait_show("nothing written", ep, 8, 0);
    write(c[1], "x", 1);
    write(a[1], "x", 1);
    write(b[1], "x", 1);
    wait_show("all three, in the order written", ep, 8, 0);
    wait_show("level-triggered again", ep, 8, 0);
    write(b[1], "y", 1);
    wait_show("a write to a non-empty pipe wakes edge-triggered", ep, 8, 0);
    char buf[16];
    read(b[0], buf, 1);
    wait_show("a read does not", ep, 8, 0);
    result("rearm one-shot", ctl(ep, EPOLL_CTL_MOD, c[0], EPOLLIN | EPOLLONESHOT, 31));
    wait_show("one-shot again, new data", ep, 8, 0);
    read(a[0], buf, sizeof buf);
    read(b[0], buf, sizeof buf);
    read(c[0], buf, sizeof buf);
    wait_show("all read", ep, 8, 0);

    /* Level-triggered items take turns when maxevents is 1. */
    write(a[1], "x", 1);
    ctl(ep, EPOLL_CTL_MOD, b[0], EPOLLIN, 20);
    write(b[1], "x", 1);
    wait_show("turn 1", ep, 1, 0);
    wait_show("turn 2", ep, 1, 0);
    wait_show("turn 3", ep, 1, 0);
    read(a[0], buf, sizeof buf);
    read(b[0], buf, sizeof buf);

    /* EPOLLOUT of a write end: not while full, again once a page is free. */
    int w = epoll_create1(0);
    ctl(w, EPOLL_CTL_ADD, a[1], EPOLLOUT, 40);
    wait_show("empty pipe writable", w, 8, 0);
    fcntl(a[1], F_SETFL, O_NONBLOCK);
    static char big[4096];
    long total = 0, n;
    while ((n = write(a[1], big, sizeof big)) > 0) total += n;
    printf("filled %ld\n", total);
    wait_show("full pipe", w, 8, 0);
    read(a[0], big, sizeof big);
    wait_show("a page read", w, 8, 0);

    /* Widowed ends: HUP for the reader (with the data), ERR for the writer. */
    close(b[1]);
    write(c[1], "z", 1);
    close(c[1]);
    ctl(ep, EPOLL_CTL_MOD, c[0], EPOLLIN, 30);
    wait_show("writers gone", ep, 8, 0);
    close(a[0]);
    wait_show("reader gone", w, 8, 0);

    /* A closed file's item vanishes; a dup keeps it (reported under the old fd's data). */
    close(b[0]);
    int d = dup(c[0]);
    close(c[0]);
    wait_show("after close and dup", ep, 8, 0);
    close(d);
    wait_show("after the dup's close", ep, 8, 0);
    result("DEL of a closed fd", epoll_ctl(ep, EPOLL_CTL_DEL, c[0], NULL));
    close(a[1]);
    close(w);
    close(ep);
}

static void nested(void)
{
    int outer = epoll_create1(0), inner = epoll_create1(0);
    int p[2];
    pipe(p);
    ctl(inner, EPOLL_CTL_ADD, p[0], EPOLLIN, 5);
    ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 6);
    struct pollfd pf = { inner, POLLIN, 0 };
    int n = poll(&pf, 1, 0);
    printf("poll on idle epoll: %d %#x\n", n, pf.revents);
    wait_show("outer idle", outer, 8, 0);
    write(p[1], "x", 1);
    n = poll(&pf, 1, 0);
    printf("poll on ready epoll: %d %#x\n", n, pf.revents);
    wait_show("outer", outer, 8, 0);
    wait_show("inner", inner, 8, 0);
    char c;
    read(p[0], &c, 1);
    wait_show("outer after the read", outer, 8, 0);

    /* A blocked wait ended by a child's write into the pipe. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        write(p[1], "y", 1);
        _exit(0);
    }
    wait_show("outer, blocked until a child writes", outer, 8, -1);
    waitpid(child, NULL, 0);
    close(p[0]);
    close(p[1]);
    close(inner);
    close(outer);
}

static void timeouts_and_signals(void)
{
    int ep = epoll_create1(0);
    struct epoll_event ev;
    result("wait 5 ms", epoll_wait(ep, &ev, 1, 5));
    struct timespec ts = { 0, 3000000 };
    result("pwait2 3 ms", syscall(SYS_epoll_pwait2, ep, &ev, 1, &ts, NULL, 8));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, none, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    got = 0;
    result("pwait letting a pending signal in", epoll_pwait(ep, &ev, 1, -1, &none));
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("  handler ran %d, SIGUSR1 blocked again %d\n", got == SIGUSR1, sigismember(&cur, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);

    /* SIGALRM is blocked until the wait lets it in, so it cannot come before the wait begins. */
    got = 0;
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    struct itimerval it = { { 0, 0 }, { 0, 10000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    result("endless wait and SIGALRM under SA_RESTART", epoll_pwait(ep, &ev, 1, -1, &none));
    printf("  handler ran %d\n", got == SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    close(ep);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    errors();
    nesting();
    triggers();
    nested();
    timeouts_and_signals();
    return 0;
}
