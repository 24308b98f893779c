/* limits: what a guest sees of the limits a run sets (--memory-limit, --max-procs, --max-fds,
 * --max-output, --timeout, --max-insns's charges for host work). argv[1] picks the check:
 *   mmap MIB          map MIB MiB read-write (ENOMEM or ok), then write a byte to each page
 *   brk MIB           grow the break by MIB MiB (ENOMEM or ok), then write to each page
 *   oom MIB           map MIB MiB twice (each fits alone), then write to every page of both
 *   fork-oom MIB      fork a child that does "oom MIB"; report how the child ended
 *   touch-fork MIB    map and write MIB MiB, then fork (ENOMEM if the copy does not fit)
 *   pipes N           make up to N pipes; print how many, and the error that stopped them
 *   procs N           fork up to N children that wait on a pipe; print how many, and the error
 *   fds               RLIMIT_NOFILE as seen, an attempt to raise it, then open /dev/null until it fails
 *   open FILE N       open FILE up to N times (kept open); print how many, and the error
 *   read FILE N       read FILE whole N times (for --max-insns's charge per byte)
 *   list DIR N        list DIR N times (for the charge per directory entry)
 *   maps N            split a mapping into about 2N by protecting every other page, then mprotect one page 1000 times
 *   output N          write N bytes to stdout in chunks of 1000, then "done" on stderr
 *   spin              loop forever
 * Output is only counts and errno names, the same on every run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case 0: return "none";
    default: return "other";
    }
}

/* Writes a byte to every page of [p, p+len). */
static void touch(char *p, size_t len, char v)
{
    for (size_t i = 0; i < len; i += 4096) p[i] = v;
}

static int mmap_check(long mib)
{
    size_t len = (size_t)mib << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("mmap %ld MiB: %s\n", mib, errname(errno));
        return 0;
    }
    printf("mmap %ld MiB: ok\n", mib);
    fflush(stdout);
    touch(p, len, 1);
    printf("wrote %ld MiB\n", mib);
    return 0;
}

static int brk_check(long mib)
{
    size_t len = (size_t)mib << 20;
    char *p = sbrk(len);
    if (p == (char *)-1) {
        printf("sbrk %ld MiB: %s\n", mib, errname(errno));
        return 0;
    }
    printf("sbrk %ld MiB: ok\n", mib);
    fflush(stdout);
    touch(p, len, 1);
    printf("wrote %ld MiB\n", mib);
    return 0;
}

/* Two mappings that each fit in what is left, written one after the other: the second runs out. */
static int oom(long mib)
{
    size_t len = (size_t)mib << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || q == MAP_FAILED) {
        printf("mmap: %s\n", errname(errno));
        return 1;
    }
    printf("mapped %ld MiB twice\n", mib);
    fflush(stdout);
    touch(p, len, 1);
    touch(q, len, 2);
    printf("wrote both\n");
    return 0;
}

static int fork_oom(long mib)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork: %s\n", errname(errno));
        return 1;
    }
    if (pid == 0) _exit(oom(mib));
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) printf("child killed by signal %d\n", WTERMSIG(status));
    else printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}

static int touch_fork(long mib)
{
    size_t len = (size_t)mib << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        printf("mmap: %s\n", errname(errno));
        return 1;
    }
    touch(p, len, 1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork: %s\n", errname(errno));
        return 0;
    }
    if (pid == 0) _exit(p[len - 4096] == 1 ? 0 : 4);
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}

static int pipes_check(long n)
{
    /* Printing first touches the pages printing needs, before the pipes take what is left. */
    printf("pipes: up to %ld\n", n);
    fflush(stdout);
    long made = 0;
    int err = 0;
    for (; made < n; made++) {
        int fds[2];
        if (pipe(fds) != 0) {
            err = errno;
            break;
        }
    }
    printf("pipes: %ld, then %s\n", made, errname(err));
    return 0;
}

static int procs_check(long n)
{
    int gate[2];
    if (pipe(gate) != 0) return 1;
    long made = 0;
    int err = 0;
    for (; made < n; made++) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            char c;
            close(gate[1]);
            read(gate[0], &c, 1); /* until the parent closes its end */
            _exit(0);
        }
    }
    close(gate[1]);
    while (wait(NULL) > 0) {
    }
    printf("children: %ld, then %s\n", made, errname(err));
    return 0;
}

static int fds_check(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("RLIMIT_NOFILE: soft %llu hard %llu\n", (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
    struct rlimit up = { rl.rlim_max + 1, rl.rlim_max + 1 };
    int r = setrlimit(RLIMIT_NOFILE, &up);
    printf("raise hard to %llu: %s\n", (unsigned long long)up.rlim_max, r == 0 ? "ok" : errname(errno));
    /* The soft limit may go up to the hard one. */
    struct rlimit full = { rl.rlim_max, rl.rlim_max };
    r = setrlimit(RLIMIT_NOFILE, &full);
    printf("raise soft to hard: %s\n", r == 0 ? "ok" : errname(errno));
    long opened = 0;
    int err = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) {
            err = errno;
            break;
        }
        opened++;
    }
    printf("opened %ld, then %s\n", opened, errname(err));
    return 0;
}

static int open_check(const char *file, long n)
{
    long opened = 0;
    int err = 0;
    for (; opened < n; opened++) {
        if (open(file, O_RDONLY) < 0) {
            err = errno;
            break;
        }
    }
    printf("opened %ld, then %s\n", opened, errname(err));
    return 0;
}

static int read_check(const char *file, long n)
{
    static char buf[65536];
    long total = 0;
    for (long i = 0; i < n; i++) {
        int fd = open(file, O_RDONLY);
        if (fd < 0) return 1;
        ssize_t got;
        while ((got = read(fd, buf, sizeof buf)) > 0) total += got;
        close(fd);
    }
    printf("read %ld bytes\n", total);
    return 0;
}

static int list_check(const char *dir, long n)
{
    long entries = 0;
    for (long i = 0; i < n; i++) {
        DIR *d = opendir(dir);
        if (!d) return 1;
        while (readdir(d)) entries++;
        closedir(d);
    }
    printf("listed %ld entries\n", entries);
    return 0;
}

static int maps_check(long n)
{
    size_t len = (size_t)(2 * n) * 4096;
    char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    for (long i = 0; i < n; i++)
        if (mprotect(p + 2 * i * 4096, 4096, PROT_READ) != 0) return 1;
    for (int i = 0; i < 1000; i++)
        if (mprotect(p, 4096, i % 2 ? PROT_READ : PROT_NONE) != 0) return 1;
    printf("split into %ld mappings\n", 2 * n);
    return 0;
}

static int output_check(long n)
{
    static char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    for (long done = 0; done < n;) {
        long k = n - done < 1000 ? n - done : 1000;
        ssize_t w = write(1, chunk, k);
        if (w <= 0) {
            fprintf(stderr, "write: %s\n", errname(errno));
            return 1;
        }
        done += w;
    }
    fprintf(stderr, "done\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    const char *what = argv[1];
    long n = argc > 2 ? atol(argv[argc - 1]) : 0;
    if (!strcmp(what, "mmap")) return mmap_check(n);
    if (!strcmp(what, "brk")) return brk_check(n);
    if (!strcmp(what, "oom")) return oom(n);
    if (!strcmp(what, "fork-oom")) return fork_oom(n);
    if (!strcmp(what, "touch-fork")) return touch_fork(n);
    if (!strcmp(what, "pipes")) return pipes_check(n);
    if (!strcmp(what, "procs")) return procs_check(n);
    if (!strcmp(what, "fds")) return fds_check();
    if (!strcmp(what, "open") && argc > 3) return open_check(argv[2], n);
    if (!strcmp(what, "read") && argc > 3) return read_check(argv[2], n);
    if (!strcmp(what, "list") && argc > 3) return list_check(argv[2], n);
    if (!strcmp(what, "maps")) return maps_check(n);
    if (!strcmp(what, "output")) return output_check(n);
    if (!strcmp(what, "spin"))
        for (;;) {
        }
    return 2;
}
