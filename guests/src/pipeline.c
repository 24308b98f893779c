/* pipeline: what a shell does for "gen | upcase | number": three forked children joined by pipes
 * that each child dup2's onto its stdin/stdout, every unused pipe end closed so each reader sees
 * EOF when its writer is done, the parent waiting for all three. Then SIGPIPE: a writer whose
 * reader has exited is killed by SIGPIPE, and with SIGPIPE ignored its write fails with EPIPE
 * instead. The children are filters written in C, so nothing is exec'd; the last stage writes
 * to the parent's stdout while the parent waits, so the order is fixed. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static void gen(void)
{
    for (int i = 1; i <= 40; i++) printf("line %d of the generator%s\n", i, i % 7 == 0 ? " (seventh)" : "");
}

static void upcase(void)
{
    int c;
    while ((c = getchar()) != EOF) putchar(toupper(c));
}

static void number(void)
{
    char line[256];
    int n = 0;
    long bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        n++;
        bytes += (long)strlen(line);
        if (n % 8 == 1 || strstr(line, "SEVENTH")) printf("%3d: %s", n, line);
    }
    printf("number: %d lines, %ld bytes\n", n, bytes);
}

/* A child running fn with `in` as stdin and `out` as stdout; every other pipe end is closed,
 * or a reader would never see EOF while some process still held a write end. */
static pid_t stage(void (*fn)(void), int in, int out, const int *pipe_fds, int npipe_fds)
{
    pid_t pid = fork_or_die();
    if (pid == 0) {
        if (in != 0) dup2(in, 0);
        if (out != 1) dup2(out, 1);
        for (int i = 0; i < npipe_fds; i++) close(pipe_fds[i]);
        fn();
        fflush(stdout);
        _exit(0);
    }
    return pid;
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

static void pipeline(void)
{
    int a[2], b[2];
    pipe(a);
    pipe(b);
    int all[4] = { a[0], a[1], b[0], b[1] };
    pid_t p1 = stage(gen, 0, a[1], all, 4);
    pid_t p2 = stage(upcase, a[0], b[1], all, 4);
    pid_t p3 = stage(number, b[0], 1, all, 4);
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
    int st;
    waitpid(p3, &st, 0);
    describe("number", st);
    waitpid(p2, &st, 0);
    describe("upcase", st);
    waitpid(p1, &st, 0);
    describe("gen", st);
}

static void sigpipe(int ignore)
{
    int p[2];
    pipe(p);
    int report[2];
    pipe(report);
    pid_t reader = fork_or_die();
    if (reader == 0) _exit(0); /* the read end it inherited closes with it */
    close(p[0]);
    waitpid(reader, NULL, 0); /* now the pipe has no reader at all */
    pid_t writer = fork_or_die();
    if (writer == 0) {
        if (ignore) signal(SIGPIPE, SIG_IGN);
        ssize_t r = write(p[1], "anyone?", 7);
        int e = errno;
        char out[64];
        int n = snprintf(out, sizeof out, "  write returned %zd %s\n", r, r < 0 ? strerrorname_np(e) : "");
        write(report[1], out, n);
        _exit(0);
    }
    close(p[1]);
    close(report[1]);
    int st;
    waitpid(writer, &st, 0);
    char buf[64];
    ssize_t n = read(report[0], buf, sizeof buf);
    printf("%s", ignore ? "writer with SIGPIPE ignored:\n" : "writer with SIGPIPE default:\n");
    if (n > 0) printf("%.*s", (int)n, buf);
    describe("  writer", st);
    close(report[0]);
}

int main(void)
{
    fflush(stdout);
    pipeline();
    fflush(stdout);
    sigpipe(0);
    sigpipe(1);
    return 0;
}
