/* exit-return5: returning 5 from main is exit(5): constructors run before
 * main, and atexit handlers and destructors after it, with stdout flushed.
 * (Truncation of the status to 8 bits is checked by exit-wrap.) */
#include <stdio.h>
#include <stdlib.h>

static void bye(void) { puts("atexit handler ran"); }
__attribute__((destructor)) static void dtor(void) { puts("destructor ran"); }
__attribute__((constructor)) static void ctor(void) { puts("constructor ran before main"); }

int main(void)
{
    atexit(bye);
    puts("main returning 5");
    return 5;
}
