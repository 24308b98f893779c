/* mm-random: COUNT random memory calls from SEED (`mm-random SEED COUNT`) on an arena of 48 pages at a
 * fixed address, each printed with its result (ok or the errno name), then every arena page: mapped or
 * not, readable, writable, and its first byte. The golden comes from the host kernel (qemu-user does
 * not emulate these checks), so the calls are drawn from what x86-64 and riscv64 Linux answer alike:
 * mmap, munmap, mprotect, madvise, msync, mincore and mremap on arena pages, with unaligned, zero,
 * wrapping and oversized lengths and addresses at 0, 2^50 and the top of the 64-bit space; no address
 * near either architecture's end of the user address space, no length a host with lots of memory
 * could map (rvtrace's guest memory ends at 4 GiB), no file mappings (MADV_DONTNEED re-reads a private
 * file page on Linux), no writes to private pages (see main), no mlock (locked pages change madvise's answers; rvtrace does not track them),
 * no MAP_GROWSDOWN (Linux keeps a guard gap below it), no huge pages, no memory-failure advice. The
 * lengths of munmap and madvise stay small: Linux acts on every mapping up to the end of such a range,
 * the program's own stack included. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define ARENA 0x20000000UL
#define PAGES 48

static uint64_t rng;

static uint64_t next64(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n) { return next64() % n; }
#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* An address: an arena page (sometimes unaligned), or one no mapping can have. */
static uint64_t address(void)
{
    static const uint64_t far[] = {0, 1UL << 50, -PAGE, 0xffffffffffff0000UL, 0x8000000000000000UL};
    unsigned r = below(100);
    if (r < 80) return ARENA + (below(PAGES - 8) - 2) * PAGE;
    if (r < 90) return ARENA + below((PAGES - 8) * PAGE);
    return PICK(far);
}

/* A length: a few pages, a few bytes, or one that wraps or passes the end of the address space. */
static uint64_t length(int small_only)
{
    static const uint64_t huge[] = {-1UL, -PAGE, -4095UL, 1UL << 60, 1UL << 63, (1UL << 48) + PAGE};
    unsigned r = below(100);
    if (r < 70 || small_only) return r < 60 ? below(13) * PAGE : below(3 * PAGE);
    return PICK(huge);
}

static int prot(void)
{
    static const int p[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC, PROT_WRITE,
                            PROT_READ | 8, 0x10, PROT_READ | PROT_GROWSDOWN, PROT_READ | PROT_GROWSUP};
    return PICK(p);
}

/* One call's line: index, the call with its arguments, and ok or the errno's name. */
static void report(uint64_t i, const char *call, long r)
{
    if (r == -1) printf("%lu %s = %s\n", (unsigned long)i, call, strerrorname_np(errno));
    else printf("%lu %s = ok\n", (unsigned long)i, call);
}

static char call[200];
#define CALL(...) snprintf(call, sizeof call, __VA_ARGS__)

/* Drops CAP_SYS_RAWIO, with which root may map below mmap_min_addr (a guest never can). */
static void drop_rawio(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) != 0) return;
    d[0].effective &= ~(1u << CAP_SYS_RAWIO);
    d[0].permitted &= ~(1u << CAP_SYS_RAWIO);
    syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    rng = strtoull(argv[1], 0, 0);
    uint64_t count = strtoull(argv[2], 0, 0);
    setvbuf(stdout, NULL, _IOLBF, 0);
    drop_rawio();
    int pipefd[2], zero = open("/dev/zero", O_RDONLY);
    pipe(pipefd);
    unsigned char vec[64];
    /* The arena to start with: private, read-only and shared pages with holes between. */
    mmap((void *)ARENA, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap((void *)(ARENA + 20 * PAGE), 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap((void *)(ARENA + 32 * PAGE), 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    /* Only shared pages are written: a written private page gets Linux an anon_vma, and mappings with
     * different ones never join, which rvtrace (seeing no page faults) cannot know. */
    for (unsigned k = 0; k < 8; k++) ((char *)ARENA)[(32 + k) * PAGE] = 'A' + k;

    for (uint64_t i = 0; i < count; i++) {
        /* Every value is drawn in one fixed order (C leaves the order of a call's arguments open). */
        uint64_t a = address();
        unsigned op = below(7);
        long r;
        if (op == 0) {
            static const int types[] = {MAP_PRIVATE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0, 0xa};
            static const int how[] = {0, MAP_FIXED, MAP_FIXED_NOREPLACE};
            static const long offsets[] = {0, 0, 4096, 4095, 1L << 40};
            int type = PICK(types), fixed = PICK(how);
            uint64_t len = length(0);
            int p = prot();
            long off = PICK(offsets);
            r = mmap((void *)a, len, p, type | fixed | MAP_ANONYMOUS, -1, off) == MAP_FAILED ? -1 : 0;
            CALL("mmap(%#lx, %#lx, %#x, %#x, -1, %#lx)", a, len, p, type | fixed | MAP_ANONYMOUS, off);
            report(i, call, r);
        } else if (op == 1) {
            uint64_t len = length(1);
            CALL("munmap(%#lx, %#lx)", a, len);
            report(i, call, syscall(SYS_munmap, a, len));
        } else if (op == 2) {
            uint64_t len = length(0);
            int p = prot();
            CALL("mprotect(%#lx, %#lx, %#x)", a, len, p);
            report(i, call, syscall(SYS_mprotect, a, len, p));
        } else if (op == 3) {
            /* Not MADV_POPULATE_WRITE: it writes private pages (see above). */
            static const int advice[] = {MADV_NORMAL, MADV_DONTNEED, MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_WIPEONFORK,
                                         MADV_POPULATE_READ, MADV_COLD, MADV_DONTFORK, 5, 6, 7, 26, 99};
            uint64_t len = length(1);
            int adv = PICK(advice);
            CALL("madvise(%#lx, %#lx, %d)", a, len, adv);
            report(i, call, syscall(SYS_madvise, a, len, adv));
        } else if (op == 4) {
            uint64_t len = length(0);
            int flags = below(8);
            CALL("msync(%#lx, %#lx, %d)", a, len, flags);
            report(i, call, syscall(SYS_msync, a, len, flags));
        } else if (op == 5) {
            uint64_t len = length(0);
            int with_vec = len <= 64 * PAGE && below(4) != 0;
            CALL("mincore(%#lx, %#lx, %s)", a, len, with_vec ? "vec" : "NULL");
            report(i, call, syscall(SYS_mincore, a, len, with_vec ? vec : NULL));
        } else {
            /* Old and new lengths small (a large move could land anywhere on a host with much memory). */
            uint64_t old = length(1), flags = below(8);
            uint64_t target = below(4) ? address() : a;
            uint64_t new_len = below(4) ? below(13) * PAGE : (1UL << 48);
            long r2 = syscall(SYS_mremap, a, old, new_len, flags, target);
            CALL("mremap(%#lx, %#lx, %#lx, %lu, %#lx)", a, old, new_len, flags, target);
            report(i, call, r2 == -1 ? -1 : 0);
        }
    }
    /* The kernel reads each page's first byte into a pipe (EFAULT: not readable) and writes a zero from
     * /dev/zero into it (EFAULT: not writable); the program itself never touches the arena. */
    for (unsigned k = 0; k < PAGES; k++) {
        char *p = (char *)(ARENA + k * PAGE), byte;
        int mapped = syscall(SYS_mincore, p, PAGE, vec) == 0;
        int readable = mapped && write(pipefd[1], p, 1) == 1 && read(pipefd[0], &byte, 1) == 1;
        printf("page %2u %s%s", k, mapped ? "mapped" : "-", readable ? " r" : "");
        if (readable) printf(" %d", byte);
        if (mapped && read(zero, p, 1) == 1) printf(" w");
        printf("\n");
    }
    return 0;
}
