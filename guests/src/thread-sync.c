/* thread-sync: the pthread synchronisation objects, each used by several threads at once:
 * a bounded producer/consumer queue on two condition variables (every item consumed exactly
 * once, each producer's items seen in order), pthread_cond_timedwait and sem_timedwait with a
 * deadline already past (ETIMEDOUT), pthread_cond_broadcast waking every waiter, a barrier that
 * names exactly one serial thread per round, a rwlock (readers share it, a writer excludes them),
 * POSIX semaphores (sem_trywait EAGAIN on zero, sem_post/sem_wait counting, a semaphore of 3
 * permits never letting more than 3 threads in) and pthread_once running its routine once.
 * Threads only compute; the main thread prints after joining them. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- producer/consumer ---- */
#define PRODUCERS 3
#define CONSUMERS 3
#define ITEMS 300
#define QSIZE 4

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notfull = PTHREAD_COND_INITIALIZER, notempty = PTHREAD_COND_INITIALIZER;
static int queue[QSIZE], qhead, qcount;
static long consumed_sum[CONSUMERS], consumed_n[CONSUMERS];
static int out_of_order[CONSUMERS];
static int seen[PRODUCERS * ITEMS];

static void put(int v)
{
    pthread_mutex_lock(&qlock);
    while (qcount == QSIZE) pthread_cond_wait(&notfull, &qlock);
    queue[(qhead + qcount) % QSIZE] = v;
    qcount++;
    pthread_cond_signal(&notempty);
    pthread_mutex_unlock(&qlock);
}

static int take(void)
{
    pthread_mutex_lock(&qlock);
    while (qcount == 0) pthread_cond_wait(&notempty, &qlock);
    int v = queue[qhead];
    qhead = (qhead + 1) % QSIZE;
    qcount--;
    pthread_cond_signal(&notfull);
    pthread_mutex_unlock(&qlock);
    return v;
}

static void *producer(void *arg)
{
    long p = (long)arg;
    for (int i = 0; i < ITEMS; i++) put((int)(p * ITEMS + i));
    return NULL;
}

static void *consumer(void *arg)
{
    long c = (long)arg;
    int last[PRODUCERS] = { -1, -1, -1 };
    for (;;) {
        int v = take();
        if (v < 0) break; /* the end marker, one per consumer */
        int p = v / ITEMS;
        if (v <= last[p]) out_of_order[c]++;
        last[p] = v;
        __atomic_fetch_add(&seen[v], 1, __ATOMIC_RELAXED);
        consumed_sum[c] += v;
        consumed_n[c]++;
    }
    return NULL;
}

static void queue_test(void)
{
    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (long i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, consumer, (void *)i);
    for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, producer, (void *)i);
    for (int i = 0; i < PRODUCERS; i++) pthread_join(p[i], NULL);
    for (int i = 0; i < CONSUMERS; i++) put(-1);
    for (int i = 0; i < CONSUMERS; i++) pthread_join(c[i], NULL);
    long sum = 0, n = 0;
    int disorder = 0, once = 0;
    for (int i = 0; i < CONSUMERS; i++) sum += consumed_sum[i], n += consumed_n[i], disorder += out_of_order[i];
    for (int i = 0; i < PRODUCERS * ITEMS; i++) once += seen[i] == 1;
    printf("queue: %ld items, sum %ld (expected %d), %d consumed exactly once, %d out of order\n",
           n, sum, PRODUCERS * ITEMS * (PRODUCERS * ITEMS - 1) / 2, once, disorder);
}

/* ---- timed waits that time out, broadcast ---- */
static pthread_mutex_t block = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bcond = PTHREAD_COND_INITIALIZER;
static int go, waiting, woken;

static void *broadcast_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&block);
    waiting++;
    pthread_cond_broadcast(&bcond); /* tells main one more is waiting */
    while (!go) pthread_cond_wait(&bcond, &block);
    woken++;
    pthread_mutex_unlock(&block);
    return NULL;
}

static void timed_test(void)
{
    struct timespec past;
    clock_gettime(CLOCK_REALTIME, &past);
    past.tv_sec -= 1;
    pthread_mutex_lock(&block);
    int r = pthread_cond_timedwait(&bcond, &block, &past);
    pthread_mutex_unlock(&block);
    printf("cond_timedwait past deadline: %s\n", strerror(r));

    sem_t s;
    sem_init(&s, 0, 0);
    r = sem_timedwait(&s, &past);
    printf("sem_timedwait past deadline: %d %s\n", r, strerror(errno));
    sem_destroy(&s);

    enum { N = 5 };
    pthread_t t[N];
    for (int i = 0; i < N; i++) pthread_create(&t[i], NULL, broadcast_waiter, NULL);
    pthread_mutex_lock(&block);
    while (waiting < N) pthread_cond_wait(&bcond, &block);
    go = 1;
    pthread_cond_broadcast(&bcond);
    pthread_mutex_unlock(&block);
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    printf("broadcast woke %d of %d waiters\n", woken, N);
}

/* ---- barrier ---- */
#define BTHREADS 6
#define ROUNDS 4
static pthread_barrier_t barrier;
static int slot[BTHREADS];
static int serial[ROUNDS], mismatches;

static void *barrier_worker(void *arg)
{
    long id = (long)arg;
    for (int round = 0; round < ROUNDS; round++) {
        slot[id] = round * 100 + (int)id;
        int r = pthread_barrier_wait(&barrier);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_fetch_add(&serial[round], 1, __ATOMIC_RELAXED);
        /* every slot now holds this round's value */
        int next = slot[(id + 1) % BTHREADS];
        if (next != round * 100 + (int)((id + 1) % BTHREADS)) __atomic_fetch_add(&mismatches, 1, __ATOMIC_RELAXED);
        pthread_barrier_wait(&barrier); /* nobody writes the next round before all have read */
    }
    return NULL;
}

static void barrier_test(void)
{
    pthread_barrier_init(&barrier, NULL, BTHREADS);
    pthread_t t[BTHREADS];
    for (long i = 0; i < BTHREADS; i++) pthread_create(&t[i], NULL, barrier_worker, (void *)i);
    for (int i = 0; i < BTHREADS; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&barrier);
    printf("barrier: serial threads per round");
    for (int r = 0; r < ROUNDS; r++) printf(" %d", serial[r]);
    printf(", %d mismatches\n", mismatches);
}

/* ---- rwlock ---- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long pair_a, pair_b;
static int torn, reader_try, writer_try;

static void *rw_probe(void *arg)
{
    (void)arg;
    /* main holds a read lock: another reader gets in, a writer does not */
    reader_try = pthread_rwlock_tryrdlock(&rw);
    if (reader_try == 0) pthread_rwlock_unlock(&rw);
    writer_try = pthread_rwlock_trywrlock(&rw);
    return NULL;
}

static void *rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        pthread_rwlock_wrlock(&rw);
        pair_a++;
        sched_yield();
        pair_b++;
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

static void *rw_reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        pthread_rwlock_rdlock(&rw);
        if (pair_a != pair_b) __atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
        pthread_rwlock_unlock(&rw);
    }
    return NULL;
}

static void rwlock_test(void)
{
    pthread_t t[6];
    pthread_rwlock_rdlock(&rw);
    pthread_create(&t[0], NULL, rw_probe, NULL);
    pthread_join(t[0], NULL);
    pthread_rwlock_unlock(&rw);
    printf("rwlock held for reading: tryrdlock %s, trywrlock %s\n", strerror(reader_try), strerror(writer_try));
    for (int i = 0; i < 6; i++) pthread_create(&t[i], NULL, i < 2 ? rw_writer : rw_reader, NULL);
    for (int i = 0; i < 6; i++) pthread_join(t[i], NULL);
    printf("rwlock: pair %ld %ld, torn reads %d\n", pair_a, pair_b, torn);
}

/* ---- semaphores ---- */
static sem_t done, pool;
static int inside, most_inside;
static pthread_mutex_t inside_lock = PTHREAD_MUTEX_INITIALIZER;

static void *poster(void *arg)
{
    (void)arg;
    sem_post(&done);
    return NULL;
}

static void *pool_user(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        sem_wait(&pool);
        pthread_mutex_lock(&inside_lock);
        if (++inside > most_inside) most_inside = inside;
        pthread_mutex_unlock(&inside_lock);
        sched_yield();
        pthread_mutex_lock(&inside_lock);
        inside--;
        pthread_mutex_unlock(&inside_lock);
        sem_post(&pool);
    }
    return NULL;
}

static void semaphore_test(void)
{
    sem_init(&done, 0, 0);
    int r = sem_trywait(&done);
    printf("sem_trywait on 0: %d %s\n", r, strerror(errno));
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, poster, NULL);
    for (int i = 0; i < 8; i++) sem_wait(&done);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    int v = -1;
    sem_getvalue(&done, &v);
    printf("8 posts, 8 waits: value %d\n", v);
    sem_post(&done);
    sem_post(&done);
    sem_getvalue(&done, &v);
    printf("2 more posts: value %d, trywait %d", v, sem_trywait(&done));
    sem_getvalue(&done, &v);
    printf(", value %d\n", v);
    sem_destroy(&done);

    sem_init(&pool, 0, 3);
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, pool_user, NULL);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    sem_getvalue(&pool, &v);
    printf("pool of 3: at most 3 inside: %s, value after %d\n", most_inside >= 1 && most_inside <= 3 ? "yes" : "no", v);
    sem_destroy(&pool);
}

/* ---- pthread_once ---- */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_init(void) { once_runs++; }
static void *once_user(void *arg) { (void)arg; pthread_once(&once, once_init); return NULL; }

static void once_test(void)
{
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, once_user, NULL);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    pthread_once(&once, once_init);
    printf("pthread_once from 9 callers: routine ran %d time(s)\n", once_runs);
}

int main(void)
{
    queue_test();
    timed_test();
    barrier_test();
    rwlock_test();
    semaphore_test();
    once_test();
    return 0;
}
