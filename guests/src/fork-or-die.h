/* fork, or stop here: a failed fork's -1 passed on to kill() or waitpid() would mean "every
 * process" or "any child". Shared by the guests that fork; needs _GNU_SOURCE (strerrorname_np). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pid_t fork_or_die(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork failed: %s\n", strerrorname_np(errno));
        exit(99);
    }
    return pid;
}
