/* futex-shared: futexes and process-shared pthread objects in memory two processes share. A
 * MAP_SHARED|MAP_ANONYMOUS page mapped before fork is seen by both (a MAP_PRIVATE one is not);
 * both processes add to a counter in it with atomics. Raw futex calls (without
 * FUTEX_PRIVATE_FLAG): FUTEX_WAIT with a stale value is EAGAIN, with a timeout ETIMEDOUT; a
 * parent's FUTEX_WAKE wakes the child waiting on the shared word (the parent retries until it
 * finds the child asleep, so the count is 1), while a FUTEX_PRIVATE_FLAG wake from the other
 * process finds no waiter; a ping-pong of turns on one word. Then PTHREAD_PROCESS_SHARED mutex and
 * condition variable and a sem_init(pshared=1) semaphore. (Robust mutexes: robust-mutex.c.) */
#define _GNU_SOURCE
#include <stdlib.h>
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *timeout)
{
    return syscall(SYS_futex, addr, op, val, timeout, NULL, 0);
}

struct shared {
    uint32_t word;
    uint32_t turn;
    uint32_t log[16];
    uint32_t nlog;
    long counter;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int ready;
    long guarded;
    sem_t sem;
};

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

static void memory_and_counter(struct shared *sh)
{
    int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *private = 1;
    sh->counter = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        *private = 2;
        for (int i = 0; i < 20000; i++) __atomic_fetch_add(&sh->counter, 1, __ATOMIC_SEQ_CST);
        _exit(0);
    }
    for (int i = 0; i < 20000; i++) __atomic_fetch_add(&sh->counter, 2, __ATOMIC_SEQ_CST);
    int st;
    waitpid(pid, &st, 0);
    printf("shared counter %ld (expected 60000), private page still %d\n", sh->counter, *private);
    munmap(private, 4096);
}

static void raw_futex(struct shared *sh)
{
    sh->word = 5;
    errno = 0;
    long r = futex(&sh->word, FUTEX_WAIT, 4, NULL);
    printf("FUTEX_WAIT with a stale value: %ld %s\n", r, strerrorname_np(errno));
    struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
    errno = 0;
    r = futex(&sh->word, FUTEX_WAIT, 5, &ten_ms);
    printf("FUTEX_WAIT with a 10 ms timeout: %ld %s\n", r, strerrorname_np(errno));
    printf("FUTEX_WAKE with no waiter: %ld\n", futex(&sh->word, FUTEX_WAKE, 1, NULL));

    sh->word = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        /* wait until the parent changes the word; a wake that leaves it 0 just waits again */
        while (__atomic_load_n(&sh->word, __ATOMIC_SEQ_CST) == 0) futex(&sh->word, FUTEX_WAIT, 0, NULL);
        _exit(sh->word == 1 ? 0 : 1);
    }
    /* a private wake keys the futex by this process's memory: it never finds the child */
    long priv = futex(&sh->word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL);
    /* wake until the child is found asleep on the shared word (bounded by a count, not time) */
    long woken = 0;
    for (int tries = 0; tries < 1000000 && woken == 0; tries++) {
        woken = futex(&sh->word, FUTEX_WAKE, 1, NULL);
        if (woken == 0) sched_yield();
    }
    __atomic_store_n(&sh->word, 1, __ATOMIC_SEQ_CST);
    futex(&sh->word, FUTEX_WAKE, 1, NULL);
    int st;
    waitpid(pid, &st, 0);
    printf("private wake from the other process: %ld; shared wake found the sleeping child: %ld; child exit %d\n", priv,
           woken, WEXITSTATUS(st));
}

static void ping_pong(struct shared *sh)
{
    sh->turn = 0;
    sh->nlog = 0;
    pid_t pid = fork_or_die();
    int me = pid == 0 ? 1 : 0;
    for (int step = me; step < 12; step += 2) {
        uint32_t t;
        while ((t = __atomic_load_n(&sh->turn, __ATOMIC_SEQ_CST)) != (uint32_t)step) futex(&sh->turn, FUTEX_WAIT, t, NULL);
        sh->log[sh->nlog++] = (uint32_t)(me * 100 + step);
        __atomic_store_n(&sh->turn, step + 1, __ATOMIC_SEQ_CST);
        futex(&sh->turn, FUTEX_WAKE, 1, NULL);
    }
    if (pid == 0) _exit(0);
    waitpid(pid, NULL, 0);
    printf("ping-pong:");
    for (uint32_t i = 0; i < sh->nlog; i++) printf(" %u", sh->log[i]);
    printf("\n");
}

static void pshared_objects(struct shared *sh)
{
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&sh->mutex, &ma);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&sh->cond, &ca);
    sem_init(&sh->sem, 1, 0);
    sh->ready = 0;
    sh->guarded = 0;

    pid_t pid = fork_or_die();
    if (pid == 0) {
        for (int i = 0; i < 3000; i++) {
            pthread_mutex_lock(&sh->mutex);
            sh->guarded += 3;
            pthread_mutex_unlock(&sh->mutex);
        }
        pthread_mutex_lock(&sh->mutex);
        while (!sh->ready) pthread_cond_wait(&sh->cond, &sh->mutex);
        pthread_mutex_unlock(&sh->mutex);
        for (int i = 0; i < 5; i++) sem_post(&sh->sem);
        _exit(0);
    }
    for (int i = 0; i < 3000; i++) {
        pthread_mutex_lock(&sh->mutex);
        sh->guarded += 1;
        pthread_mutex_unlock(&sh->mutex);
    }
    pthread_mutex_lock(&sh->mutex);
    sh->ready = 1;
    pthread_cond_signal(&sh->cond);
    pthread_mutex_unlock(&sh->mutex);
    for (int i = 0; i < 5; i++) sem_wait(&sh->sem);
    int st;
    waitpid(pid, &st, 0);
    int v = -1;
    sem_getvalue(&sh->sem, &v);
    printf("process-shared mutex: %ld (expected 12000); condition signalled across processes; semaphore 5 posts taken, value %d\n",
           sh->guarded, v);
    describe("pshared child", st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) return 1;
    memory_and_counter(sh);
    raw_futex(sh);
    ping_pong(sh);
    pshared_objects(sh);
    return 0;
}
