/* thread-mutex: 16 threads share counters guarded by a pthread_mutex (a plain one and a
 * recursive one, locked twice per step), each also keeps its own sum in a slot only it writes;
 * pthread_mutex_trylock on a mutex the main thread holds says EBUSY in every thread, and an
 * error-checking mutex reports EDEADLK on relock and EPERM on unlock by a non-owner. The main
 * thread joins them all and prints the totals, so the output is the same in any interleaving. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 16
#define STEPS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rlock;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t checked;
static long counter, rcounter, weighted;
static long sums[THREADS];
static int busy[THREADS], eperm[THREADS];

static void *work(void *arg)
{
    long id = (long)arg;
    /* the main thread holds `held` until every thread is joined */
    busy[id] = pthread_mutex_trylock(&held) == EBUSY;
    eperm[id] = pthread_mutex_unlock(&checked) == EPERM;
    for (long i = 0; i < STEPS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        weighted += id + 1;
        pthread_mutex_unlock(&lock);

        pthread_mutex_lock(&rlock);
        pthread_mutex_lock(&rlock);
        rcounter += 2;
        pthread_mutex_unlock(&rlock);
        pthread_mutex_unlock(&rlock);

        sums[id] += i * (id + 1);
    }
    return (void *)(id * 10);
}

int main(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rlock, &a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&checked, &a);
    pthread_mutexattr_destroy(&a);

    pthread_mutex_lock(&held);
    pthread_mutex_lock(&checked);
    printf("errorcheck relock: %s\n", strerror(pthread_mutex_lock(&checked)));

    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) {
        int r = pthread_create(&t[i], NULL, work, (void *)i);
        if (r) printf("pthread_create %ld: %s\n", i, strerror(r));
    }
    long retsum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        retsum += (long)ret;
    }
    pthread_mutex_unlock(&held);
    printf("errorcheck unlock by owner: %s\n", strerror(pthread_mutex_unlock(&checked)));

    printf("counter %ld (expected %d)\n", counter, THREADS * STEPS);
    printf("recursive counter %ld (expected %d)\n", rcounter, 2 * THREADS * STEPS);
    printf("weighted %ld (expected %d)\n", weighted, STEPS * THREADS * (THREADS + 1) / 2);
    int nbusy = 0, neperm = 0;
    for (int i = 0; i < THREADS; i++) {
        printf("thread %2d sum %ld\n", i, sums[i]);
        nbusy += busy[i];
        neperm += eperm[i];
    }
    printf("trylock EBUSY in %d threads, unlock by non-owner EPERM in %d threads\n", nbusy, neperm);
    printf("sum of return values %ld\n", retsum);
    printf("join of self: %s\n", strerror(pthread_join(pthread_self(), NULL)));
    return 0;
}
