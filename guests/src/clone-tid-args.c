/* clone-tid-args: the parent_tid and child_tid arguments of clone and clone3 when no flag asks for
 * them, or when they point where nothing is mapped. Linux reads them only for CLONE_PARENT_SETTID,
 * CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID, and ignores a fault on writing through them. Go's
 * runtime makes its threads with clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
 * CLONE_SYSVSEM) and leaves a2..a4 as they happen to be (child_tid = 0xffffffffffffff00 in esbuild),
 * so a kernel that fails such a clone with EFAULT leaves every Go program without threads.
 *
 *   1. clone with those flags, a2 = a pointer above 4 GiB, a4 = 0xffffffffffffff00: a thread starts
 *   2. clone3 with CLONE_PARENT_SETTID|CLONE_CHILD_SETTID, both pointers = 4 GiB + &word: the thread
 *      starts, and `word` (what cutting the pointers to 32 bits would hit) is left alone
 * Each thread sets `ran` and exits; the parent waits for it with sched_yield. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char stack1[16384] __attribute__((aligned(16)));
static char stack2[16384] __attribute__((aligned(16)));
static volatile int ran;
static volatile uint32_t word = 7;

/* The raw call, with every argument register set; the child stores 1 in `ran` and exits at once
 * (it has no C runtime of its own: no TLS, a bare stack). */
static long raw_clone(long nr, long a0v, long a1v, long a2v, long a3v, long a4v)
{
    register long a0 __asm__("a0") = a0v;
    register long a1 __asm__("a1") = a1v;
    register long a2 __asm__("a2") = a2v;
    register long a3 __asm__("a3") = a3v;
    register long a4 __asm__("a4") = a4v;
    register long a7 __asm__("a7") = nr;
    __asm__ volatile(
        "ecall\n"
        "bnez a0, 1f\n"
        "li t0, 1\n"
        "sw t0, 0(%[ran])\n"
        "li a0, 0\n"
        "li a7, 93\n" /* exit: this thread only */
        "ecall\n"
        "1:\n"
        : "+r"(a0)
        : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7), [ran] "r"(&ran)
        : "t0", "memory");
    return a0;
}

static void wait_ran(const char *what, long r)
{
    if (r <= 0) {
        printf("%s: %s\n", what, r < 0 ? strerror((int)-r) : "returned 0 in the parent");
        return;
    }
    while (!ran) sched_yield();
    printf("%s: a thread ran\n", what);
    ran = 0;
}

int main(void)
{
    const long thread_flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
    long high = (long)0x4000800760;
    wait_ran("clone, garbage tid pointers", raw_clone(SYS_clone, thread_flags, (long)(stack1 + sizeof stack1), high, 8, (long)0xffffffffffffff00));

    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = thread_flags | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID;
    args.parent_tid = ((uint64_t)1 << 32) + (uintptr_t)&word;
    args.child_tid = ((uint64_t)1 << 32) + (uintptr_t)&word;
    args.stack = (uintptr_t)stack2;
    args.stack_size = sizeof stack2;
    wait_ran("clone3, tid pointers above 4 GiB", raw_clone(SYS_clone3, (long)&args, sizeof args, 0, 0, 0));
    printf("word %u\n", (unsigned)word);
    return 0;
}
