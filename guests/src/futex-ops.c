/* futex-ops: FUTEX_CMP_REQUEUE, FUTEX_REQUEUE and FUTEX_WAKE_OP between threads. Three threads
 * wait on word a; the main thread moves them to word b with CMP_REQUEUE (waking none), retrying
 * until all three have been moved (a thread may not have reached its wait yet), checks that a
 * CMP_REQUEUE with a stale value is EAGAIN, then wakes them on b. WAKE_OP changes a word by each
 * operation and wakes the waiters of a second word only when the comparison with the old value
 * holds. Prints counts and values only, so the output does not depend on the interleaving. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint32_t a, b, c, d;
static int woke_on_b;

static long futex(uint32_t *addr, int op, uint32_t val, unsigned long val2, uint32_t *addr2, uint32_t val3)
{
    return syscall(SYS_futex, addr, op, val, val2, addr2, val3);
}

static void *waiter(void *arg)
{
    (void)arg;
    /* Woken only through b: the word stays 0 until main sets b to 1 and wakes. */
    while (__atomic_load_n(&b, __ATOMIC_SEQ_CST) == 0) futex(&a, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
    __atomic_add_fetch(&woke_on_b, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *d_waiter(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&d, __ATOMIC_SEQ_CST) == 0) futex(&d, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, waiter, NULL);
    long moved = 0;
    while (moved < 3) {
        long r = futex(&a, FUTEX_CMP_REQUEUE_PRIVATE, 0, 3, &b, 0);
        if (r > 0) moved += r;
        else usleep(1000);
    }
    printf("CMP_REQUEUE moved %ld waiters from a to b, woke none\n", moved);
    errno = 0;
    long r = futex(&a, FUTEX_CMP_REQUEUE_PRIVATE, 0, 3, &b, 7);
    printf("CMP_REQUEUE with a stale value: %ld %s\n", r, strerrorname_np(errno));
    printf("REQUEUE with nobody waiting: %ld\n", futex(&a, FUTEX_REQUEUE_PRIVATE, 1, 1, &b, 0));
    __atomic_store_n(&b, 1, __ATOMIC_SEQ_CST);
    long woken = 0;
    while (woken < 3) woken += futex(&b, FUTEX_WAKE_PRIVATE, 3, 0, NULL, 0);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    printf("woke %ld on b; %d threads saw it\n", woken, woke_on_b);

    /* WAKE_OP on c: SET 5, ADD 3, OR 0x10, ANDN 1, XOR 0xff, and the shift form (1 << 4). */
    static const struct { int op, arg; const char *name; } ops[] = {
        { FUTEX_OP_SET, 5, "SET 5" }, { FUTEX_OP_ADD, 3, "ADD 3" }, { FUTEX_OP_OR, 0x10, "OR 0x10" },
        { FUTEX_OP_ANDN, 1, "ANDN 1" }, { FUTEX_OP_XOR, 0xff, "XOR 0xff" },
        { FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT, 4, "ADD 1<<4" },
    };
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        long n = futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &c, FUTEX_OP(ops[i].op, ops[i].arg, FUTEX_OP_CMP_EQ, 0));
        printf("WAKE_OP %-8s: c = %#x, woke %ld\n", ops[i].name, c, n);
    }
    /* A waiter on d is woken by WAKE_OP only when the comparison with c's old value holds. */
    pthread_t td;
    pthread_create(&td, NULL, d_waiter, NULL);
    usleep(20000);
    long n = futex(&a, FUTEX_WAKE_OP_PRIVATE, 0, 1, &d, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 1000));
    printf("WAKE_OP on d with a false comparison: d = %u, woke %ld\n", d, n);
    long total = 0;
    for (int tries = 0; tries < 1000 && total == 0; tries++) {
        total = futex(&a, FUTEX_WAKE_OP_PRIVATE, 0, 1, &d, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 1));
        if (total == 0) usleep(1000);
    }
    pthread_join(td, NULL);
    printf("WAKE_OP on d with a true comparison: d = %u, woke %ld\n", d, total);
    return 0;
}
