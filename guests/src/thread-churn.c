// Starts and joins threads one after another, far more of them than an address space has register
// slots for running threads (1024: the reserved top of rvtrace's guest memory), so that the threads
// started late run only if every ended thread gave its slot back; then one more thread that runs a
// hot loop, long enough for the compiled tier, which reaches a thread only through its slot.
// Prints the count joined, then what the hot thread computed (main waits for it: one order).
// Argument: how many threads to start and join first (default 1100).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *give_back(void *arg) { return arg; }

// FNV-1a over the numbers 0 .. n-1: a loop the compiled tier will compile.
static void *hot(void *arg) {
  unsigned long n = (unsigned long)arg, h = 14695981039346656037UL;
  for (unsigned long i = 0; i < n; i++) h = (h ^ i) * 1099511628211UL;
  char line[64];
  int len = snprintf(line, sizeof line, "hot thread: %016lx\n", h);
  if (write(1, line, len) != len) return NULL;
  return arg;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1100;
  for (int i = 0; i < n; i++) {
    pthread_t t;
    void *r;
    int e = pthread_create(&t, NULL, give_back, (void *)(long)i);
    if (e != 0) {
      printf("pthread_create %d: %s\n", i, strerror(e));
      return 1;
    }
    if (pthread_join(t, &r) != 0 || r != (void *)(long)i) {
      printf("pthread_join %d failed\n", i);
      return 1;
    }
  }
  printf("joined %d threads\n", n);
  fflush(stdout);
  pthread_t t;
  void *r;
  if (pthread_create(&t, NULL, hot, (void *)200000UL) != 0 || pthread_join(t, &r) != 0 || r != (void *)200000UL) {
    printf("hot thread failed\n");
    return 1;
  }
  printf("done\n");
  return 0;
}
