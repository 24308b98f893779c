/* compat-misc: odds and ends met by real programs. pwrite and pwritev on an
 * O_APPEND file append whatever the offset, and leave the file offset alone
 * (a scratch file "tmp-compat-misc.dat" in the working directory);
 * clock_getcpuclockid(0) and pthread_getcpuclockid-style ids (clock_getres
 * and clock_gettime on them), invalid CPU clock ids; sigaltstack queried from
 * a handler running on the alternate stack reports SS_ONSTACK and refuses a
 * change with EPERM, and a handler that overflowed the stack recovers by
 * siglongjmp; mincore on mapped pages and on a hole. */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static sigjmp_buf jb;
static volatile int depth;
static int in_flags, set_errno;

static void on_segv(int sig)
{
    (void)sig;
    stack_t cur, ss = { .ss_sp = malloc(SIGSTKSZ), .ss_size = SIGSTKSZ };
    sigaltstack(NULL, &cur);
    in_flags = cur.ss_flags;
    set_errno = sigaltstack(&ss, NULL) < 0 ? errno : 0;
    siglongjmp(jb, 1);
}

__attribute__((noinline)) static int recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    depth = n;
    return recurse(n + 1) + pad[0];
}

int main(void)
{
    puts("-- pwrite with O_APPEND");
    const char *name = "tmp-compat-misc.dat";
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);
    show("write abc", write(fd, "abc", 3));
    show("lseek 1", lseek(fd, 1, SEEK_SET));
    show("pwrite XY at 0", pwrite(fd, "XY", 2, 0));
    show("offset after pwrite", lseek(fd, 0, SEEK_CUR));
    struct iovec iov[2] = { { "12", 2 }, { "34", 2 } };
    show("pwritev at 0", pwritev(fd, iov, 2, 0));
    show("offset after pwritev", lseek(fd, 0, SEEK_CUR));
    char buf[32] = { 0 };
    show("pread", pread(fd, buf, sizeof buf - 1, 0));
    printf("content: %s\n", buf);
    close(fd);
    unlink(name);

    puts("-- CPU-time clocks");
    clockid_t cid;
    struct timespec ts;
    show("clock_getcpuclockid(0)", clock_getcpuclockid(0, &cid));
    show("clock_getres", clock_getres(cid, &ts));
    show("clock_gettime", clock_gettime(cid, &ts));
    show("clock_getcpuclockid(self)", clock_getcpuclockid(getpid(), &cid));
    show("clock_gettime", clock_gettime(cid, &ts));
    int e = clock_getcpuclockid(getpid() + 1000, &cid);
    printf("clock_getcpuclockid(other): %s\n", strerror(e));
    clockid_t thread_self = (clockid_t)((~0u << 3) | 4 | 2); /* MAKE_THREAD_CPUCLOCK(0, SCHED) */
    show("thread clock of self", clock_gettime(thread_self, &ts));
    clockid_t thread_tid = (clockid_t)((~(unsigned)getpid() << 3) | 4 | 2);
    show("thread clock by tid", clock_gettime(thread_tid, &ts));
    clockid_t bad_kind = (clockid_t)((~0u << 3) | 3);
    show("CPU clock of kind 3", clock_gettime(bad_kind, &ts));
    struct timespec tiny = { 0, 1000 };
    errno = clock_nanosleep(thread_self, 0, &tiny, NULL);
    printf("clock_nanosleep on a thread clock: %s\n", strerror(errno));

    puts("-- sigaltstack");
    stack_t ss = { .ss_sp = malloc(1 << 16), .ss_size = 1 << 16 }, cur;
    show("sigaltstack", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &cur);
    printf("flags outside a handler: %d\n", cur.ss_flags);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_ONSTACK | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) recurse(0);
    printf("recovered: deep %d, flags in handler %d (SS_ONSTACK %d), change: %s\n", depth > 1000, in_flags,
           SS_ONSTACK, strerror(set_errno));
    sigaltstack(NULL, &cur);
    printf("flags after: %d\n", cur.ss_flags);
    stack_t off = { .ss_flags = SS_DISABLE };
    show("disable", sigaltstack(&off, NULL));

    puts("-- mincore");
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1;
    m[page] = 1;
    m[2 * page] = 1;
    unsigned char vec[4] = { 9, 9, 9, 9 };
    show("mincore 3 pages", mincore(m, 3 * page, vec));
    printf("vec %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3]);
    show("mincore unaligned", mincore(m + 1, page, vec));
    munmap(m + page, page);
    show("mincore over a hole", mincore(m, 3 * page, vec));
    show("mincore len 0", mincore(m, 0, vec));
    return 0;
}
