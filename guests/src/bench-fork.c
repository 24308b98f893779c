/* Benchmark: the cost of fork+exit+wait. argv[1]: MiB of heap the parent fills before forking
 * (default 10); argv[2]: how many children (default 50). Each child reads one byte of the heap and
 * exits; the parent reaps it. Prints the mean time of one round trip, measured by the guest itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int c, char **v) {
  int mb = c > 1 ? atoi(v[1]) : 10, n = c > 2 ? atoi(v[2]) : 50;
  char *p = malloc(mb << 20); memset(p, 1, mb << 20);
  double t0 = now();
  for (int i = 0; i < n; i++) { pid_t k = fork(); if (k == 0) _exit(p[i] == 1 ? 0 : 1); int st; waitpid(k, &st, 0); if (WEXITSTATUS(st)) return 1; }
  double t1 = now();
  printf("%d MB: %.3f ms per fork+exit+wait\n", mb, (t1 - t0) * 1000 / n);
  return 0;
}
