/* exit-sigtrap: __builtin_trap() compiles to ebreak on RISC-V, which raises
 * SIGTRAP and kills the process (status 128+5 = 133). */
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "exit-sigtrap: calling __builtin_trap()\n");
    __builtin_trap();
}
