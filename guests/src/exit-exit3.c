/* exit-exit3: exit(3) from a nested call.  exit runs atexit handlers in
 * reverse order of registration and flushes stdio, so the buffered stdout
 * text must appear; the status is 3. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { puts("atexit: registered first, runs last"); }
static void second(void) { puts("atexit: registered second, runs first"); }

static void leave(int code)
{
    printf("leaving with exit(%d)\n", code);
    fprintf(stderr, "exit-exit3: about to exit\n");
    exit(code);
}

int main(void)
{
    atexit(first);
    atexit(second);
    printf("buffered line, not yet flushed when exit is called\n");
    leave(3);
    puts("not reached");
    return 0;
}
