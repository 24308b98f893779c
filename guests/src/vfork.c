/* vfork: the child of vfork shares the parent's memory and the parent is suspended until the
 * child calls _exit or execve. The child's stores to a global and to a heap object are seen by
 * the parent as soon as vfork returns in it, with no wait needed; the child sees the parent as
 * getppid() and the pid it sees for itself is the one vfork returns to the parent. An execve of
 * a missing file fails in the child with ENOENT (recorded in shared memory) and the child ends
 * with _exit(127), which waitpid reports. Descriptors are the child's own copy: closing one in
 * the child leaves the parent's open. No pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int shared_global;
static volatile pid_t child_saw_self, child_saw_parent;
static volatile int exec_errno;

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    volatile int *heap = malloc(sizeof *heap);
    *heap = 1;
    shared_global = 1;
    pid_t parent = getpid();

    pid_t pid = vfork();
    if (pid == 0) {
        shared_global = 2;
        *heap = 3;
        child_saw_self = getpid();
        child_saw_parent = getppid();
        _exit(9);
    }
    /* the child has already run to _exit: its stores are visible now */
    printf("after vfork: global %d, heap %d\n", shared_global, *heap);
    printf("child's getpid is vfork's return %d, child's getppid is parent %d, differs from parent %d\n",
           child_saw_self == pid, child_saw_parent == parent, pid != parent);
    int st;
    pid_t w = waitpid(pid, &st, 0);
    printf("waitpid: same child %d, exited %d, code %d\n", w == pid, WIFEXITED(st), WEXITSTATUS(st));

    /* execve of a file that does not exist: the error comes back to the child */
    char *argv[] = { "no-such-program", NULL };
    char *envp[] = { NULL };
    pid = vfork();
    if (pid == 0) {
        execve("data/no-such-program", argv, envp);
        exec_errno = errno;
        _exit(127);
    }
    w = waitpid(pid, &st, 0);
    printf("execve of a missing file in the child: %s; child exited %d\n", strerrorname_np(exec_errno),
           WEXITSTATUS(st));

    /* the descriptor table is copied, not shared */
    int fds[2];
    pipe(fds);
    pid = vfork();
    if (pid == 0) {
        close(fds[1]);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    int flags = fcntl(fds[1], F_GETFD);
    printf("pipe end the child closed is still open in the parent: %d\n", flags >= 0);
    printf("write through it: %zd\n", write(fds[1], "x", 1));
    char c = 0;
    ssize_t n = read(fds[0], &c, 1);
    printf("read back: %zd '%c'\n", n, c);
    return 0;
}
