/* rr-wakes: a thread that sleeps while another works. Both threads first sleep (nothing runs); then
 * the main thread counts chunks of work, and the sleeper marks, after each of its sleeps, how many
 * chunks were done by then. Where the marks fall is the host's timing, so it changes from run to
 * run; `rvtrace replay` must put each wake-up at the same chunk as recorded. test/cli/replay.test.ts
 * records it on a host whose timers fire early, so that the recorded run has slices in which a
 * thread woke and went back to sleep (its sleep was not over). No golden file. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define SLEEPS 3

static atomic_long chunks;
static atomic_int sleeper_done;
static long marks[SLEEPS];

/* Spins for a while (volatile: the compiler keeps the loop). */
static void spin(unsigned n)
{
    volatile unsigned x = 0;
    for (unsigned i = 0; i < n; i++) x += i;
}

static void nap_ms(long ms)
{
    struct timespec d = { 0, ms * 1000 * 1000 };
    nanosleep(&d, NULL);
}

static void *sleeper(void *arg)
{
    (void)arg;
    for (int i = 0; i < SLEEPS; i++) {
        nap_ms(60);
        marks[i] = atomic_load(&chunks);
    }
    atomic_store(&sleeper_done, 1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, sleeper, NULL) != 0) return 1;
    nap_ms(20);
    while (!atomic_load(&sleeper_done)) {
        spin(10000);
        atomic_fetch_add(&chunks, 1);
    }
    pthread_join(t, NULL);
    for (int i = 0; i < SLEEPS; i++) printf("wake %d after %ld chunks\n", i, marks[i]);
    return 0;
}
