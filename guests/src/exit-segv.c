/* exit-segv: a store to address 16 (an unmapped page) raises SIGSEGV and
 * kills the process (status 128+11 = 139).  Output flushed before the
 * fault appears; output still in the stdio buffer does not. */
#include <stdio.h>

int main(void)
{
    printf("flushed before the fault\n");
    fflush(stdout);
    printf("still buffered when the fault happens\n");
    fprintf(stderr, "exit-segv: storing to address 16\n");
    volatile int *volatile p = (volatile int *)16;   /* hidden from the optimiser */
    *p = 1;
    puts("not reached");
    return 0;
}
