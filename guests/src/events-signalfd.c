/* events-signalfd: signalfd4 as Linux has it. Errors (sizemask, flags, EBADF, EINVAL for a
 * descriptor that is not a signalfd, reads shorter than one struct signalfd_siginfo); reads take
 * pending signals of the mask, fault-free ones by number, several per read when they fit, and
 * fill ssi_signo, ssi_code, ssi_pid, ssi_uid (raise: SI_TKILL, kill: SI_USER, sigqueue: SI_QUEUE
 * with ssi_int and ssi_ptr, SIGCHLD: CLD_EXITED with ssi_status); signals outside the mask stay
 * pending; a new mask through signalfd4 on the same fd; a blocking read ended by a child's kill;
 * poll and epoll readiness; the anon_inode link; whose signals a read takes: the reading thread's
 * own (a signal sent to another thread is not seen), and after fork the child's. Prints no pid or
 * uid, only comparisons. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

/* Reads up to n records and prints each: signal, code, whether pid/uid are the expected ones. */
static void take(const char *what, int fd, int n, pid_t pid)
{
    struct signalfd_siginfo si[4];
    memset(si, 0x55, sizeof si);
    long r = read(fd, si, n * sizeof si[0]);
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %ld\n", what, r);
    for (long i = 0; i < r / (long)sizeof si[0]; i++) {
        printf("  signo %u code %d errno %d pid %s uid %s int %d ptr %llu status %d\n", si[i].ssi_signo,
               si[i].ssi_code, si[i].ssi_errno, si[i].ssi_pid == (unsigned)pid ? "ok" : "WRONG",
               si[i].ssi_uid == getuid() ? "ok" : "WRONG", si[i].ssi_int, (unsigned long long)si[i].ssi_ptr,
               si[i].ssi_status);
    }
}

static int poll_in(int fd)
{
    struct pollfd pf = { fd, POLLIN, 0 };
    poll(&pf, 1, 0);
    return pf.revents;
}

static int thread_fd;
static sem_t go;
static long thread_read;

static void *reader(void *arg)
{
    (void)arg;
    sem_wait(&go);
    struct signalfd_siginfo si;
    thread_read = read(thread_fd, &si, sizeof si) == sizeof si ? (long)si.ssi_signo : -errno;
    return NULL;
}

/* A signal aimed at one thread is for that thread's reads only; a child reads its own. */
static void whose(int fd)
{
    thread_fd = fd;
    sem_init(&go, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, reader, NULL);
    pthread_kill(th, SIGUSR1);
    struct signalfd_siginfo si;
    result("main thread reads another thread's signal", read(fd, &si, sizeof si));
    printf("poll in the main thread %#x\n", poll_in(fd));
    sem_post(&go);
    pthread_join(th, NULL);
    printf("the thread's own read: signal %ld\n", thread_read);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        raise(SIGUSR2);
        _exit(read(fd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGUSR2 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("the child read its own signal: %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    result("the parent has none", read(fd, &si, sizeof si));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t mask, all;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGRTMIN);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sigfillset(&all);

    result("bad sizemask", syscall(SYS_signalfd4, -1, &mask, 4, 0));
    result("bad flags", syscall(SYS_signalfd4, -1, &mask, 8, 1));
    result("bad fd", syscall(SYS_signalfd4, 99, &mask, 8, 0));
    result("fd -2", syscall(SYS_signalfd4, -2, &mask, 8, 0));
    result("not a signalfd", syscall(SYS_signalfd4, 1, &mask, 8, 0));
    result("bad mask pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));

    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, SIGUSR1);
    sigaddset(&only, SIGUSR2);
    sigaddset(&only, SIGRTMIN);
    int fd = signalfd(-1, &only, SFD_NONBLOCK | SFD_CLOEXEC);
    char link[64] = "", proc[32];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    readlink(proc, link, sizeof link - 1);
    printf("link %s, status flags %#x, cloexec %d\n", link, fcntl(fd, F_GETFL) & ~0x8000, fcntl(fd, F_GETFD));
    char small[64];
    result("read 64 bytes", read(fd, small, sizeof small));
    take("nothing pending", fd, 1, 0);
    printf("poll idle %#x\n", poll_in(fd));

    pid_t me = getpid();
    raise(SIGUSR2);
    kill(me, SIGUSR1);
    printf("poll with two pending %#x\n", poll_in(fd));
    take("two at once, by number", fd, 4, me);
    union sigval val = { .sival_int = 42 };
    sigqueue(me, SIGRTMIN, val);
    sigqueue(me, SIGRTMIN, val);
    take("one sigqueue of two", fd, 1, me);
    take("the second", fd, 1, me);

    /* Signals outside the mask stay pending; a new mask takes them. */
    raise(SIGTERM);
    take("SIGTERM not in the mask", fd, 1, me);
    sigaddset(&only, SIGTERM);
    result("new mask", signalfd(fd, &only, 0));
    take("SIGTERM now", fd, 1, me);

    /* A child's exit, through its SIGCHLD. */
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    int cfd = signalfd(-1, &chld, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) _exit(3);
    take("SIGCHLD", cfd, 1, child);
    waitpid(child, NULL, 0);

    /* A blocking read a child's kill ends; epoll sees the signal first. */
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 77 }, out[1];
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    result("epoll idle", epoll_wait(ep, out, 1, 0));
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    int n = epoll_wait(ep, out, 1, -1);
    printf("epoll until the kill: %d [%#x %llu]\n", n, out[0].events, (unsigned long long)out[0].data.u64);
    take("the kill's signal", fd, 1, child);
    take("SIGCHLD of the killer", cfd, 1, child);
    waitpid(child, NULL, 0);

    int bfd = signalfd(-1, &only, 0);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    take("blocking read", bfd, 1, child);
    take("SIGCHLD of the second killer", cfd, 1, child);
    waitpid(child, NULL, 0);
    whose(fd);
    close(ep);
    close(bfd);
    close(cfd);
    close(fd);
    return 0;
}
