/* env: the environment.  getenv of a few well-known variables (PATH, LANG,
 * HOME, TERM, and RVTRACE_TEST), then setenv/unsetenv/putenv round trips.
 * With the argument "all" it also prints the whole environ array in order
 * -- only done by test cases that run with a known, clean environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *name)
{
    const char *v = getenv(name);
    if (v) printf("%s=[%s]\n", name, v);
    else printf("%s is unset\n", name);
}

int main(int argc, char **argv)
{
    int all = argc > 1 && strcmp(argv[1], "all") == 0;
    if (all) {
        int n = 0;
        for (char **e = environ; *e; e++) printf("environ[%d] = %s\n", n++, *e);
        printf("%d variables\n", n);
    }
    show("PATH");
    show("LANG");
    show("HOME");
    show("TERM");
    show("RVTRACE_TEST");

    setenv("RVTRACE_TEST", "set by setenv", 1);
    show("RVTRACE_TEST");
    setenv("RVTRACE_TEST", "not overwritten", 0);
    show("RVTRACE_TEST");
    static char entry[] = "RVTRACE_PUT=from putenv";
    putenv(entry);
    show("RVTRACE_PUT");
    unsetenv("RVTRACE_TEST");
    show("RVTRACE_TEST");
    unsetenv("PATH");
    show("PATH");
    if (all) {
        int n = 0;
        for (char **e = environ; *e; e++) n++;
        printf("%d variables at the end\n", n);
    }
    return 0;
}
