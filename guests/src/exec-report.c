// Runs execv(argv[1], argv + 1) and, when it fails, prints the errno it failed with: the execve
// side of dynamic programs (a missing or unusable PT_INTERP loader is the execve's error).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: exec-report PROGRAM [ARGS...]\n");
    return 2;
  }
  execv(argv[1], argv + 1);
  int e = errno;
  printf("execv %s: errno %d (%s)\n", argv[1], e, strerror(e));
  return 1;
}
