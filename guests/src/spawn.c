/* spawn: posix_spawn and posix_spawnp running this same program (/proc/self/exe) as the child.
 * File actions: addopen sends the child's stdout to a file, adddup2 puts a pipe's write end on
 * fd 7, addclose closes a descriptor the child would otherwise inherit; the child (argv[1] ==
 * "child") prints its argv and the SPAWN_VAR it was given, which descriptors it has, and writes
 * to fd 7; the parent reads the pipe and then the redirected file back. Attributes:
 * POSIX_SPAWN_SETSIGMASK, POSIX_SPAWN_SETSIGDEF (a parent's SIG_IGN reset to SIG_DFL, another
 * kept), POSIX_SPAWN_SETPGROUP (the child leads a new process group), POSIX_SPAWN_SETSID.
 * Failures: a missing program is reported by posix_spawn's return value (ENOENT), not by a
 * child exit; posix_spawnp searches PATH. No pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

static const char *disposition(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return sa.sa_handler == SIG_IGN ? "SIG_IGN" : sa.sa_handler == SIG_DFL ? "SIG_DFL" : "handler";
}

static int child(int argc, char **argv)
{
    printf("child argv:");
    for (int i = 0; i < argc; i++) printf(" [%s]", argv[i]);
    const char *v = getenv("SPAWN_VAR");
    printf("\nchild SPAWN_VAR: %s\n", v ? v : "(unset)");
    for (int fd = 3; fd <= 7; fd++) printf("child fd %d: %s\n", fd, fcntl(fd, F_GETFD) >= 0 ? "open" : strerrorname_np(errno));
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("child blocks SIGUSR1 %d SIGUSR2 %d\n", sigismember(&mask, SIGUSR1), sigismember(&mask, SIGUSR2));
    printf("child SIGTERM %s, SIGQUIT %s\n", disposition(SIGTERM), disposition(SIGQUIT));
    printf("child leads its process group %d, its session %d\n", getpgrp() == getpid(), getsid(0) == getpid());
    char msg[] = "message on fd 7\n";
    write(7, msg, strlen(msg));
    return 4;
}

static void show_status(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else printf("%s: signal %d\n", what, WTERMSIG(st));
}

static void cat(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) printf("  | %s", line);
    if (f) fclose(f);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child")) return child(argc, argv);

    int p[2];
    pipe(p); /* without O_CLOEXEC: the child would inherit both ends */
    int extra = open("data/poem.txt", O_RDONLY);
    printf("parent: pipe ends and an extra descriptor are fds %d %d %d\n", p[0], p[1], extra);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "tmp-spawn-out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, p[1], 7);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addclose(&fa, p[1]);
    posix_spawn_file_actions_addclose(&fa, extra);

    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t mask, def;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    sigemptyset(&def);
    sigaddset(&def, SIGTERM);
    posix_spawnattr_setsigmask(&at, &mask);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    signal(SIGTERM, SIG_IGN); /* reset in the child by SETSIGDEF */
    signal(SIGQUIT, SIG_IGN); /* kept: SIG_IGN survives exec */
    sigset_t block1;
    sigemptyset(&block1);
    sigaddset(&block1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block1, NULL); /* replaced in the child by SETSIGMASK */

    char *cargv[] = { "spawned", "child", "with space", "", NULL };
    char *cenv[] = { "SPAWN_VAR=from the parent", NULL };
    pid_t pid;
    int r = posix_spawn(&pid, "/proc/self/exe", &fa, &at, cargv, cenv);
    printf("posix_spawn: %s, pid positive %d\n", strerrorname_np(r) ? strerrorname_np(r) : "0", pid > 0);
    close(p[1]);
    char buf[128];
    ssize_t n, len = 0;
    while ((n = read(p[0], buf + len, sizeof buf - 1 - len)) > 0) len += n;
    printf("pipe from the child: %.*s", (int)len, buf);
    close(p[0]);
    int st;
    printf("waitpid returns the spawned pid: %d\n", waitpid(pid, &st, 0) == pid);
    show_status("spawned child", st);
    printf("redirected stdout of the child:\n");
    cat("tmp-spawn-out");
    unlink("tmp-spawn-out");
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    signal(SIGTERM, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &block1, NULL);

    /* a new session, stdout left as it is: the child prints while the parent waits */
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
    char *sargv[] = { "spawned-setsid", "child", NULL };
    r = posix_spawn(&pid, "/proc/self/exe", NULL, &at, sargv, environ);
    waitpid(pid, &st, 0);
    show_status("setsid child", st);
    posix_spawnattr_destroy(&at);
    close(extra);

    /* failures come back as the return value */
    pid = -1;
    r = posix_spawn(&pid, "data/no-such-program", NULL, NULL, cargv, cenv);
    printf("posix_spawn of a missing file: %s\n", strerrorname_np(r));
    r = posix_spawn(&pid, "data/poem.txt", NULL, NULL, cargv, cenv);
    printf("posix_spawn of a file without x permission: %s\n", strerrorname_np(r));
    printf("waitpid after the failures: %s\n", waitpid(-1, &st, WNOHANG) < 0 ? strerrorname_np(errno) : "a child");

    /* posix_spawnp: PATH search (no-such-dir is skipped) */
    setenv("PATH", "no-such-dir:bin", 1);
    char *pargv[] = { "spawn", "child", "found on PATH", NULL };
    r = posix_spawnp(&pid, "spawn", NULL, NULL, pargv, environ);
    /* The child prints to our stdout: report only once it has ended, so the order never varies. */
    if (r == 0) waitpid(pid, &st, 0);
    printf("posix_spawnp: %s\n", r ? strerrorname_np(r) : "0");
    if (r == 0) show_status("spawnp child", st);
    r = posix_spawnp(&pid, "no-such-program", NULL, NULL, pargv, environ);
    printf("posix_spawnp of a name on no PATH entry: %s\n", strerrorname_np(r));
    return 0;
}
