/* clone-flags: the clone flags one at a time, through glibc's clone() and the raw clone3
 * syscall. CLONE_VM shares memory (the parent sees the child's store), CLONE_FILES the
 * descriptor table (a file the child opens is open in the parent, one it closes is closed),
 * CLONE_FS the working directory and umask, CLONE_SIGHAND (with CLONE_VM) the signal
 * dispositions, CLONE_VFORK suspends the parent until the child exits. CLONE_PARENT_SETTID,
 * CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID store the tid and clear it with a futex wake at
 * exit. An exit signal other than SIGCHLD makes a "clone child" that waitpid only sees with
 * __WCLONE or __WALL, and that signal reaches the parent. CLONE_PARENT gives the grandchild the
 * caller's parent. Invalid combinations are EINVAL. clone3 with exit_signal SIGCHLD behaves like
 * fork and checks its size argument. No pid or tid number is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STACK_SIZE (256 * 1024)

static char *stack_top(void)
{
    char *s = malloc(STACK_SIZE);
    return s + STACK_SIZE; /* stacks grow down on both riscv64 and x86_64 */
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("  %s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("  %s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else printf("  %s: status %#x\n", what, st);
}

static volatile int shared_value;
static pid_t parent_pid;

static int store_value(void *arg)
{
    shared_value = (int)(long)arg;
    return getppid() == parent_pid ? 0 : 1;
}

static int open_and_close(void *arg)
{
    int victim = (int)(long)arg;
    int fd = open("data/poem.txt", O_RDONLY); /* opened first, so it cannot reuse victim's number */
    close(victim);
    return fd; /* the descriptor number is the exit code */
}

static int change_fs(void *arg)
{
    (void)arg;
    umask(077);
    return chdir("data") == 0 ? 0 : 1;
}

static volatile sig_atomic_t usr1_count;
static void on_usr1(int sig) { (void)sig; usr1_count++; }

static int set_handler(void *arg)
{
    (void)arg;
    signal(SIGUSR2, on_usr1);
    return 0;
}

static int just_exit(void *arg) { return (int)(long)arg; }

static int grandparent_child(void *arg)
{
    /* makes a sibling (CLONE_PARENT) that the top process must reap, and exits */
    int fd = (int)(long)arg;
    pid_t sib = clone(just_exit, stack_top(), CLONE_PARENT | SIGCHLD, (void *)17L);
    write(fd, &sib, sizeof sib);
    return 0;
}

static void flags(void)
{
    int st;
    parent_pid = getpid();

    printf("CLONE_VM:\n");
    shared_value = 0;
    pid_t pid = clone(store_value, stack_top(), CLONE_VM | SIGCHLD, (void *)41L);
    waitpid(pid, &st, 0);
    printf("  the parent sees the child's store: %d\n", shared_value);
    describe("child (0 when getppid is the parent)", st);
    shared_value = 0;
    pid = clone(store_value, stack_top(), SIGCHLD, (void *)42L);
    waitpid(pid, &st, 0);
    printf("  without CLONE_VM the store stays in the child: %d\n", shared_value);

    printf("CLONE_FILES:\n");
    int victim = open("data/poem.txt", O_RDONLY);
    pid = clone(open_and_close, stack_top(), CLONE_FILES | SIGCHLD, (void *)(long)victim);
    waitpid(pid, &st, 0);
    int opened = WEXITSTATUS(st);
    printf("  the child's close reached the parent: %d, its open too: %d\n", fcntl(victim, F_GETFD) < 0,
           fcntl(opened, F_GETFD) >= 0);
    close(opened);
    victim = open("data/poem.txt", O_RDONLY);
    pid = clone(open_and_close, stack_top(), SIGCHLD, (void *)(long)victim);
    waitpid(pid, &st, 0);
    opened = WEXITSTATUS(st);
    printf("  without it: the parent's fd stays open %d, the child's is not open here %d\n", fcntl(victim, F_GETFD) >= 0,
           fcntl(opened, F_GETFD) < 0);
    close(victim);

    printf("CLONE_FS:\n");
    char before[4096], after[4096];
    getcwd(before, sizeof before);
    pid = clone(change_fs, stack_top(), CLONE_FS | SIGCHLD, NULL);
    waitpid(pid, &st, 0);
    getcwd(after, sizeof after);
    size_t n = strlen(after);
    mode_t old = umask(022);
    printf("  the parent's cwd moved into data: %d, umask became %03o\n", n > 5 && !strcmp(after + n - 5, "/data"),
           (unsigned)old);
    chdir(before);
    pid = clone(change_fs, stack_top(), SIGCHLD, NULL);
    waitpid(pid, &st, 0);
    getcwd(after, sizeof after);
    old = umask(022);
    printf("  without it: cwd unchanged %d, umask %03o\n", !strcmp(before, after), (unsigned)old);

    printf("CLONE_SIGHAND:\n");
    signal(SIGUSR2, SIG_DFL);
    pid = clone(set_handler, stack_top(), CLONE_VM | CLONE_SIGHAND | SIGCHLD, NULL);
    waitpid(pid, &st, 0);
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    printf("  the child's handler is installed in the parent: %d\n", sa.sa_handler == on_usr1);
    signal(SIGUSR2, SIG_DFL);

    printf("CLONE_VFORK:\n");
    shared_value = 0;
    pid = clone(store_value, stack_top(), CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)43L);
    printf("  the child has run to its end when clone returns: %d\n", shared_value);
    waitpid(pid, &st, 0);

    printf("CLONE_PARENT_SETTID, CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID:\n");
    static pid_t ptid, ctid;
    ptid = ctid = -1;
    pid = clone(just_exit, stack_top(), CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
                (void *)0L, &ptid, NULL, &ctid);
    printf("  parent's tid slot holds the child's id: %d\n", ptid == pid);
    /* ctid is the child's id until it exits, then 0 and a futex wake: what pthread_join waits on */
    pid_t seen;
    while ((seen = __atomic_load_n(&ctid, __ATOMIC_SEQ_CST)) != 0) syscall(SYS_futex, &ctid, FUTEX_WAIT, seen, NULL, NULL, 0);
    printf("  child's tid slot cleared at its exit: %d\n", ctid == 0);
    waitpid(pid, &st, 0);

    printf("exit signal SIGUSR1 instead of SIGCHLD:\n");
    signal(SIGUSR1, on_usr1);
    usr1_count = 0;
    pid = clone(just_exit, stack_top(), SIGUSR1, (void *)5L);
    errno = 0;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    waitid(P_PID, pid, &si, WEXITED | WNOWAIT | __WCLONE); /* until it has exited */
    pid_t w = waitpid(pid, &st, 0);
    printf("  waitpid without __WCLONE: %s\n", w < 0 ? strerrorname_np(errno) : "found it");
    w = waitpid(pid, &st, __WCLONE);
    printf("  waitpid with __WCLONE: found it %d\n", w == pid);
    describe("clone child", st);
    printf("  SIGUSR1 handler ran: %d\n", usr1_count);
    pid = clone(just_exit, stack_top(), 0, (void *)6L);
    w = waitpid(pid, &st, __WALL);
    printf("  exit signal 0, waitpid with __WALL: found it %d\n", w == pid);
    describe("clone child", st);
    signal(SIGUSR1, SIG_DFL);

    printf("CLONE_PARENT:\n");
    int p[2];
    pipe(p);
    pid = clone(grandparent_child, stack_top(), SIGCHLD, (void *)(long)p[1]);
    pid_t sib;
    read(p[0], &sib, sizeof sib);
    waitpid(pid, &st, 0);
    w = waitpid(sib, &st, 0);
    printf("  the caller's sibling is our child: %d\n", w == sib && sib > 0);
    describe("sibling", st);
    close(p[0]);
    close(p[1]);
}

static void invalid(void)
{
    printf("invalid combinations (raw clone):\n");
    static const struct { const char *name; unsigned long flags; } bad[] = {
        { "CLONE_SIGHAND without CLONE_VM", CLONE_SIGHAND | SIGCHLD },
        { "CLONE_THREAD without CLONE_SIGHAND", CLONE_VM | CLONE_THREAD },
        { "CLONE_NEWNS with CLONE_FS", CLONE_NEWNS | CLONE_FS | SIGCHLD },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        long r = syscall(SYS_clone, bad[i].flags, 0, NULL, NULL, 0);
        if (r == 0) _exit(0); /* not expected: the child leaves at once */
        printf("  %s: %s\n", bad[i].name, r < 0 ? strerrorname_np(errno) : "created a process");
        if (r > 0) waitpid((pid_t)r, NULL, __WALL);
    }
}

static void clone3_calls(void)
{
    printf("clone3:\n");
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    long r = syscall(SYS_clone3, &args, sizeof args);
    if (r == 0) _exit(8);
    if (r < 0) {
        printf("  clone3 like fork: %s\n", strerrorname_np(errno));
    } else {
        int st;
        pid_t w = waitpid((pid_t)r, &st, 0);
        printf("  clone3 like fork: child found %d\n", w == r);
        describe("child", st);
    }
    errno = 0;
    r = syscall(SYS_clone3, &args, 8); /* smaller than the first published struct */
    printf("  clone3 with a size of 8: %ld %s\n", r, strerrorname_np(errno));
    errno = 0;
    args.exit_signal = 200; /* not a signal */
    r = syscall(SYS_clone3, &args, sizeof args);
    printf("  clone3 with exit_signal 200: %ld %s\n", r, strerrorname_np(errno));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    flags();
    invalid();
    clone3_calls();
    return 0;
}
