/* rr-procs: processes and threads whose interleaving the host decides. Four children each take a
 * random number, spin for that long (so they cross the scheduler's quanta), sleep a random short
 * time, read the clock and report through one pipe; the parent prints the reports in the order they
 * arrive and the exit statuses in the order wait returns them. Then two threads do the same with a
 * mutex-protected log. The order changes from run to run; `rvtrace replay` must reproduce the one
 * that was recorded (test/cli/replay.test.ts); no golden file. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/wait.h>

static unsigned random32(void)
{
    unsigned r = 0;
    getrandom(&r, sizeof r, 0);
    return r;
}

/* Spins for a while (volatile: the compiler keeps the loop). */
static unsigned spin(unsigned n)
{
    volatile unsigned x = 0;
    for (unsigned i = 0; i < n; i++) x += i;
    return x;
}

static void nap(unsigned us)
{
    struct timespec d = { 0, (long)us * 1000 };
    nanosleep(&d, NULL);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char log_[512];

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    for (int round = 0; round < 3; round++) {
        unsigned r = random32();
        spin(r % 300000);
        nap(r % 500);
        pthread_mutex_lock(&lock);
        size_t len = strlen(log_);
        snprintf(log_ + len, sizeof log_ - len, " t%d.%d", id, round);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0) return 1;
    for (int i = 0; i < 4; i++) {
        pid_t pid = fork();
        if (pid < 0) return 1;
        if (pid == 0) {
            close(fds[0]);
            unsigned r = random32();
            spin(r % 2000000);
            nap(r % 3000);
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            char msg[128];
            int n = snprintf(msg, sizeof msg, "child %d: random %08x, clock %lld.%09ld\n", i, r, (long long)now.tv_sec, now.tv_nsec);
            write(fds[1], msg, n);
            _exit(10 + i);
        }
    }
    close(fds[1]);
    char buf[1024];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) fwrite(buf, 1, n, stdout);
    for (int i = 0; i < 4; i++) {
        int st;
        wait(&st);
        printf("a child exited with %d\n", WEXITSTATUS(st));
    }
    pthread_t t[2];
    for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    printf("threads:%s\n", log_);
    return 0;
}
