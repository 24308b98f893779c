/* fork-pipe: fork and the ways a parent learns about its children. A child writes into a pipe
 * the parent reads to EOF; the child's copy of memory is its own (copy on write) and getppid()
 * names the parent. A descriptor opened before fork shares one file offset between parent and
 * child. Exit statuses: WEXITSTATUS (truncated to 8 bits), WIFSIGNALED/WTERMSIG for a child
 * killed by SIGKILL and one that called abort(). wait4 fills a struct rusage; WNOHANG returns 0
 * while the child lives; a dead child stays a zombie (kill(pid, 0) succeeds) until reaped, then
 * ESRCH; waitpid with no children left, or for a pid that is not a child, is ECHILD. Children
 * print only while the parent waits for them, so the order never varies. No pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by signal %d (%s)\n", what, WTERMSIG(st), strsignal(WTERMSIG(st)));
    else printf("%s: status %#x\n", what, st);
}

static int global = 1;

static void pipe_and_memory(void)
{
    int fds[2];
    pipe(fds);
    pid_t parent = getpid();
    int *heap = malloc(sizeof *heap);
    *heap = 10;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        close(fds[0]);
        global = 2;
        *heap = 20;
        char msg[128];
        int n = snprintf(msg, sizeof msg, "child: getppid is parent %d, own pid differs %d, global %d, heap %d\n",
                         getppid() == parent, getpid() != parent, global, *heap);
        write(fds[1], msg, n);
        _exit(3);
    }
    close(fds[1]);
    printf("fork returned a positive pid to the parent: %d\n", pid > 0);
    char buf[256];
    size_t len = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0) len += n;
    buf[len] = 0;
    printf("parent read %zu bytes to EOF: %s", len, buf);
    close(fds[0]);
    int st;
    pid_t w = waitpid(pid, &st, 0);
    printf("waitpid returned the child: %d\n", w == pid);
    describe("pipe child", st);
    printf("parent still sees global %d, heap %d\n", global, *heap);
    free(heap);
}

static void shared_offset(void)
{
    int fd = open("tmp-fork-offset", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "AAAA", 4);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        write(fd, "BBBBBB", 6);
        /* report the offset the child sees through its exit code */
        _exit((int)lseek(fd, 0, SEEK_CUR));
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child's offset after its write: %d\n", WEXITSTATUS(st));
    printf("parent's offset after the child's write: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    write(fd, "CC", 2);
    char buf[32] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    printf("file: \"%.*s\"\n", (int)n, buf);
    close(fd);
    unlink("tmp-fork-offset");
}

static void statuses(void)
{
    pid_t pid = fork_or_die();
    if (pid == 0) _exit(256 + 7);
    int st;
    waitpid(pid, &st, 0);
    describe("_exit(263)", st);

    pid = fork_or_die();
    if (pid == 0) exit(255);
    waitpid(pid, &st, 0);
    describe("exit(255)", st);

    /* a child blocked on a pipe nobody writes, killed by the parent */
    int fds[2];
    pipe(fds);
    pid = fork_or_die();
    if (pid == 0) {
        char c;
        close(fds[1]);
        read(fds[0], &c, 1);
        _exit(0);
    }
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    describe("SIGKILL", st);
    close(fds[1]);

    pid = fork_or_die();
    if (pid == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none); /* no core file in the working directory */
        abort();
    }
    waitpid(pid, &st, 0);
    describe("abort()", st);

    pid = fork_or_die();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    describe("raise(SIGTERM)", st);
}

static void wait_variants(void)
{
    /* wait4 with a rusage: every field it fills is checked against garbage */
    pid_t pid = fork_or_die();
    if (pid == 0) {
        volatile long x = 0;
        for (long i = 0; i < 100000; i++) x += i;
        _exit(x == 4999950000L ? 0 : 1);
    }
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    int st;
    pid_t w = wait4(pid, &st, 0, &ru);
    printf("wait4 returned the child: %d; ", w == pid);
    describe("worker", st);
    printf("rusage written: utime usec %d, stime usec %d, maxrss %d, nsignals %d\n",
           ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000, ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000,
           ru.ru_maxrss >= 0, ru.ru_nsignals == 0);

    /* WNOHANG while the child is alive, then the blocking wait */
    int fds[2];
    pipe(fds);
    pid = fork_or_die();
    if (pid == 0) {
        char c;
        close(fds[1]);
        ssize_t n = read(fds[0], &c, 1); /* 0 at EOF: the parent closed its end */
        _exit(n == 0 ? 4 : 5);
    }
    close(fds[0]);
    st = -1;
    w = waitpid(pid, &st, WNOHANG);
    printf("WNOHANG while alive: %d, status untouched %d\n", w, st == -1);
    close(fds[1]);
    w = waitpid(pid, &st, 0);
    printf("after closing the pipe: child reaped %d; ", w == pid);
    describe("reader", st);

    /* a zombie: dead (its pipe end closed at exit) but not reaped */
    pipe(fds);
    pid = fork_or_die();
    if (pid == 0) {
        close(fds[0]);
        _exit(6);
    }
    close(fds[1]);
    char c;
    printf("read from the dead child's pipe: %zd\n", read(fds[0], &c, 1));
    close(fds[0]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT); /* wait until it is a zombie, leave it one */
    printf("kill(zombie, 0): %d\n", kill(pid, 0));
    w = waitpid(pid, &st, 0);
    printf("reaped the zombie %d; ", w == pid);
    describe("zombie", st);
    int r = kill(pid, 0);
    printf("kill(reaped, 0): %d %s\n", r, strerror(errno));

    /* several children, collected by waitpid(-1) in whatever order they end */
    int seen = 0;
    for (int i = 0; i < 5; i++) {
        if (fork_or_die() == 0) _exit(10 + i);
    }
    for (int i = 0; i < 5; i++) {
        w = waitpid(-1, &st, 0);
        if (w > 0 && WIFEXITED(st)) seen |= 1 << (WEXITSTATUS(st) - 10);
    }
    printf("waitpid(-1) x5 collected exit codes 10..14: %s\n", seen == 0x1f ? "all" : "missing");

    errno = 0;
    w = waitpid(-1, &st, 0);
    printf("waitpid(-1) with no children: %d %s\n", w, strerror(errno));
    errno = 0;
    w = waitpid(-1, &st, WNOHANG);
    printf("waitpid(-1, WNOHANG) with no children: %d %s\n", w, strerror(errno));
    errno = 0;
    w = waitpid(getppid(), &st, 0);
    printf("waitpid(parent's pid): %d %s\n", w, strerror(errno));
}

static void child_prints(void)
{
    /* the child writes to the shared stdout while the parent is blocked in waitpid */
    pid_t pid = fork_or_die();
    if (pid == 0) {
        printf("child writes to the inherited stdout\n");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent writes after the child ended\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered is copied into the children */
    pipe_and_memory();
    shared_offset();
    statuses();
    wait_variants();
    child_prints();
    return 0;
}
