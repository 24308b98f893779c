/* shebang: execve of "#!" scripts (in data/shebang/), with this program as their interpreter.
 * For each script a child execve's it with argv ["orig-argv0", "x", "y z"] and the environment
 * SHEBANG_ROLE=interp; run as the interpreter, the program prints the argv it received
 * (interpreter path as written, the optional argument as one string with inner spaces kept and
 * surrounding blanks dropped, a trailing \r kept, the script path in place of argv[0], then the
 * original arguments), AT_EXECFN and the script's body read through the path it was given.
 * Covered: a script with and without the optional argument, blanks around it, CRLF, a script
 * whose interpreter is itself a script, /proc/self/exe as the interpreter (the calling program),
 * and the failures: missing interpreter (ENOENT), "#!" with no interpreter and a text file with
 * no "#!" (ENOEXEC), a script without execute permission (EACCES), a script naming itself as its
 * interpreter (ELOOP). The parent waits for each child before the next, so output is ordered. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/wait.h>

#include "fork-or-die.h"

/* prints s with control characters escaped, so "\r" is visible */
static void show(const char *s)
{
    putchar('[');
    for (; *s; s++) {
        if (*s == '\r') fputs("\\r", stdout);
        else if (*s == '\t') fputs("\\t", stdout);
        else putchar(*s);
    }
    putchar(']');
}

static int interpreter(int argc, char **argv)
{
    printf("  interpreter argv (%d):", argc);
    for (int i = 0; i < argc; i++) {
        putchar(' ');
        show(argv[i]);
    }
    printf("\n  AT_EXECFN ");
    show((const char *)getauxval(AT_EXECFN));
    putchar('\n');
    /* the script is the first argument that names a file under data/shebang/ */
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "data/shebang/", 13) != 0) continue;
        FILE *f = fopen(argv[i], "r");
        if (!f) continue;
        char line[256];
        int n = 0;
        while (fgets(line, sizeof line, f)) {
            if (n++ == 0) continue; /* the #! line */
            line[strcspn(line, "\n")] = 0;
            printf("  body of %s: ", argv[i]);
            show(line);
            putchar('\n');
        }
        fclose(f);
        break;
    }
    return 0;
}

static void run(const char *script)
{
    printf("%s\n", script);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        char *argv[] = { "orig-argv0", "x", "y z", NULL };
        char *envp[] = { "SHEBANG_ROLE=interp", NULL };
        execve(script, argv, envp);
        printf("  execve: %s\n", strerrorname_np(errno));
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st)) printf("  exit %d\n", WEXITSTATUS(st));
    else printf("  signal %d\n", WTERMSIG(st));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *role = getenv("SHEBANG_ROLE");
    if (role && !strcmp(role, "interp")) return interpreter(argc, argv);
    static const char *scripts[] = {
        "data/shebang/script", "data/shebang/noarg", "data/shebang/spaces", "data/shebang/crlf",
        "data/shebang/nested", "data/shebang/proc", "data/shebang/missing", "data/shebang/empty",
        "data/shebang/blank", "data/shebang/text", "data/shebang/not-executable", "data/shebang/loop",
    };
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++) run(scripts[i]);
    return 0;
}
