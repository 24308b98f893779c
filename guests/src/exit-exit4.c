/* exit-exit4: _exit(4) ends the process immediately: atexit handlers do not
 * run and text still sitting in the stdout buffer (stdout is a pipe, so it
 * is fully buffered) is lost.  Only what went out through write(2) and the
 * unbuffered stderr appears; the status is 4. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void handler(void) { puts("atexit handler: must not run"); }

int main(void)
{
    atexit(handler);
    printf("this stays in the stdio buffer and is lost\n");
    const char *msg = "written directly with write(2)\n";
    if (write(1, msg, strlen(msg)) < 0) return 1;
    fprintf(stderr, "exit-exit4: calling _exit(4)\n");
    _exit(4);
}
