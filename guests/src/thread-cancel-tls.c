/* thread-cancel-tls: the per-thread parts of pthreads. pthread_cancel of a thread blocked in
 * read() (a cancellation point) runs its cleanup handlers in reverse order and joins as
 * PTHREAD_CANCELED; a cancel while cancellation is disabled waits until pthread_testcancel;
 * pthread_cleanup_pop(1) runs a handler without any cancel. __thread variables (initialised and
 * zeroed) start from their initial values in every thread and each thread sees only its own.
 * pthread_key_create destructors run at thread exit (return, pthread_exit and cancel) with the
 * thread's own value, and not for NULL values. pthread_exit from a nested call hands its value to
 * pthread_join; joining a detached thread is EINVAL; gettid differs from the process id in
 * every thread but the main one. Threads record; the main thread prints after joining. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- cancellation ---- */
static char cleanup_log[64];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void note(void *what)
{
    pthread_mutex_lock(&log_lock);
    strcat(cleanup_log, (const char *)what);
    pthread_mutex_unlock(&log_lock);
}

static int block_pipe[2];
static sem_t started;

static void *blocked_reader(void *arg)
{
    (void)arg;
    char c;
    pthread_cleanup_push(note, "A");
    pthread_cleanup_push(note, "B");
    pthread_cleanup_push(note, "C");
    sem_post(&started);
    read(block_pipe[0], &c, 1); /* nobody writes: only the cancel ends this */
    note("not-reached");
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

static sem_t cancel_sent;
static int work_after_cancel;

static void *deferred(void *arg)
{
    (void)arg;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    sem_post(&started);
    sem_wait(&cancel_sent); /* a cancellation point, but cancellation is off */
    work_after_cancel = 1;
    pthread_cleanup_push(note, "D");
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    pthread_testcancel();
    work_after_cancel = 2;
    pthread_cleanup_pop(0);
    return NULL;
}

static void *pops(void *arg)
{
    (void)arg;
    pthread_cleanup_push(note, "E");
    pthread_cleanup_push(note, "F");
    pthread_cleanup_pop(1); /* runs F */
    pthread_cleanup_pop(0); /* drops E */
    return (void *)7;
}

static void cancel_test(void)
{
    pthread_t t;
    void *ret;
    pipe(block_pipe);
    sem_init(&started, 0, 0);
    sem_init(&cancel_sent, 0, 0);

    pthread_create(&t, NULL, blocked_reader, NULL);
    sem_wait(&started);
    printf("cancel blocked reader: %s\n", strerror(pthread_cancel(t)));
    pthread_join(t, &ret);
    printf("  joined: %s, cleanup ran \"%s\"\n", ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other", cleanup_log);

    cleanup_log[0] = 0;
    pthread_create(&t, NULL, deferred, NULL);
    sem_wait(&started);
    pthread_cancel(t);
    sem_post(&cancel_sent);
    pthread_join(t, &ret);
    printf("cancel while disabled: %s, work step %d, cleanup ran \"%s\"\n",
           ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other", work_after_cancel, cleanup_log);

    cleanup_log[0] = 0;
    pthread_create(&t, NULL, pops, NULL);
    pthread_join(t, &ret);
    printf("cleanup_pop(1) then pop(0): returned %ld, cleanup ran \"%s\"\n", (long)ret, cleanup_log);
    close(block_pipe[0]);
    close(block_pipe[1]);
}

/* ---- thread-local storage ---- */
static __thread int tls_init = 42;
static __thread long tls_zero;
static __thread char tls_name[16] = "main";

struct tls_report { int init_seen; long zero_seen; char name_seen[16]; int init_after; long zero_after; };
static struct tls_report reports[4];
static pthread_barrier_t tls_barrier;

static void *tls_worker(void *arg)
{
    long id = (long)arg;
    struct tls_report *r = &reports[id];
    r->init_seen = tls_init;
    r->zero_seen = tls_zero;
    strcpy(r->name_seen, tls_name);
    tls_init = 100 + (int)id;
    tls_zero = 1000 * (id + 1);
    snprintf(tls_name, sizeof tls_name, "worker%ld", id);
    pthread_barrier_wait(&tls_barrier); /* all threads have written their copies */
    r->init_after = tls_init;
    r->zero_after = tls_zero;
    strcpy(r->name_seen + 8, tls_name + 6); /* keep "worker" suffix digits */
    return NULL;
}

static void tls_test(void)
{
    tls_init = 1;
    tls_zero = -1;
    strcpy(tls_name, "changed");
    pthread_barrier_init(&tls_barrier, NULL, 4);
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, tls_worker, (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) {
        struct tls_report *r = &reports[i];
        printf("tls thread %d: started with %d %ld \"%.7s\", kept %d %ld, own name suffix \"%s\"\n", i,
               r->init_seen, r->zero_seen, r->name_seen, r->init_after, r->zero_after, r->name_seen + 8);
    }
    printf("tls main after: %d %ld \"%s\"\n", tls_init, tls_zero, tls_name);
}

/* ---- thread-specific data ---- */
static pthread_key_t key, key2;
static long destructed[8];
static int destructor_calls, destructor2_calls;
static pthread_mutex_t dlock = PTHREAD_MUTEX_INITIALIZER;

static void destroy(void *v)
{
    pthread_mutex_lock(&dlock);
    destructed[destructor_calls++] = *(long *)v;
    pthread_mutex_unlock(&dlock);
    free(v);
}

static void destroy2(void *v) { (void)v; __atomic_fetch_add(&destructor2_calls, 1, __ATOMIC_RELAXED); }

/* pthread_exit from a few calls deep (through a pointer, so gcc sees no endless recursion) */
static void deep_exit(long depth, long value);
static void (*volatile deeper)(long, long) = deep_exit;
static void deep_exit(long depth, long value)
{
    if (depth == 0) pthread_exit((void *)value);
    deeper(depth - 1, value);
}

static void *key_worker(void *arg)
{
    long id = (long)arg;
    long *v = malloc(sizeof *v);
    *v = 10 * id;
    pthread_setspecific(key, v);
    if (pthread_getspecific(key) != v) return (void *)-1;
    /* key2 stays NULL: its destructor must not run */
    if (id == 1) deep_exit(5, 111);
    if (id == 2) {
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
        sem_post(&started);
        sem_wait(&cancel_sent);
        pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
        pthread_testcancel();
    }
    return (void *)id;
}

static void key_test(void)
{
    pthread_key_create(&key, destroy);
    pthread_key_create(&key2, destroy2);
    printf("main's value before any set: %s\n", pthread_getspecific(key) == NULL ? "NULL" : "set");
    pthread_t t[4];
    void *ret[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, key_worker, (void *)i);
    sem_wait(&started);
    pthread_cancel(t[2]);
    sem_post(&cancel_sent);
    for (int i = 0; i < 4; i++) pthread_join(t[i], &ret[i]);
    for (int i = 0; i < 4; i++) {
        if (ret[i] == PTHREAD_CANCELED) printf("key thread %d: canceled\n", i);
        else printf("key thread %d: returned %ld\n", i, (long)ret[i]);
    }
    /* the order threads exit in varies: sort what the destructors saw */
    for (int i = 0; i < destructor_calls; i++)
        for (int j = i + 1; j < destructor_calls; j++)
            if (destructed[j] < destructed[i]) { long x = destructed[i]; destructed[i] = destructed[j]; destructed[j] = x; }
    printf("destructor calls %d with values", destructor_calls);
    for (int i = 0; i < destructor_calls; i++) printf(" %ld", destructed[i]);
    printf("; NULL-valued key's destructor calls %d\n", destructor2_calls);
    pthread_key_delete(key);
    pthread_key_delete(key2);
}

/* ---- detach, ids ---- */
static sem_t release;
static pid_t worker_tid;
static int worker_pid_same;

static void *detached(void *arg)
{
    (void)arg;
    worker_tid = gettid();
    worker_pid_same = getpid() == (pid_t)(long)arg;
    sem_post(&started);
    sem_wait(&release);
    sem_post(&started);
    return NULL;
}

static void detach_test(void)
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int state = -1;
    pthread_attr_getdetachstate(&a, &state);
    pthread_t t;
    sem_init(&release, 0, 0);
    pthread_create(&t, &a, detached, (void *)(long)getpid());
    pthread_attr_destroy(&a);
    sem_wait(&started);
    printf("detached attr: %s; join of a live detached thread: %s\n",
           state == PTHREAD_CREATE_DETACHED ? "DETACHED" : "JOINABLE", strerror(pthread_join(t, NULL)));
    printf("ids: main gettid == getpid %d, worker gettid != getpid %d, worker getpid same %d\n",
           gettid() == getpid(), worker_tid != getpid() && worker_tid > 0, worker_pid_same);
    sem_post(&release);
    sem_wait(&started); /* the detached thread is on its way out */
    printf("pthread_equal(self, self) %d, pthread_equal(self, detached) %d\n",
           pthread_equal(pthread_self(), pthread_self()) != 0, pthread_equal(pthread_self(), t) != 0);
}

int main(void)
{
    cancel_test();
    tls_test();
    key_test();
    detach_test();
    return 0;
}
