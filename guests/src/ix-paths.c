/* ix-paths: runs path and signal commands given as arguments, one line of output each, for the
 * tests of the injection, policy and remap engines (test/engines/). Commands:
 *   cd:PATH  pwd  pwdn:N (getcwd with an N-byte buffer)  cat:PATH  stat:PATH  ls:PATH
 *   ln:TARGET:LINK  readlink:PATH  readlinkn:PATH:N  rm:PATH  mkdir:PATH  rmdir:PATH  mv:OLD:NEW
 *   handler (catch SIGUSR1, SIGUSR2 and SIGSYS and report them)  getpid  write:TEXT (to stdout)
 * A failing call prints "NAME: strerror" and the run goes on; the exit status is the number of
 * failures. Output goes through write(2) directly, so that the only syscalls are the commands'. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void out(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(1, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out(buf);
}

static void fail(const char *what)
{
    outf("%s: %s\n", what, strerror(errno));
    failures++;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
}

/* The part of `arg` after `prefix`, or NULL. */
static const char *after(const char *arg, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(arg, prefix, n) == 0 ? arg + n : NULL;
}

/* Splits "A:B" in place into A and B; B is NULL without a colon. */
static char *split(char *s)
{
    char *c = strchr(s, ':');
    if (!c) return NULL;
    *c = 0;
    return c + 1;
}

int main(int argc, char **argv)
{
    char buf[4096];
    for (int i = 1; i <= argc; i++) {
        if (caught) outf("caught signal %d\n", (int)caught);
        caught = 0;
        if (i == argc) break;
        char *arg = argv[i];
        const char *p;
        if ((p = after(arg, "cd:"))) {
            if (chdir(p) < 0) fail("cd"); else outf("cd %s: ok\n", p);
        } else if (strcmp(arg, "pwd") == 0) {
            if (!getcwd(buf, sizeof buf)) fail("pwd"); else outf("pwd: %s\n", buf);
        } else if ((p = after(arg, "pwdn:"))) {
            size_t n = (size_t)atoi(p);
            if (n > sizeof buf) n = sizeof buf;
            if (!getcwd(buf, n)) fail("pwdn"); else outf("pwdn: %s\n", buf);
        } else if ((p = after(arg, "cat:"))) {
            int fd = open(p, O_RDONLY);
            if (fd < 0) { fail("cat"); continue; }
            ssize_t n = read(fd, buf, sizeof buf - 1);
            if (n < 0) fail("read"); else { buf[n] = 0; outf("cat %s: %s", p, buf); if (n == 0 || buf[n - 1] != '\n') out("\n"); }
            close(fd);
        } else if ((p = after(arg, "stat:"))) {
            struct stat st;
            if (stat(p, &st) < 0) fail("stat"); else outf("stat %s: %s\n", p, S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "file");
        } else if ((p = after(arg, "ls:"))) {
            DIR *d = opendir(p);
            if (!d) { fail("ls"); continue; }
            int count = 0;
            struct dirent *e;
            while ((e = readdir(d))) if (e->d_name[0] != '.') count++;
            closedir(d);
            outf("ls %s: %d entries\n", p, count);
        } else if ((p = after(arg, "ln:"))) {
            char *target = arg + 3, *link = split(target);
            if (!link || symlink(target, link) < 0) fail("ln"); else outf("ln %s -> %s: ok\n", link, target);
        } else if ((p = after(arg, "readlink:"))) {
            ssize_t n = readlink(p, buf, sizeof buf - 1);
            if (n < 0) fail("readlink"); else { buf[n] = 0; outf("readlink %s: %s (%zd)\n", p, buf, n); }
        } else if ((p = after(arg, "readlinkn:"))) {
            char *path = arg + 10, *size = split(path);
            size_t n = size ? (size_t)atoi(size) : 0;
            if (n > sizeof buf - 1) n = sizeof buf - 1;
            ssize_t r = readlink(path, buf, n);
            if (r < 0) fail("readlinkn"); else { buf[r] = 0; outf("readlinkn %s: %s (%zd)\n", path, buf, r); }
        } else if ((p = after(arg, "rm:"))) {
            if (unlink(p) < 0) fail("rm"); else outf("rm %s: ok\n", p);
        } else if ((p = after(arg, "mkdir:"))) {
            if (mkdir(p, 0755) < 0) fail("mkdir"); else outf("mkdir %s: ok\n", p);
        } else if ((p = after(arg, "rmdir:"))) {
            if (rmdir(p) < 0) fail("rmdir"); else outf("rmdir %s: ok\n", p);
        } else if ((p = after(arg, "mv:"))) {
            char *from = arg + 3, *to = split(from);
            if (!to || rename(from, to) < 0) fail("mv"); else outf("mv %s %s: ok\n", from, to);
        } else if (strcmp(arg, "handler") == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sigaction(SIGUSR1, &sa, NULL);
            sigaction(SIGUSR2, &sa, NULL);
            sigaction(SIGSYS, &sa, NULL);
            out("handler: ok\n");
        } else if (strcmp(arg, "getpid") == 0) {
            outf("getpid: %ld\n", (long)getpid());
        } else if ((p = after(arg, "write:"))) {
            ssize_t n = write(1, p, strlen(p));
            if (n < 0) fail("write"); else outf(" (%zd)\n", n);
        } else {
            outf("unknown command %s\n", arg);
            failures++;
        }
    }
    return failures;
}
