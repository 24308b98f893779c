/* rvtrace trace -f / -ff on a child that outlives its parent: the parent exits with 2 at once, the
 * child waits until the parent is gone (kill(parent, 0) fails), then writes and exits with 4. strace -f goes on
 * until the last traced task is gone, so the child's lines come after the parent's end (without
 * the "[pid N]" column, the child being the only task left).
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,clone,write,exit_group st-follow-orphan
 * See st-follow.h for the expected blocks on stdout. Exits with status 2. */
#include "st-follow.h"
#include <sched.h>

int main(int argc, char **argv, char **envp) {
  (void)argc;
  long me = getpid();
  own_block(me);
  expect_exec(argv, envp);
  pid_t c = fork();
  if (c == 0) {
    long self = getpid();
    while (kill((pid_t)me, 0) == 0) sched_yield();
    own_block(self);
    long rc = write(2, "orphan\n", 7);
    expect("write(2, \"orphan\\n\", 7) = %ld", rc);
    expect("exit_group(4) = ?");
    expect("+++ exited with 4 +++");
    own_emit(self);
    _exit(4);
  }
  expect("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x0) = %d", c);
  expect("exit_group(2) = ?");
  expect("+++ exited with 2 +++");
  own_emit(me);
  return 2;
}
