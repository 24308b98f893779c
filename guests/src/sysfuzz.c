/* sysfuzz: the syscall fuzzer's guest. `sysfuzz SEED COUNT [v]` makes COUNT raw syscalls with
 * numbers and arguments drawn from SEED (each call's from SEED and its index alone), and prints one
 * line per call, "INDEX NAME RESULT" (the raw a0: -errno on failure), then
 * "done COUNT skipped S dropped D". With "v" it also prints each call's arguments before making it,
 * and flushes, so the call that ends a run is the last line. tools/sysfuzz.mjs runs it under rvtrace.
 *
 * Run it only under rvtrace: it calls everything riscv64 Linux has, as whatever user it is.
 *
 * The table (sysfuzz-table.h, from tools/sysfuzz/table.mjs) says how each argument is drawn, which
 * calls are skipped and which guarded, with the reasons. The guest survives every call it makes, as
 * it would on Linux: its code, data, heap, stack and argument area are never handed to a memory call
 * that Linux would carry out on them, it writes its output to descriptor 1 and never lets a call name
 * that descriptor, and it ignores every signal that can be ignored. Every RESET_EVERY calls it puts
 * its world back: the memory arena, the break, its files and descriptors, its directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "sysfuzz-table.h"

#define PAGE 4096UL
#define TASK_SIZE (1UL << 47)
/* The memory arena the memory calls work on: ARENA_PAGES pages laid out by reset(). */
#define ARENA 0x20000000UL
#define ARENA_PAGES 64
/* The argument area: what pointer arguments point into, followed by an unmapped page. */
#define ARGS 0x30000000UL
#define ARGS_SIZE 0x40000UL
#define RESET_EVERY 1000

extern char __executable_start[], etext[];

/* ---- raw syscalls (no libc wrapper: the result is a0 as the kernel left it) ---- */

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d, a4 __asm__("a4") = e, a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
    return a0;
}
#define sys(n, ...) sys_(n, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_(n, a, b, c, d, e, f, ...) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* ---- output: a buffer written to descriptor 1 ---- */

static char out[1 << 16];
static unsigned out_len;
static int verbose;

static void flush(void)
{
    unsigned done = 0;
    while (done < out_len) {
        long n = sys(SYS_write, 1, out + done, out_len - done);
        if (n <= 0) break;
        done += n;
    }
    out_len = 0;
}

static void put(const char *s)
{
    while (*s) {
        if (out_len == sizeof out) flush();
        out[out_len++] = *s++;
    }
}

static void put_u(uint64_t v)
{
    char b[24];
    int i = sizeof b - 1;
    b[i] = 0;
    do b[--i] = '0' + v % 10; while (v /= 10);
    put(b + i);
}

static void put_i(int64_t v)
{
    if (v < 0) {
        put("-");
        put_u(-(uint64_t)v);
    } else put_u(v);
}

static void put_x(uint64_t v)
{
    char b[20];
    int i = sizeof b - 1;
    b[i] = 0;
    do b[--i] = "0123456789abcdef"[v & 15]; while (v >>= 4);
    put("0x");
    put(b + i);
}

/* ---- random numbers: splitmix64, reseeded for every call from (seed, index, attempt) ---- */

static uint64_t rng;

static uint64_t next64(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n) { return next64() % n; }
static int chance(unsigned pct) { return below(100) < pct; }
#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ---- the fuzzer's own memory, which no call may take away or overwrite ---- */

static uint64_t stack_lo, stack_hi, brk_start;
static char workdir[4096];

/* Whether [lo, hi) touches memory the fuzzer lives in: code, data, heap, stack, argument area. */
static int hits_own(uint64_t lo, uint64_t hi)
{
    return (lo < brk_start && hi > (uint64_t)__executable_start) || (lo < stack_hi && hi > stack_lo) ||
           (lo < ARGS + ARGS_SIZE + PAGE && hi > ARGS);
}

/* Whether v, used as a pointer, would let a call write the fuzzer's data, heap or stack. */
static int writable_own(uint64_t v)
{
    return (v >= (uint64_t)etext && v < brk_start) || (v >= stack_lo && v < stack_hi);
}

/* Finds the stack's mapping around p: mincore answers ENOMEM past its ends. */
static void find_stack(uint64_t p)
{
    unsigned char v;
    uint64_t lo = p & ~(PAGE - 1), hi = lo;
    while (sys(SYS_mincore, lo - PAGE, PAGE, &v) == 0) lo -= PAGE;
    while (sys(SYS_mincore, hi, PAGE, &v) == 0) hi += PAGE;
    stack_lo = lo;
    stack_hi = hi;
}

/* ---- argument pools ---- */

static const char *const paths[] = {
    "fz0", "fz1", "fz2", "fzdir", "fzdir/x", "fzlink", "fzloop", "fz0/", "fzdir/../fz0", "fzdir/./../fzdir/",
    ".", "..", "/", "", "../..", "../outside", "../outside/secret", "/proc/self/exe", "/proc/self/maps",
    "/proc/self/fd", "/proc/self/cwd", "/dev/null", "/dev/zero", "/dev/urandom", "/dev/tty", "/etc/passwd",
    "/tmp", "fz\n0", "\xff\xfe", "fzdir/fzdir/fzdir/fzdir/x", "fznew", "fzdir/new",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "a",
};

static const uint64_t ints[] = {
    0, 1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256, 511, 4095, 4096, 4097, 65535, 65536,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000001, 0x7fffffffffffffff, 0x8000000000000000,
    -1UL, -2UL, -4095UL, -4096UL, 0xffffffffffff0000, TASK_SIZE, TASK_SIZE - PAGE, 1UL << 38, 1UL << 56,
};

static const uint64_t sizes[] = {
    0, 1, 2, 8, 16, 64, 100, 255, 256, 1000, 4095, 4096, 4097, 65536, ARGS_SIZE, 1UL << 31, 0xffffffff,
    1UL << 32, -1UL, 1UL << 62,
};

static const uint64_t bad_pointers[] = {
    0, 1, 0xfff, 0x1000, 1UL << 32, TASK_SIZE - 8, TASK_SIZE, -1UL, -PAGE, 0x8000000000000000,
};

static const uint64_t addresses[] = {
    0, 0x1000, 0xfff, 1UL << 32, (1UL << 32) - PAGE, TASK_SIZE - PAGE, TASK_SIZE, TASK_SIZE + PAGE, -PAGE, -1UL,
    0xffffffffffff0000, 0x8000000000000000, 1UL << 38, 1UL << 56, 0x10000000, 0xbf000000,
};

static const uint64_t lengths[] = {
    0, 1, 4095, 4097, 0xbeff0000, 1UL << 32, (1UL << 32) - PAGE, TASK_SIZE, TASK_SIZE - PAGE, -1UL, -PAGE, -4095UL,
    1UL << 60, 1UL << 63,
};

static const uint64_t offsets[] = {
    0, 0, 4096, 8192, 1, 4095, -4096UL, -(1UL << 40), 1UL << 62, 0x7ffffffffffff000,
};

/* The descriptors reset() opens, from 3 up, and what else a descriptor argument may be (never 1). */
static int nfds;
/* Descriptors and addresses earlier calls returned (reset() forgets them), which later calls reuse. */
static int64_t made_fds[16];
static uint64_t made_addrs[16];
static unsigned n_made_fds, n_made_addrs, next_fd_slot, next_addr_slot;

/* Keeps a descriptor or a mapping's address that a call returned (the 16 newest of each). */
static void remember(const struct sf_call *c, long r)
{
    if (c->returns == R_FD && r > 2 && r < 4096) {
        made_fds[next_fd_slot++ % 16] = r;
        if (n_made_fds < 16) n_made_fds++;
    }
    if (c->returns == R_ADDR && r > 0 && (r & 4095) == 0 && (uint64_t)r < (1UL << 47)) {
        made_addrs[next_addr_slot++ % 16] = r;
        if (n_made_addrs < 16) n_made_addrs++;
    }
}
static const int64_t other_fds[] = {-1, -100, 0, 2, 20, 63, 64, 255, 1023, 1024, 4096, 65535, 0x7fffffff, -0x80000000L};

/* A pointer into the argument area, with room for `need` bytes before the unmapped page. */
static uint64_t args_pointer(uint64_t need)
{
    return ARGS + (below(ARGS_SIZE - need) & ~15UL);
}

static void fill_random(uint64_t at, uint64_t n)
{
    for (uint64_t i = 0; i + 8 <= n; i += 8) *(uint64_t *)(at + i) = next64();
}

static uint64_t gen_pointer(int fill)
{
    unsigned r = below(100);
    if (r < 70) {
        uint64_t p = args_pointer(4096);
        if (fill) fill_random(p, 128);
        return p;
    }
    if (r < 80) return ARGS + ARGS_SIZE - 8 * below(9); /* runs into the unmapped page */
    if (r < 88) return ARENA + below(ARENA_PAGES * PAGE);
    return PICK(bad_pointers);
}

static uint64_t gen_int(void)
{
    unsigned r = below(100);
    if (r < 50) return PICK(ints);
    if (r < 70) return below(65);
    if (r < 85) return (uint32_t)next64();
    return next64();
}

static uint64_t gen_constants(const struct sf_arg *a, int flags)
{
    const unsigned long *v = sf_values + a->first;
    unsigned r = below(100);
    if (!flags) return r < 75 ? v[below(a->count)] : gen_int();
    if (r < 60) {
        uint64_t x = 0;
        for (unsigned i = 0; i < a->count; i++)
            if (chance(25)) x |= v[i];
        return x;
    }
    if (r < 75) return v[below(a->count)];
    if (r < 85) return 0;
    return gen_int();
}

static uint64_t gen_path(void)
{
    if (chance(12)) {
        if (chance(50)) {
            /* No NUL before the unmapped page. */
            memset((void *)(ARGS + ARGS_SIZE - 64), 'p', 64);
            return ARGS + ARGS_SIZE - 64;
        }
        return PICK(bad_pointers);
    }
    const char *s = PICK(paths);
    uint64_t p = args_pointer(strlen(s) + 1);
    memcpy((void *)p, s, strlen(s) + 1);
    return p;
}

static uint64_t gen_iov(void)
{
    uint64_t p = args_pointer(8 * 16);
    for (int i = 0; i < 8; i++) {
        ((uint64_t *)p)[2 * i] = chance(80) ? args_pointer(4096) : PICK(bad_pointers);
        ((uint64_t *)p)[2 * i + 1] = chance(80) ? below(300) : PICK(sizes);
    }
    return p;
}

static uint64_t gen_arg(const struct sf_arg *a)
{
    switch (a->kind) {
    case K_FD: {
        int64_t fd = n_made_fds && chance(20) ? made_fds[below(n_made_fds)]
                     : chance(70) && nfds > 0 ? 3 + (int64_t)below(nfds)
                     : chance(80) ? PICK(other_fds) : (int64_t)next64();
        return (uint32_t)fd == 1 ? 2 : (uint64_t)fd;
    }
    case K_PATH: return gen_path();
    case K_MODE: return chance(60) ? PICK(((const uint64_t[]){0, 0644, 0755, 0777, 07777, 0600, 0100644, 010644, 020644})) : below(0x10000);
    case K_SIGNO: return chance(70) ? 1 + below(64) : PICK(((const uint64_t[]){0, -1UL, 65, 1000, 0x100000001}));
    case K_CLOCKID: return chance(70) ? below(12) : PICK(((const uint64_t[]){-1UL, -2UL, 12, 1000, -8UL}));
    case K_PTR: return gen_pointer(0);
    case K_STRUCT: return gen_pointer(1);
    case K_BUF: return gen_pointer(0);
    case K_SIZE: return chance(70) ? below(4097) : PICK(sizes);
    case K_FLAGS: return a->count ? gen_constants(a, 1) : gen_int();
    case K_XVAL: return a->count ? gen_constants(a, 0) : gen_int();
    case K_IOV: return gen_iov();
    case K_COUNT: return chance(70) ? below(9) : PICK(((const uint64_t[]){1024, 1025, -1UL, 0x100000001, 1UL << 40}));
    case K_ADDR: {
        unsigned r = below(100);
        if (n_made_addrs && r < 15) return made_addrs[below(n_made_addrs)];
        if (r < 45) return ARENA + (below(ARENA_PAGES + 8) - 4) * PAGE;
        if (r < 55) return ARENA + below(ARENA_PAGES * PAGE);
        if (r < 85) return PICK(addresses);
        return next64();
    }
    case K_MLEN: {
        unsigned r = below(100);
        if (r < 50) return below(72) * PAGE;
        if (r < 60) return below(3 * PAGE);
        return chance(90) ? PICK(lengths) : next64();
    }
    case K_OFF: return chance(70) ? PICK(offsets) : below(64) * PAGE;
    default: return gen_int();
    }
}

/* ---- guards (sysfuzz-table.h's comment says why each exists) ---- */

/* Whether Linux could carry out a memory call on [start, start + len) that touches the fuzzer's own memory. */
static int range_ok(uint64_t start, uint64_t len)
{
    if (start & (PAGE - 1)) return 1; /* EINVAL */
    uint64_t aligned = (len + PAGE - 1) & ~(PAGE - 1), end = start + aligned;
    if (aligned == 0 || end <= start || start >= TASK_SIZE) return 1; /* nothing, or refused */
    return !hits_own(start, end < TASK_SIZE ? end : TASK_SIZE);
}

static uint64_t *zero_timespec;

/* 1 when the call may be made (its arguments possibly adjusted), 0 to drop it. */
static int guard(const struct sf_call *c, uint64_t *a)
{
    switch (c->guard) {
    case G_RANGE: return range_ok(a[0], a[1]);
    case G_MMAP:
        /* MAP_FIXED_NOREPLACE alone never replaces anything. */
        return !(a[3] & 0x10) || range_ok(a[0], a[1]);
    case G_MREMAP: {
        uint64_t old = (a[1] + PAGE - 1) & ~(PAGE - 1);
        if (!range_ok(a[0], old ? old : PAGE)) return 0;
        return !(a[3] & 2) || range_ok(a[4], a[2]);
    }
    case G_BRK: return a[0] < (uint64_t)__executable_start || a[0] >= brk_start;
    case G_FUTEX: {
        unsigned op = a[1] & 127;
        return op != 0 && op != 6 && op != 9 && op != 11 && op != 13;
    }
    case G_TIMEOUT_PTR:
        zero_timespec[0] = zero_timespec[1] = 0;
        a[c->g1] = (uint64_t)zero_timespec;
        return 1;
    case G_TIMEOUT_INT: a[c->g1] = 0; return 1;
    case G_NONBLOCK: a[c->g1] |= c->g2; return 1;
    case G_FCNTL:
        if ((uint32_t)a[1] == F_SETFL) a[2] |= O_NONBLOCK;
        if ((uint32_t)a[1] == 38) a[1] = (a[1] & ~0xffffffffUL) | 37; /* F_OFD_SETLKW -> F_OFD_SETLK */
        return 1;
    case G_IOCTL: return (uint32_t)a[1] != 0x5421; /* FIONBIO */
    case G_MKNOD:
        if ((a[2] & 0170000) == 0010000) a[2] = (a[2] & ~0170000UL) | 0100000;
        return 1;
    case G_SIGACTION: a[1] = 0; return 1;
    case G_RLIMIT: {
        uint32_t r = a[c->g1];
        return r != 0 && r != 15;
    }
    case G_CLOSE_RANGE: return !((uint32_t)a[0] <= 1 && 1 <= (uint32_t)a[1]);
    case G_PRCTL: {
        int opt = (int)a[0];
        return opt != 22 && opt != 35 && opt != 59;
    }
    default: return 1;
    }
}

/* ---- the world the calls work in ---- */

static void ignore_signals(void)
{
    /* The kernel's struct sigaction on riscv64: handler, flags, mask. */
    uint64_t act[3] = {1 /* SIG_IGN */, 0, 0};
    for (int s = 1; s <= 64; s++)
        if (s != 9 && s != 19) sys(SYS_rt_sigaction, s, act, 0, 8);
}

static void write_file(const char *name, unsigned len)
{
    int fd = sys(SYS_openat, AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    sys(SYS_write, fd, ARGS, len);
    sys(SYS_close, fd);
}

static void map_arena(unsigned first, unsigned pages, int prot, int flags, int fd)
{
    sys(SYS_mmap, ARENA + first * PAGE, pages * PAGE, prot, flags | MAP_FIXED, fd, 0);
}

/* Puts back what the calls may have changed: descriptors, files, directory, break, memory arena. */
static void reset(void)
{
    sys(SYS_munmap, ARENA - 4 * PAGE, (ARENA_PAGES + 8) * PAGE);
    for (unsigned k = 0; k < n_made_addrs; k++) {
        /* Unmap what the calls mapped, where it is not the fuzzer's own memory. */
        if (!hits_own(made_addrs[k], made_addrs[k] + 64 * PAGE)) sys(SYS_munmap, made_addrs[k], 64 * PAGE);
    }
    n_made_fds = n_made_addrs = 0;
    sys(SYS_close_range, 3, ~0U, 0);
    sys(SYS_chdir, workdir);
    sys(SYS_umask, 022);
    long cur = sys(SYS_brk, 0);
    if ((uint64_t)cur != brk_start) sys(SYS_brk, brk_start);
    int null = sys(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR);
    /* Descriptor 1 stays: 0 and 2 become /dev/null again. */
    if (null != 0) sys(SYS_dup3, null, 0, 0);
    if (null != 2) sys(SYS_dup3, null, 2, 0);
    if (null > 2) sys(SYS_close, null);
    write_file("fz0", 20000);
    write_file("fz1", 300);
    write_file("fz2", 0);
    sys(SYS_mkdirat, AT_FDCWD, "fzdir", 0755);
    sys(SYS_symlinkat, "fz0", AT_FDCWD, "fzlink");
    sys(SYS_symlinkat, "fzloop", AT_FDCWD, "fzloop");
    /* The descriptors, from 3 up, in this order. */
    int p[2];
    sys(SYS_openat, AT_FDCWD, "fz0", O_RDWR);
    sys(SYS_openat, AT_FDCWD, "fz1", O_RDONLY);
    sys(SYS_openat, AT_FDCWD, "fz2", O_WRONLY | O_APPEND);
    sys(SYS_openat, AT_FDCWD, ".", O_RDONLY | O_DIRECTORY);
    sys(SYS_pipe2, p, O_NONBLOCK);
    sys(SYS_openat, AT_FDCWD, "/dev/zero", O_RDWR);
    sys(SYS_openat, AT_FDCWD, "/dev/urandom", O_RDONLY);
    sys(SYS_openat, AT_FDCWD, ".", O_PATH);
    sys(SYS_openat, AT_FDCWD, "fzdir", O_RDONLY | O_DIRECTORY);
    nfds = 10;
    /* The arena: private, read-only, inaccessible, shared and file-backed pages, with holes. */
    map_arena(0, 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_arena(20, 8, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_arena(28, 4, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    map_arena(32, 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
    map_arena(48, 8, PROT_READ | PROT_WRITE, MAP_PRIVATE, 3);
    map_arena(56, 8, PROT_READ | PROT_WRITE, MAP_SHARED, 3);
}

static void setup(void)
{
    uint64_t here = 0;
    find_stack((uint64_t)&here);
    brk_start = sys(SYS_brk, 0);
    ignore_signals();
    sys(SYS_getcwd, workdir, sizeof workdir - 1);
    sys(SYS_mmap, ARGS, ARGS_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    sys(SYS_munmap, ARGS + ARGS_SIZE, PAGE);
    rng = 0x5eed;
    fill_random(ARGS, ARGS_SIZE);
    zero_timespec = (uint64_t *)(ARGS + ARGS_SIZE - 4096);
}

/* Numbers no riscv64 syscall has, and numbers whose low 32 bits do. */
static const uint64_t odd_numbers[] = {-1UL, 463, 500, 1000, 2048, 0x7fffffff, 0x80000000, 0x100000040, 0x10000005d, 0x8000000000000040};

int main(int argc, char **argv)
{
    if (argc < 3) {
        put("usage: sysfuzz SEED COUNT [v]\n");
        flush();
        return 2;
    }
    uint64_t seed = strtoull(argv[1], 0, 0);
    uint64_t count = strtoull(argv[2], 0, 0);
    verbose = argc > 3 && argv[3][0] == 'v';
    setup();
    uint64_t skipped = 0, dropped = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (i % RESET_EVERY == 0) reset();
        for (uint64_t attempt = 0;; attempt++) {
            rng = seed * 0x100000001b3UL ^ (i << 20) ^ attempt;
            next64();
            const struct sf_call *c = 0;
            uint64_t nr;
            if (chance(1)) nr = PICK(odd_numbers);
            else {
                /* Mostly calls rvtrace implements; the rest get ENOSYS quickly. */
                int want_implemented = chance(85);
                do c = &sf_calls[below(SF_NCALLS)]; while (c->implemented != want_implemented);
                if (c->skip) {
                    skipped++;
                    continue;
                }
                nr = c->nr;
            }
            uint64_t a[6];
            for (int k = 0; k < 6; k++) {
                a[k] = c && k < c->nargs ? gen_arg(&c->arg[k]) : gen_int();
                unsigned kind = c && k < c->nargs ? c->arg[k].kind : K_INT;
                if ((kind == K_INT || kind == K_FLAGS || kind == K_XVAL) && writable_own(a[k])) a[k] = args_pointer(4096);
            }
            if (c && !guard(c, a)) {
                dropped++;
                continue;
            }
            const char *name = c ? c->name : "?";
            if (verbose) {
                put("call ");
                put_u(i);
                put(" ");
                put(name);
                put(" ");
                put_x(nr);
                for (int k = 0; k < 6; k++) {
                    put(" ");
                    put_x(a[k]);
                }
                put("\n");
                flush();
            }
            long r = sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            if (c) remember(c, r);
            put_u(i);
            put(" ");
            put(name);
            put(" ");
            put_i(r);
            put("\n");
            break;
        }
    }
    put("done ");
    put_u(count);
    put(" skipped ");
    put_u(skipped);
    put(" dropped ");
    put_u(dropped);
    put("\n");
    flush();
    return 0;
}
