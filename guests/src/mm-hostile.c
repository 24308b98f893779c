/* mm-hostile: memory syscalls given hostile addresses and lengths answer with Linux's errors and
 * change nothing: addresses at the top of the 64-bit space or above the user address space, lengths
 * that wrap, a length of zero, mremap to a negative or unaligned address, mincore
 * with a huge length, mprotect(PROT_WRITE) of a MAP_SHARED mapping of a read-only descriptor. Then
 * the rest of each call's checks in Linux's order (mmap's flags, types, offsets and descriptors;
 * mprotect's, madvise's and msync's arguments; mremap's flags), what a call does before the hole
 * that fails it, and the NULL page (mmap_min_addr 4096), which MAP_FIXED and mremap may not map.
 * The goldens come from the host's kernel (qemu-user aborts on the first call), so every case is
 * one x86-64 and riscv64 answer alike: no address near the end of the user address space (it ends
 * 4 KiB lower on x86-64) and no negative mmap offset (an unsigned long on x86-64, an off_t on
 * riscv64); those are in test/kernel/mm-hostile.test.ts. Run as root, the program first gives up
 * CAP_SYS_RAWIO, which lets root map the NULL page (a guest never can). Prints only results and
 * errno names, and whether a page the program owns survived each call. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *canary;

static void report(const char *what, long r)
{
    int ok = canary[0] == 'k' && canary[4095] == 'k';
    if (r < 0) printf("%-44s -1 %-8s canary %s\n", what, strerrorname_np(errno), ok ? "intact" : "LOST");
    else printf("%-44s ok       canary %s\n", what, ok ? "intact" : "LOST");
}

#define R(what, call) report(what, (long)(call))

static void *fresh(size_t len)
{
    return mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* mmap's result as a report: 0 for an address, -1 with errno for an error. */
static long mapped(void *p)
{
    return p == MAP_FAILED ? -1 : 0;
}

/* Whether the page at p is mapped (mincore answers ENOMEM for a hole). */
static const char *page_state(void *p)
{
    unsigned char v;
    return syscall(SYS_mincore, p, 4096, &v) == 0 ? "mapped" : "unmapped";
}

/* Whether the kernel may write the page at p (a read from /dev/zero into it fails with EFAULT if not). */
static const char *writable(int zero, void *p)
{
    return read(zero, p, 1) == 1 ? "writable" : "read-only";
}

/* Drops CAP_SYS_RAWIO, with which root may map below mmap_min_addr; a no-op elsewhere. */
static void drop_rawio(void)
{
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) != 0) return;
    d[0].effective &= ~(1u << CAP_SYS_RAWIO);
    d[0].permitted &= ~(1u << CAP_SYS_RAWIO);
    syscall(SYS_capset, &h, d);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    drop_rawio();
    canary = fresh(4096);
    memset(canary, 'k', 4096);
    unsigned char vec[16];
    const unsigned long top = 0xfffffffffffff000UL;

    R("munmap(top-64K, 0xbeff0000)", syscall(SYS_munmap, 0xffffffffffff0000UL, 0xbeff0000UL));
    R("munmap(2^50, 4096)", syscall(SYS_munmap, 1UL << 50, 4096));
    R("munmap(0x1000, 0)", syscall(SYS_munmap, 0x1000, 0));
    R("munmap(canary+1, 4096)", syscall(SYS_munmap, canary + 1, 4096));
    R("mprotect(top, 4096, PROT_READ)", syscall(SYS_mprotect, top, 4096, PROT_READ));
    R("mprotect(2^40, 4096, PROT_READ)", syscall(SYS_mprotect, 1UL << 40, 4096, PROT_READ));
    R("madvise(top, 4096, DONTNEED)", syscall(SYS_madvise, top, 4096, MADV_DONTNEED));
    R("madvise(top, 8192, DONTNEED)", syscall(SYS_madvise, top, 8192, MADV_DONTNEED));
    R("madvise(2^40, 4096, DONTNEED)", syscall(SYS_madvise, 1UL << 40, 4096, MADV_DONTNEED));
    R("mlock(top, 4096)", syscall(SYS_mlock, top, 4096));
    R("munlock(top, 4096)", syscall(SYS_munlock, top, 4096));
    R("msync(top, 4096, MS_SYNC)", syscall(SYS_msync, top, 4096, MS_SYNC));
    R("msync(2^40, 4096, MS_SYNC)", syscall(SYS_msync, 1UL << 40, 4096, MS_SYNC));
    R("mincore(top, 4096)", syscall(SYS_mincore, top, 4096, vec));
    R("mincore(canary, 2^60)", syscall(SYS_mincore, canary, 1UL << 60, vec));
    R("mincore(canary, 4096, vec)", syscall(SYS_mincore, canary, 4096, vec));

    void *p = fresh(8192);
    R("mremap(p, 4096, 8192, FIXED, -1M)", syscall(SYS_mremap, p, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, 0xfffffffffff00000UL));
    R("mremap(p, 4096, 8192, FIXED, p+1)", syscall(SYS_mremap, p, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)p + 1));
    R("mremap(p, 4096, 0, MAYMOVE)", syscall(SYS_mremap, p, 4096, 0, MREMAP_MAYMOVE));
    R("mremap(p+1, 4096, 8192, MAYMOVE)", syscall(SYS_mremap, (char *)p + 1, 4096, 8192, MREMAP_MAYMOVE));
    R("mremap(2^40, 4096, 8192, MAYMOVE)", syscall(SYS_mremap, 1UL << 40, 4096, 8192, MREMAP_MAYMOVE));
    R("mremap(p, 4096, 2^62, 0)", syscall(SYS_mremap, p, 4096, 1UL << 62, 0));

    int fd = open("data/poem.txt", O_RDONLY);
    void *ro = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
    R("mmap(read-only fd, MAP_SHARED, PROT_READ)", ro == MAP_FAILED ? -1 : 0);
    R("mprotect(that, PROT_READ|PROT_WRITE)", syscall(SYS_mprotect, ro, 4096, PROT_READ | PROT_WRITE));
    R("mmap(read-only fd, MAP_PRIVATE, RW)", mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
    printf("first line of the shared mapping: %.39s\n", (char *)ro);
    void *moved = (void *)syscall(SYS_mremap, ro, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)p + 0x100000);
    R("mremap(that) elsewhere", moved == MAP_FAILED ? -1 : 0);
    R("mprotect(moved, PROT_READ|PROT_WRITE)", syscall(SYS_mprotect, moved, 4096, PROT_READ | PROT_WRITE));

    puts("-- mmap, in Linux's order");
    int wfd = open("mm-hostile.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int dfd = open("data", O_RDONLY | O_DIRECTORY);
    int pp[2];
    pipe(pp);
    R("mmap(len 0, bad fd)", mapped(mmap(0, 0, PROT_READ, MAP_PRIVATE, -1, 0)));
    R("mmap(type 0, bad fd)", mapped(mmap(0, 4096, PROT_READ, 0, 999, 0)));
    R("mmap(offset 4095)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 4095)));
    R("mmap(len 0)", mapped(mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    R("mmap(len -4095)", mapped(mmap(0, -4095UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    R("mmap(len 2^62)", mapped(mmap(0, 1UL << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    R("mmap(type 0, len 2^62)", mapped(mmap(0, 1UL << 62, PROT_READ, MAP_ANONYMOUS, -1, 0)));
    R("mmap(type 0)", mapped(mmap(0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0)));
    R("mmap(anonymous SHARED_VALIDATE)", mapped(mmap(0, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0)));
    R("mmap(anonymous type 0xa)", mapped(mmap(0, 4096, PROT_READ, 0xa | MAP_ANONYMOUS, -1, 0)));
    R("mmap(prot 0xff)", mapped(mmap(0, 4096, 0xff, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    R("mmap(anonymous, offset 2^62)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1L << 62)));
    R("mmap(FIXED 0)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)));
    R("mmap(FIXED_NOREPLACE 0)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)));
    R("mmap(FIXED 0x1001)", mapped(mmap((void *)0x1001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)));
    R("mmap(FIXED 2^50)", mapped(mmap((void *)(1UL << 50), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)));
    R("mmap(FIXED 2^50 + 1)", mapped(mmap((void *)((1UL << 50) + 1), 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)));
    R("mmap(FIXED_NOREPLACE canary)", mapped(mmap(canary, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)));
    R("mmap(anonymous SHARED|GROWSDOWN)", mapped(mmap(0, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0)));
    R("mmap(file, offset 2^63 - 4096)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L)));
    R("mmap(file, offset 2^62)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 1L << 62)));
    R("mmap(file, type 0xb)", mapped(mmap(0, 4096, PROT_READ, 0xb, fd, 0)));
    R("mmap(file, SHARED_VALIDATE|0x200)", mapped(mmap(0, 4096, PROT_READ, MAP_SHARED_VALIDATE | 0x200, fd, 0)));
    R("mmap(file, SHARED|0x200)", mapped(mmap(0, 4096, PROT_READ, MAP_SHARED | 0x200, fd, 0)));
    R("mmap(file, SHARED_VALIDATE|FIXED_NOREPLACE)", mapped(mmap((void *)0x70000000, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE, fd, 0)));
    R("mmap(file, PRIVATE|MAP_SYNC)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_SYNC, fd, 0)));
    R("mmap(file, GROWSDOWN)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0)));
    R("mmap(file, HUGETLB)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, fd, 0)));
    R("mmap(write-only fd, PRIVATE)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, wfd, 0)));
    R("mmap(directory)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, dfd, 0)));
    R("mmap(pipe, read end)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, pp[0], 0)));
    R("mmap(pipe, write end)", mapped(mmap(0, 4096, PROT_READ, MAP_PRIVATE, pp[1], 0)));
    void *low = mmap((void *)0x1000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    R("mmap(FIXED 0x1000)", mapped(low));

    puts("-- mremap to the NULL page unmaps the target first");
    void *q = fresh(4096);
    R("mremap(q, 4096, 8192, FIXED, 0)", syscall(SYS_mremap, q, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, 0));
    printf("page 0x1000 %s, q %s\n", page_state((void *)0x1000), page_state(q));

    puts("-- mprotect");
    char *m = fresh(3 * 4096);
    int zero = open("/dev/zero", O_RDONLY);
    R("mprotect(m, 0, prot 0x10)", syscall(SYS_mprotect, m, 0, 0x10));
    R("mprotect(m+1, 0, PROT_READ)", syscall(SYS_mprotect, m + 1, 0, PROT_READ));
    R("mprotect(2^40, 4096, prot 0x10)", syscall(SYS_mprotect, 1UL << 40, 4096, 0x10));
    R("mprotect(m, 4096, RW|PROT_SEM)", syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_WRITE | 0x8));
    R("mprotect(m, 4096, R|GROWSUP)", syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_GROWSUP));
    R("mprotect(m, 4096, R|GROWSDOWN)", syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_GROWSDOWN));
    R("mprotect(m, 4096, R|GROWSDOWN|GROWSUP)", syscall(SYS_mprotect, m, 4096, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
    munmap(m + 2 * 4096, 4096);
    R("mprotect(m, 12K with a hole, PROT_READ)", syscall(SYS_mprotect, m, 3 * 4096, PROT_READ));
    printf("m %s, m+4096 %s\n", writable(zero, m), writable(zero, m + 4096));
    R("mprotect(hole first, 12K, RW)", syscall(SYS_mprotect, m + 2 * 4096, 3 * 4096, PROT_READ | PROT_WRITE));
    printf("m %s\n", writable(zero, m));

    puts("-- madvise");
    char *a = fresh(2 * 4096);
    a[0] = 'a';
    a[4096] = 'b';
    R("madvise(a, 0, 9999)", syscall(SYS_madvise, a, 0, 9999));
    R("madvise(a+1, 4096, 9999)", syscall(SYS_madvise, a + 1, 4096, 9999));
    R("madvise(a, 4096, 5)", syscall(SYS_madvise, a, 4096, 5));
    R("madvise(a, -1, NORMAL)", syscall(SYS_madvise, a, -1L, MADV_NORMAL));
    R("madvise(a, 4096, FREE)", syscall(SYS_madvise, a, 4096, MADV_FREE));
    R("madvise(a, 4096, REMOVE)", syscall(SYS_madvise, a, 4096, MADV_REMOVE));
    R("madvise(a, 4096, WIPEONFORK)", syscall(SYS_madvise, a, 4096, MADV_WIPEONFORK));
    R("madvise(a, 4096, POPULATE_WRITE)", syscall(SYS_madvise, a, 4096, MADV_POPULATE_WRITE));
    R("madvise(ro, 4096, POPULATE_WRITE)", syscall(SYS_madvise, moved, 4096, MADV_POPULATE_WRITE));
    R("madvise(ro, 4096, FREE)", syscall(SYS_madvise, moved, 4096, MADV_FREE));
    char *h = fresh(3 * 4096);
    h[0] = 'x';
    h[2 * 4096] = 'y';
    munmap(h + 4096, 4096);
    R("madvise(h, 12K with a hole, DONTNEED)", syscall(SYS_madvise, h, 3 * 4096, MADV_DONTNEED));
    printf("after DONTNEED around the hole: h[0] %d, h[8192] %d\n", h[0], h[2 * 4096]);
    R("msync(h, 12K with a hole, MS_SYNC)", syscall(SYS_msync, h, 3 * 4096, MS_SYNC));
    R("mincore(h, 12K with a hole)", syscall(SYS_mincore, h, 3 * 4096, vec));
    char *sh = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh[0] = 's';
    R("madvise(shared anonymous, 4096, DONTNEED)", syscall(SYS_madvise, sh, 4096, MADV_DONTNEED));
    printf("shared anonymous page after DONTNEED: %c\n", sh[0]);
    R("madvise(shared anonymous, 4096, FREE)", syscall(SYS_madvise, sh, 4096, MADV_FREE));

    puts("-- mlock, msync, mincore");
    void *none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    R("mlock(a+1, 4096)", syscall(SYS_mlock, a + 1, 4096));
    R("mlock(PROT_NONE page)", syscall(SYS_mlock, none, 4096));
    R("munlock(PROT_NONE page)", syscall(SYS_munlock, none, 4096));
    R("mlock(2^40, 4096)", syscall(SYS_mlock, 1UL << 40, 4096));
    R("mlock2(a, 4096, 99)", syscall(SYS_mlock2, a, 4096, 99));
    R("mlock2(a, 4096, ONFAULT)", syscall(SYS_mlock2, a, 4096, MLOCK_ONFAULT));
    R("mlockall(MCL_ONFAULT)", syscall(SYS_mlockall, MCL_ONFAULT));
    R("msync(a, 4096, 99)", syscall(SYS_msync, a, 4096, 99));
    R("msync(a+1, 4096, 99)", syscall(SYS_msync, a + 1, 4096, 99));
    R("msync(a, 4096, ASYNC|SYNC)", syscall(SYS_msync, a, 4096, MS_ASYNC | MS_SYNC));
    R("msync(a, 0, MS_SYNC)", syscall(SYS_msync, a, 0, MS_SYNC));
    R("mincore(a+1, 4096)", syscall(SYS_mincore, a + 1, 4096, vec));
    R("mincore(2^40, 0)", syscall(SYS_mincore, 1UL << 40, 0, vec));
    R("mincore(a, 4096, NULL)", syscall(SYS_mincore, a, 4096, NULL));
    R("mincore(2^40, 4096, NULL)", syscall(SYS_mincore, 1UL << 40, 4096, NULL));

    puts("-- mremap");
    /* r: two mappings, three read-write pages and one read-only page after them. */
    char *r = fresh(4 * 4096);
    mprotect(r + 3 * 4096, 4096, PROT_READ);
    R("mremap(r, 4096, 4096, 8)", syscall(SYS_mremap, r, 4096, 4096, 8, 0));
    R("mremap(r, 4096, 4096, DONTUNMAP)", syscall(SYS_mremap, r, 4096, 4096, MREMAP_DONTUNMAP, 0));
    R("mremap(r, 4096, 8192, MAYMOVE|DONTUNMAP)", syscall(SYS_mremap, r, 4096, 8192, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0));
    R("mremap(r, 0, 4096, MAYMOVE)", syscall(SYS_mremap, r, 0, 4096, MREMAP_MAYMOVE));
    R("mremap(2^40, 4096, 0, MAYMOVE)", syscall(SYS_mremap, 1UL << 40, 4096, 0, MREMAP_MAYMOVE));
    R("mremap(r, 4096, 4096, 0)", syscall(SYS_mremap, r, 4096, 4096, 0) == (long)r ? 0 : -1);
    R("mremap(r, 16K across mappings, 20K, MAYMOVE)", syscall(SYS_mremap, r, 4 * 4096, 5 * 4096, MREMAP_MAYMOVE));
    R("mremap(r, 4096, 8192, 0) inside a mapping", syscall(SYS_mremap, r, 4096, 8192, 0));
    R("mremap(r+8192, 4096, 8192, 0) before another", syscall(SYS_mremap, r + 8192, 4096, 8192, 0));
    r[0] = 'r';
    char *d = (char *)syscall(SYS_mremap, r, 4096, 4096, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    R("mremap(r, 4096, 4096, MAYMOVE|DONTUNMAP)", d == MAP_FAILED ? -1 : 0);
    printf("after DONTUNMAP: old page %s reads %d, new page reads %c\n", page_state(r), r[0], d[0]);
    R("mremap(r, 16K across mappings, 4096, 0)", syscall(SYS_mremap, r, 4 * 4096, 4096, 0) == (long)r ? 0 : -1);
    printf("r %s, r+4096 %s, r+12K %s\n", page_state(r), page_state(r + 4096), page_state(r + 3 * 4096));

    puts("-- brk");
    long now = syscall(SYS_brk, 0);
    printf("brk(-1) %s, brk(2^62) %s, brk(1) %s\n", syscall(SYS_brk, -1L) == now ? "unchanged" : "moved",
           syscall(SYS_brk, 1L << 62) == now ? "unchanged" : "moved", syscall(SYS_brk, 1) == now ? "unchanged" : "moved");
    unlink("mm-hostile.tmp");
    return 0;
}
