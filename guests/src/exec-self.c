/* exec-self: execve and what survives it, by re-running its own program (/proc/self/exe) in
 * stages. Stage 1: execve failures return to the caller with the process intact (ENOENT for a
 * missing file, EACCES for a file without execute permission and for a directory, ENOEXEC for an
 * executable text file without "#!", an empty one and a truncated ELF header). Stage 2 (new argv
 * and envp): descriptors without FD_CLOEXEC stay open with their file offsets, O_CLOEXEC,
 * FD_CLOEXEC and F_DUPFD_CLOEXEC ones are closed; caught signals are reset to SIG_DFL while
 * SIG_IGN stays; the signal mask and a pending blocked signal survive, and so does an alarm; the
 * pid does not change; AT_EXECFN is the path given to execve. Stage 3 is reached by execvp's PATH
 * search, stage 4 by fexecve on a descriptor (AT_EXECFN /dev/fd/N), stage 5 by execve from a
 * second thread while two others block: the new image runs with the thread id equal to the pid,
 * the mask of the thread that called execve, and the original pid. No pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/stat.h>

extern char **environ;

static void print_args(int argc, char **argv)
{
    printf("  argc %d:", argc);
    for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n  AT_EXECFN [%s]\n", (const char *)getauxval(AT_EXECFN));
}

static void check_pid(void)
{
    const char *old = getenv("OLDPID");
    printf("  pid unchanged %d, tid == pid %d\n", old && atol(old) == getpid(), gettid() == getpid());
}

static void try_exec(const char *what, const char *path)
{
    char *argv[] = { "never", NULL };
    errno = 0;
    int r = execve(path, argv, environ);
    printf("  execve %s: %d %s\n", what, r, strerrorname_np(errno));
}

static void make_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, data, len);
    close(fd);
    chmod(path, 0755); /* whatever the umask */
}

static void on_signal(int sig) { (void)sig; }

static volatile sig_atomic_t got_hup;
static void on_hup(int sig) { (void)sig; got_hup = 1; }

static const char *disposition(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    if (sa.sa_handler == SIG_DFL) return "SIG_DFL";
    if (sa.sa_handler == SIG_IGN) return "SIG_IGN";
    return "handler";
}

static void show_fd(int fd)
{
    errno = 0;
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) printf("  fd %d: %s\n", fd, strerrorname_np(errno));
    else printf("  fd %d: open, FD_CLOEXEC %d\n", fd, (flags & FD_CLOEXEC) != 0);
}

static int stage1(char **argv)
{
    (void)argv;
    printf("stage 1\n");
    try_exec("of a missing file", "data/no-such-program");
    try_exec("of a file without x permission", "data/poem.txt");
    try_exec("of a directory", "data");
    make_file("tmp-exec-text", "echo hello\n", 11);
    try_exec("of a text file without #!", "tmp-exec-text");
    make_file("tmp-exec-empty", "", 0);
    try_exec("of an empty file", "tmp-exec-empty");
    static const char elf_start[16] = "\177ELF";
    make_file("tmp-exec-elf", elf_start, sizeof elf_start);
    try_exec("of a truncated ELF header", "tmp-exec-elf");
    unlink("tmp-exec-text");
    unlink("tmp-exec-empty");
    unlink("tmp-exec-elf");

    /* descriptors at fixed numbers, some to be closed by the exec */
    int poem = open("data/poem.txt", O_RDONLY);
    char head[8];
    read(poem, head, 6);
    dup2(poem, 10);
    close(poem);
    int c = open("data/poem.txt", O_RDONLY | O_CLOEXEC);
    dup2(c, 11); /* dup2 clears FD_CLOEXEC on the copy... */
    close(c);
    fcntl(11, F_SETFD, FD_CLOEXEC); /* ...so set it again */
    c = open("data/poem.txt", O_RDONLY | O_CLOEXEC);
    dup3(c, 12, O_CLOEXEC);
    close(c);
    int p[2];
    pipe(p);
    dup2(p[1], 13);
    dup2(p[0], 14);
    close(p[0]);
    close(p[1]);
    int d = fcntl(10, F_DUPFD_CLOEXEC, 15);
    printf("  F_DUPFD_CLOEXEC gave fd %d\n", d);
    for (int fd = 10; fd <= 15; fd++) show_fd(fd);

    /* signal dispositions, mask and a pending signal */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGHUP);
    alarm(1000);
    printf("  SIGUSR1 %s, SIGINT %s, SIGUSR2 %s\n", disposition(SIGUSR1), disposition(SIGINT), disposition(SIGUSR2));

    char oldpid[32];
    snprintf(oldpid, sizeof oldpid, "OLDPID=%d", getpid());
    char *nargv[] = { "renamed-2", "stage2", "two words", "", NULL };
    char *nenv[] = { "STAGE=two", oldpid, "EMPTY=", "PATH=no-such-dir:bin", NULL };
    fflush(stdout);
    execve("/proc/self/exe", nargv, nenv);
    printf("  execve of /proc/self/exe failed: %s\n", strerrorname_np(errno));
    return 1;
}

static int stage2(int argc, char **argv)
{
    printf("stage 2\n");
    print_args(argc, argv);
    printf("  environment:");
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "OLDPID=", 7) != 0) printf(" [%s]", *e);
    printf("\n");
    check_pid();
    for (int fd = 10; fd <= 15; fd++) show_fd(fd);
    char buf[16] = "";
    ssize_t n = read(10, buf, 7);
    printf("  fd 10 continues at the shared offset: \"%.*s\"\n", (int)n, buf);
    write(13, "through the pipe", 16);
    n = read(14, buf, sizeof buf);
    printf("  pipe kept both ends: \"%.*s\"\n", (int)n, buf);

    printf("  SIGUSR1 %s, SIGINT %s, SIGUSR2 %s\n", disposition(SIGUSR1), disposition(SIGINT), disposition(SIGUSR2));
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    printf("  blocked: SIGHUP %d SIGWINCH %d SIGUSR1 %d; pending SIGHUP %d\n", sigismember(&mask, SIGHUP),
           sigismember(&mask, SIGWINCH), sigismember(&mask, SIGUSR1), sigismember(&pending, SIGHUP));
    unsigned left = alarm(0);
    printf("  alarm carried over: %d\n", left > 0 && left <= 1000);
    signal(SIGHUP, on_hup);
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &hup, NULL);
    printf("  pending SIGHUP delivered once unblocked: %d\n", got_hup);
    close(13);
    close(14);

    char *nargv[] = { "exec-self", "stage3", NULL };
    fflush(stdout);
    execvp("exec-self", nargv); /* PATH=no-such-dir:bin */
    printf("  execvp failed: %s\n", strerrorname_np(errno));
    return 1;
}

static int stage3(int argc, char **argv)
{
    printf("stage 3 (execvp)\n");
    print_args(argc, argv);
    check_pid();
    show_fd(10);
    int fd = open("/proc/self/exe", O_RDONLY);
    printf("  opened /proc/self/exe as fd %d\n", fd);
    char *nargv[] = { "exec-self", "stage4", NULL };
    fflush(stdout);
    fexecve(fd, nargv, environ);
    printf("  fexecve failed: %s\n", strerrorname_np(errno));
    return 1;
}

static int blocker[2];

static void *block_forever(void *arg)
{
    (void)arg;
    char c;
    read(blocker[0], &c, 1); /* nobody writes: only the exec ends this thread */
    return NULL;
}

static void *exec_from_thread(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* only this thread blocks SIGUSR2 */
    char *nargv[] = { "exec-self", "stage5", NULL };
    fflush(stdout);
    execve("/proc/self/exe", nargv, environ);
    printf("  execve from a thread failed: %s\n", strerrorname_np(errno));
    exit(1);
}

static int stage4(int argc, char **argv)
{
    printf("stage 4 (fexecve)\n");
    print_args(argc, argv);
    check_pid();
    show_fd(3);
    close(3);
    pipe(blocker);
    pthread_t t1, t2;
    pthread_create(&t1, NULL, block_forever, NULL);
    pthread_create(&t2, NULL, exec_from_thread, NULL);
    block_forever(NULL);
    printf("  main thread returned from its read\n");
    return 1;
}

static int stage5(int argc, char **argv)
{
    printf("stage 5 (execve from a second thread)\n");
    print_args(argc, argv);
    check_pid();
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("  mask of the calling thread: SIGUSR2 %d SIGWINCH %d\n", sigismember(&mask, SIGUSR2),
           sigismember(&mask, SIGWINCH));
    /* stage 4's blocking pipe was fds 3 and 4, without FD_CLOEXEC */
    show_fd(3);
    show_fd(4);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *stage = argc > 1 ? argv[1] : "";
    if (!strcmp(stage, "stage2")) return stage2(argc, argv);
    if (!strcmp(stage, "stage3")) return stage3(argc, argv);
    if (!strcmp(stage, "stage4")) return stage4(argc, argv);
    if (!strcmp(stage, "stage5")) return stage5(argc, argv);
    return stage1(argv);
}
