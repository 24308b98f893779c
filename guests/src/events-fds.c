/* events-fds: eventfd2 and timerfd as Linux has them. eventfd: flags (EINVAL, O_NONBLOCK in
 * F_GETFL, FD_CLOEXEC), 8-byte reads and writes (EINVAL below), semaphore mode, EAGAIN at 0 and
 * at 0xfffffffffffffffe, a blocking read a child's write ends, a blocking write a read ends, a
 * read restarted under SA_RESTART, poll bits, edge-triggered epoll woken by each write. timerfd:
 * clocks and flags (EINVAL, EBADF, EINVAL for a non-timerfd), a disarmed timer's gettime, the old
 * value of settime, one-shot relative and absolute timers on CLOCK_MONOTONIC, CLOCK_REALTIME and
 * CLOCK_BOOTTIME, a periodic timer's expiry counts, disarming, EAGAIN, poll and epoll readiness.
 * All three: lseek (0), pread and pwrite (ESPIPE), FIONREAD. Times are compared, never printed;
 * counts are of waits that cannot race the clock. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long put(int fd, uint64_t v) { return write(fd, &v, 8); }

/* Reads a u64 and prints it with the call's result. */
static void take(const char *what, int fd)
{
    uint64_t v = 0;
    long r = read(fd, &v, 8);
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld, value %llu\n", what, r, (unsigned long long)v);
}

static int poll_bits(int fd)
{
    struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };
    poll(&pf, 1, 0);
    return pf.revents;
}

/* The /proc/self/fd link, which cannot be opened (ENXIO). */
static void link_of(int fd)
{
    char link[64] = "", proc[32];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    readlink(proc, link, sizeof link - 1);
    printf("link %s\n", link);
    result("  open it", open(proc, O_RDONLY));
}

static int efd_for_handler;
static void on_alarm(int sig) { (void)sig; put(efd_for_handler, 7); }

static void eventfds(void)
{
    result("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 4));
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    link_of(e);
    printf("cloexec %d, status flags %#x\n", fcntl(e, F_GETFD), fcntl(e, F_GETFL) & ~0x8000);
    struct stat st;
    fstat(e, &st);
    printf("fstat mode %o\n", st.st_mode);
    printf("poll bits %#x\n", poll_bits(e));
    char small[4];
    result("read 4 bytes", read(e, small, 4));
    result("write 4 bytes", write(e, small, 4));
    uint64_t big[2] = { 0, 0 };
    result("read 16 bytes", read(e, big, 16));
    printf("  value %llu\n", (unsigned long long)big[0]);
    take("read at 0", e);
    printf("poll bits at 0 %#x\n", poll_bits(e));
    result("write max", put(e, UINT64_MAX));
    result("write max-1", put(e, UINT64_MAX - 1));
    printf("poll bits at max-1 %#x\n", poll_bits(e));
    result("write 1 more", put(e, 1));
    result("write 0", put(e, 0));
    take("read at max-1", e);
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    take("semaphore 1", s);
    put(s, 5);
    take("semaphore 2", s);
    take("semaphore 3", s);
    close(s);

    /* Blocking: a read at 0 waits for a child's write; a write at the limit waits for a read
     * (of another eventfd, so that the outcome does not depend on who runs first). */
    int b = eventfd(0, 0), c = eventfd(0, 0);
    put(c, UINT64_MAX - 1);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        put(b, 42);
        nanosleep(&ts, NULL);
        uint64_t v;
        read(c, &v, 8);
        _exit(0);
    }
    take("blocking read", b);
    result("blocking write", put(c, 9));
    waitpid(child, NULL, 0);
    take("after the child's read", c);
    close(c);

    /* A read restarted after a handler (SA_RESTART); the handler's write ends it. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    efd_for_handler = b;
    struct itimerval it = { { 0, 0 }, { 0, 5000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    take("read across SA_RESTART", b);

    /* Edge-triggered epoll: every write wakes it, a read does not make it readable again. */
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 1 }, out[2];
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    result("epoll idle", epoll_wait(ep, out, 2, 0));
    put(b, 1);
    result("epoll after a write", epoll_wait(ep, out, 2, 0));
    result("epoll again", epoll_wait(ep, out, 2, 0));
    put(b, 1);
    result("epoll after a second write", epoll_wait(ep, out, 2, 0));
    put(b, 0);
    result("epoll after writing 0", epoll_wait(ep, out, 2, 0));
    close(ep);
    close(b);
}

static void show_spec(const char *what, const struct itimerspec *s, long want_value_ns)
{
    long v = s->it_value.tv_sec * 1000000000L + s->it_value.tv_nsec;
    int near = want_value_ns == 0 ? v == 0 : v > 0 && v <= want_value_ns && v > want_value_ns - 500000000L;
    printf("%s: interval %ld.%09ld, value %s\n", what, (long)s->it_interval.tv_sec, s->it_interval.tv_nsec,
           near ? "as expected" : "WRONG");
}

static void timerfds(void)
{
    result("create bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    result("create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    link_of(t);
    printf("status flags %#x, cloexec %d\n", fcntl(t, F_GETFL) & ~0x8000, fcntl(t, F_GETFD));
    struct itimerspec cur, old, set;
    timerfd_gettime(t, &cur);
    show_spec("disarmed", &cur, 0);
    take("read disarmed", t);
    char small[4];
    result("read 4 bytes", read(t, small, 4));
    memset(&set, 0, sizeof set);
    set.it_value.tv_nsec = 1000000000;
    result("settime bad nsec", timerfd_settime(t, 0, &set, NULL));
    set.it_value.tv_nsec = 0;
    set.it_value.tv_sec = 10;
    result("settime bad flags", timerfd_settime(t, 4, &set, NULL));
    result("settime bad fd", timerfd_settime(99, 0, &set, NULL));
    int e = eventfd(0, 0);
    result("settime on an eventfd", timerfd_settime(e, 0, &set, NULL));
    result("gettime on an eventfd", timerfd_gettime(e, &cur));
    close(e);
    set.it_interval.tv_sec = 5;
    result("settime 10 s every 5 s", timerfd_settime(t, 0, &set, &old));
    show_spec("  old", &old, 0);
    timerfd_gettime(t, &cur);
    show_spec("gettime", &cur, 10000000000L);
    memset(&set, 0, sizeof set);
    result("disarm", timerfd_settime(t, 0, &set, &old));
    show_spec("  old", &old, 10000000000L);
    printf("poll bits disarmed %#x\n", poll_bits(t));
    close(t);

    /* One-shot timers: relative, and absolute on each clock; a blocking read returns 1. */
    int clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
    const char *names[] = { "monotonic", "realtime", "boottime" };
    for (int i = 0; i < 3; i++) {
        int fd = timerfd_create(clocks[i], 0);
        memset(&set, 0, sizeof set);
        set.it_value.tv_nsec = 1000000;
        timerfd_settime(fd, 0, &set, NULL);
        char what[64];
        snprintf(what, sizeof what, "%s relative 1 ms", names[i]);
        take(what, fd);
        clock_gettime(clocks[i], &set.it_value);
        set.it_value.tv_nsec += 2000000;
        if (set.it_value.tv_nsec >= 1000000000) {
            set.it_value.tv_nsec -= 1000000000;
            set.it_value.tv_sec++;
        }
        timerfd_settime(fd, TFD_TIMER_ABSTIME, &set, NULL);
        snprintf(what, sizeof what, "%s absolute now+2 ms", names[i]);
        take(what, fd);
        timerfd_gettime(fd, &cur);
        show_spec("  expired one-shot", &cur, 0);
        close(fd);
    }

    /* Periodic: every read after the first expiry counts at least one; the sum reaches 5. */
    int p = timerfd_create(CLOCK_MONOTONIC, 0);
    memset(&set, 0, sizeof set);
    set.it_value.tv_nsec = 1000000;
    set.it_interval.tv_nsec = 1000000;
    timerfd_settime(p, 0, &set, NULL);
    uint64_t sum = 0, v;
    int reads = 0, zero = 0;
    while (sum < 5) {
        if (read(p, &v, 8) != 8 || v == 0) zero = 1;
        sum += v;
        reads++;
    }
    printf("periodic: sum reached 5 %d, no empty read %d\n", sum >= 5, !zero);
    timerfd_gettime(p, &cur);
    show_spec("periodic gettime", &cur, 1000000);

    /* Readiness: poll and epoll see an expiry; settime resets the count. */
    memset(&set, 0, sizeof set);
    set.it_value.tv_sec = 1;
    set.it_interval.tv_sec = 1;
    timerfd_settime(p, 0, &set, NULL);
    printf("poll bits before expiry %#x\n", poll_bits(p));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 9 }, out[1];
    epoll_ctl(ep, EPOLL_CTL_ADD, p, &ev);
    memset(&set, 0, sizeof set);
    set.it_value.tv_nsec = 1000000;
    set.it_interval.tv_sec = 100;
    timerfd_settime(p, 0, &set, NULL);
    int n = epoll_wait(ep, out, 1, -1);
    printf("epoll until expiry: %d [%#x %llu]\n", n, out[0].events, (unsigned long long)out[0].data.u64);
    printf("poll bits after expiry %#x\n", poll_bits(p));
    set.it_value.tv_sec = 10;
    timerfd_settime(p, 0, &set, NULL);
    printf("poll bits after settime %#x\n", poll_bits(p));
    set.it_value.tv_sec = 0;
    timerfd_settime(p, 0, &set, NULL);
    take("read after re-arming", p);
    close(ep);
    close(p);
}

/* What the anonymous files share: lseek succeeds and stays at 0 (noop_llseek), positional I/O is
 * ESPIPE, FIONREAD is ENOTTY (EINVAL from an epoll, whose ioctl knows two commands). */
static void common(void)
{
    int fds[3] = { epoll_create1(0), eventfd(1, EFD_NONBLOCK), timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK) };
    const char *names[3] = { "epoll", "eventfd", "timerfd" };
    for (int i = 0; i < 3; i++) {
        uint64_t v = 1;
        int n;
        char what[64];
        snprintf(what, sizeof what, "%s lseek 5 SEEK_CUR", names[i]);
        result(what, lseek(fds[i], 5, SEEK_CUR));
        snprintf(what, sizeof what, "%s lseek bad whence", names[i]);
        result(what, lseek(fds[i], 0, 9));
        snprintf(what, sizeof what, "%s pread", names[i]);
        result(what, pread(fds[i], &v, 8, 0));
        snprintf(what, sizeof what, "%s pwrite", names[i]);
        result(what, pwrite(fds[i], &v, 8, 0));
        snprintf(what, sizeof what, "%s FIONREAD", names[i]);
        result(what, ioctl(fds[i], FIONREAD, &n));
        close(fds[i]);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    common();
    eventfds();
    timerfds();
    return 0;
}
