/* What a signal does to a blocked syscall (test/kernel/restart.test.ts sends the signals):
 *   restart read [sa_restart]  SIGUSR1 handler (with SA_RESTART or not), then read(0): prints what
 *                              read returned (restarted: the bytes sent after the signal)
 *   restart sleep              SIGUSR1 handler, nanosleep(2 s): EINTR, and the time left in rem
 *   restart sleep-nohandler    nanosleep(300 ms) with no handler anywhere: an interruption (by an
 *                              engine) restarts it towards the same deadline
 *   restart timedwait          sem_timedwait and sem_clockwait (absolute timeouts, CLOCK_REALTIME
 *                              and CLOCK_MONOTONIC) on an empty semaphore: ETIMEDOUT after ~100 ms
 * Each line is printed (and flushed) as it happens; "ready" means the guest is about to block. */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
  (void)sig;
  handled++;
}

static void handle_usr1(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = flags;
  sigaction(SIGUSR1, &sa, NULL);
}

static double since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void timed_wait(const char *what, clockid_t clock) {
  sem_t sem;
  sem_init(&sem, 0, 0);
  struct timespec start, deadline;
  clock_gettime(CLOCK_MONOTONIC, &start);
  clock_gettime(clock, &deadline);
  deadline.tv_nsec += 100 * 1000 * 1000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000;
  }
  int r = clock == CLOCK_REALTIME ? sem_timedwait(&sem, &deadline) : sem_clockwait(&sem, clock, &deadline);
  int e = errno;
  double took = since(&start);
  printf("%s: %d %s, on time %d\n", what, r, r ? strerror(e) : "", took >= 0.09 && took < 2.0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "read") == 0) {
    handle_usr1(argc > 2 && strcmp(argv[2], "sa_restart") == 0 ? SA_RESTART : 0);
    char buf[16];
    printf("ready\n");
    fflush(stdout);
    ssize_t n = read(0, buf, sizeof buf);
    int e = errno;
    if (n < 0) printf("read: -1 %s, handled %d\n", strerror(e), handled);
    else printf("read: %zd \"%.*s\", handled %d\n", n, (int)n, buf, handled);
    return 0;
  }
  if (strcmp(mode, "sleep") == 0) {
    handle_usr1(SA_RESTART); /* nanosleep is not restarted after a handler, SA_RESTART or not */
    struct timespec req = {2, 0}, rem = {-1, -1};
    printf("ready\n");
    fflush(stdout);
    int r = nanosleep(&req, &rem);
    int e = errno;
    printf("nanosleep: %d %s, handled %d, rem between 1 and 2 s: %d\n", r, r ? strerror(e) : "", handled,
           rem.tv_sec == 1 || (rem.tv_sec == 2 && rem.tv_nsec == 0));
    return 0;
  }
  if (strcmp(mode, "sleep-nohandler") == 0) {
    struct timespec req = {0, 300 * 1000 * 1000}, start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    printf("ready\n");
    fflush(stdout);
    int r = nanosleep(&req, NULL);
    double took = since(&start);
    printf("nanosleep: %d, took 0.3 to 0.55 s: %d\n", r, took >= 0.29 && took < 0.55);
    return 0;
  }
  if (strcmp(mode, "timedwait") == 0) {
    timed_wait("sem_timedwait", CLOCK_REALTIME);
    timed_wait("sem_clockwait", CLOCK_MONOTONIC);
    return 0;
  }
  fprintf(stderr, "usage: restart read [sa_restart] | sleep | sleep-nohandler | timedwait\n");
  return 2;
}
