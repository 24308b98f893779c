/* system-popen: system() and popen(), which run their command with /bin/sh -c. The commands use
 * only what every POSIX shell has (echo, printf, read, exit, kill, $?), so the output is the same
 * whichever sh runs them: the host's, or busybox's under rvtrace (test/shells-live.test.ts mounts
 * it at /bin/sh). Shows: system's wait status for an exit code, for a command killed by a signal,
 * and for a shell that cannot find its command (127); SIGCHLD blocked and SIGINT ignored in the
 * caller while system runs (it restores both); popen "r" reading a command's output, popen "w"
 * feeding a command's input, and pclose's status. No pid is printed. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void show(const char *what, int st)
{
    if (st == -1) printf("%s: -1\n", what);
    else if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else printf("%s: status %#x\n", what, st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    show("system(\"exit 7\")", system("exit 7"));
    show("system(\"echo hello from sh\")", system("echo hello from sh"));
    show("system(\"kill -TERM $$\")", system("kill -TERM $$"));
    show("system(\"no-such-command-anywhere 2>/dev/null\")", system("no-such-command-anywhere 2>/dev/null"));
    printf("system(NULL) finds a shell: %d\n", system(NULL) != 0);

    struct sigaction old;
    sigaction(SIGINT, NULL, &old);
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("after system: SIGINT default %d, SIGCHLD blocked %d\n", old.sa_handler == SIG_DFL, sigismember(&mask, SIGCHLD));

    FILE *r = popen("printf 'one\\ntwo\\nthree\\n'; exit 4", "r");
    char line[64];
    int n = 0;
    while (fgets(line, sizeof line, r)) printf("popen r line %d: %s", ++n, line);
    show("pclose of the reader", pclose(r));

    FILE *w = popen("read a; read b; echo \"the command read [$a] [$b]\"; exit 5", "w");
    fputs("first\nsecond\n", w);
    show("pclose of the writer", pclose(w));
    return 0;
}
