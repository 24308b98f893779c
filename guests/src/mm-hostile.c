/* mm-hostile: memory syscalls given hostile addresses and lengths answer with Linux's errors and
 * change nothing: addresses at the top of the 64-bit space or above the user address space, lengths
 * that wrap, a length of zero, mremap to a negative or unaligned address, mincore
 * with a huge length, mprotect(PROT_WRITE) of a MAP_SHARED mapping of a read-only descriptor. The
 * goldens come from the host's kernel (qemu-user aborts on the first call). Prints only results and
 * errno names, and whether a page the program owns survived each call. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
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
    return 0;
}
