/* exit-abort: abort() raises SIGABRT, which kills the process (status
 * 128+6 = 134).  abort does not flush stdio, so buffered stdout text is
 * lost; the stderr message before it is not. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("buffered on stdout, lost when abort kills the process\n");
    fprintf(stderr, "exit-abort: calling abort()\n");
    abort();
}
