/* strace-style self-check of the event descriptors: epoll_create1, epoll_ctl, epoll_pwait,
 * epoll_pwait2, eventfd2, timerfd_create, timerfd_settime, timerfd_gettime, signalfd4, and a read
 * of an eventfd, with their flags, structures and errors. Prints the trace lines it expects (see
 * st-common.h); the same source under the host's strace checks them against the real thing.
 *   rvtrace trace -a0 -e trace=epoll_create1,epoll_ctl,epoll_pwait,epoll_pwait2,eventfd2,\
 *     timerfd_create,timerfd_settime,timerfd_gettime,signalfd4,read st-events */
#include "st-common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <time.h>

int main(void)
{
    long rc;
    int ep = (int)syscall(SYS_epoll_create1, O_CLOEXEC);
    expect("epoll_create1(EPOLL_CLOEXEC) = %d", ep);
    rc = syscall(SYS_epoll_create1, 1);
    expect("epoll_create1(0x1 /* EPOLL_??? */) = %s", sprintrc(rc));

    int efd = (int)syscall(SYS_eventfd2, 0, O_CLOEXEC);
    expect("eventfd2(0, EFD_CLOEXEC) = %d", efd);
    rc = syscall(SYS_eventfd2, 3, O_NONBLOCK | 1);
    int sem = (int)rc;
    expect("eventfd2(3, EFD_SEMAPHORE|EFD_NONBLOCK) = %s", sprintrc(rc));
    rc = syscall(SYS_eventfd2, 0, 2);
    expect("eventfd2(0, 0x2 /* EFD_??? */) = %s", sprintrc(rc));

    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)efd };
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, efd, &ev);
    expect("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN, data={u32=%d, u64=%d}}) = %s", ep, efd, efd, efd, sprintrc(rc));
    ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
    ev.data.u64 = 0x100000002ULL;
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, efd, &ev);
    expect("epoll_ctl(%d, EPOLL_CTL_MOD, %d, {events=EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET, data={u32=2, u64=4294967298}}) = %s",
           ep, efd, sprintrc(rc));
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 7;
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, sem, &ev);
    expect("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLONESHOT, data={u32=7, u64=7}}) = %s", ep, sem, sprintrc(rc));
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, sem, &ev);
    expect("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLONESHOT, data={u32=7, u64=7}}) = %s", ep, sem, sprintrc(rc));
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, efd, NULL);
    expect("epoll_ctl(%d, EPOLL_CTL_DEL, %d, NULL) = %s", ep, efd, sprintrc(rc));
    rc = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, efd, &ev);
    expect("epoll_ctl(%d, EPOLL_CTL_DEL, %d, %p) = %s", ep, efd, (void *)&ev, sprintrc(rc));
    rc = syscall(SYS_epoll_ctl, -1, EPOLL_CTL_DEL, efd, NULL);
    expect("epoll_ctl(-1, EPOLL_CTL_DEL, %d, NULL) = %s", efd, sprintrc(rc));

    struct epoll_event out[4];
    rc = syscall(SYS_epoll_pwait, ep, out, 4, 0, NULL, 8);
    expect("epoll_pwait(%d, [{events=EPOLLIN, data={u32=7, u64=7}}], 4, 0, NULL, 8) = %s", ep, sprintrc(rc));
    rc = syscall(SYS_epoll_pwait, ep, out, 4, 0, NULL, 8);
    expect("epoll_pwait(%d, [], 4, 0, NULL, 8) = %s", ep, sprintrc(rc));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    rc = syscall(SYS_epoll_pwait, ep, out, 4, 1, &mask, 8);
    expect("epoll_pwait(%d, [], 4, 1, [USR1], 8) = %s", ep, sprintrc(rc));
    rc = syscall(SYS_epoll_pwait, ep, out, 4, 0, &mask, 16);
    expect("epoll_pwait(%d, %p, 4, 0, %p, 16) = %s", ep, (void *)out, (void *)&mask, sprintrc(rc));
    struct timespec ts = { 0, 1000000 };
    rc = syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8);
    expect("epoll_pwait2(%d, [], 4, {tv_sec=0, tv_nsec=1000000}, NULL, 8) = %s", ep, sprintrc(rc));
    rc = syscall(SYS_epoll_pwait, ep, out, 0, 0, NULL, 8);
    expect("epoll_pwait(%d, %p, 0, 0, NULL, 8) = %s", ep, (void *)out, sprintrc(rc));

    uint64_t v = 5;
    rc = syscall(SYS_write, efd, &v, 8);
    rc = syscall(SYS_read, efd, &v, 8);
    expect("read(%d, \"\\5\\0\\0\\0\\0\\0\\0\\0\", 8) = %s", efd, sprintrc(rc));

    int tfd = (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, O_CLOEXEC | O_NONBLOCK);
    expect("timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = %d", tfd);
    rc = syscall(SYS_timerfd_create, CLOCK_REALTIME, 0);
    int rfd = (int)rc;
    expect("timerfd_create(CLOCK_REALTIME, 0) = %s", sprintrc(rc));
    struct { struct timespec interval, value; } its = { { 0, 0 }, { 100, 0 } }, old;
    rc = syscall(SYS_timerfd_settime, tfd, 0, &its, NULL);
    expect("timerfd_settime(%d, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}, NULL) = %s", tfd, sprintrc(rc));
    its.value.tv_sec = 0;
    its.interval.tv_nsec = 5;
    rc = syscall(SYS_timerfd_settime, tfd, 0, &its, &old);
    expect("timerfd_settime(%d, 0, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=0, tv_nsec=0}}, "
           "{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=%ld, tv_nsec=%ld}}) = %s",
           tfd, (long)old.value.tv_sec, old.value.tv_nsec, sprintrc(rc));
    rc = syscall(SYS_timerfd_gettime, tfd, &old);
    expect("timerfd_gettime(%d, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=0, tv_nsec=0}}) = %s", tfd, sprintrc(rc));
    its.value.tv_sec = 1;
    rc = syscall(SYS_timerfd_settime, rfd, 1, &its, NULL);
    expect("timerfd_settime(%d, TFD_TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=1, tv_nsec=0}}, NULL) = %s",
           rfd, sprintrc(rc));
    rc = syscall(SYS_timerfd_settime, efd, 0, &its, NULL);
    expect("timerfd_settime(%d, 0, {it_interval={tv_sec=0, tv_nsec=5}, it_value={tv_sec=1, tv_nsec=0}}, NULL) = %s", efd, sprintrc(rc));

    sigaddset(&mask, SIGTERM);
    rc = syscall(SYS_signalfd4, -1, &mask, 8, O_CLOEXEC | O_NONBLOCK);
    int sfd = (int)rc;
    expect("signalfd4(-1, [USR1 TERM], 8, SFD_CLOEXEC|SFD_NONBLOCK) = %s", sprintrc(rc));
    sigaddset(&mask, SIGRTMIN);
    rc = syscall(SYS_signalfd4, sfd, &mask, 8, 0);
    expect("signalfd4(%d, [USR1 TERM RT_2], 8, 0) = %s", sfd, sprintrc(rc));
    rc = syscall(SYS_signalfd4, -1, &mask, 4, 0);
    expect("signalfd4(-1, %p, 4, 0) = %s", (void *)&mask, sprintrc(rc));

    expect("+++ exited with 0 +++");
    st_emit();
    return 0;
}
