/* exit-wrap: only the low 8 bits of an exit status reach the parent:
 * exit(300) (the default) gives status 44, exit(511) gives 255, and a
 * negative value such as -1 also gives 255. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 300;
    printf("exit(%d)\n", code);
    exit(code);
}
