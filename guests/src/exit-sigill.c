/* exit-sigill: executing an all-zero instruction word (defined to be
 * illegal on RISC-V) raises SIGILL and kills the process (status 128+4 =
 * 132). */
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "exit-sigill: executing an illegal instruction\n");
    __asm__ volatile(".4byte 0");
    puts("not reached");
    return 0;
}
