// A guest for the gdb stub's test (test/cli/gdb.test.ts): built with -g -O0 so that gdb finds
// main, its locals and line numbers. The exit status and the line printed show what gdb changed.
#include <stdio.h>

static int twice_plus_one(int x) {
  int doubled = x * 2;
  return doubled + 1;
}

int main(void) {
  int counter = 20;
  float ratio = 2.5f;
  counter = twice_plus_one(counter);
  ratio = ratio * 3.0f;
  printf("counter=%d ratio=%.2f\n", counter, ratio);
  return counter & 0x7f;
}
