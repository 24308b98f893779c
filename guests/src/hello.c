/* hello: the smallest libc program -- prints one line to stdout, exits 0. */
#include <stdio.h>

int main(void)
{
    puts("Hello, world!");
    return 0;
}
