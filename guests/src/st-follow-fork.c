/* rvtrace trace -f / -ff on fork, pipes, clone3 and the waits: the parent blocks in read while the
 * child writes (the call is cut and resumed in a shared log), wait4 reports the child's exit code 7
 * and waitid its siginfo, and each child's end comes with SIGCHLD carrying its status.
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,pipe2,clone,clone3,close,read,write,wait4,waitid,exit_group st-follow-fork
 * See st-follow.h for the expected blocks on stdout. Exits with status 0. */
#include "st-follow.h"
#include <linux/sched.h>

int main(int argc, char **argv, char **envp) {
  (void)argc;
  long me = getpid();
  own_block(me);
  expect_exec(argv, envp);
  int p[2];
  long rc = syscall(SYS_pipe2, p, 0);
  expect("pipe2([%d, %d], 0) = %ld", p[0], p[1], rc);
  pid_t c = fork();
  if (c == 0) {
    long self = getpid();
    own_block(self);
    close(p[0]);
    expect("close(%d) = 0", p[0]);
    rc = write(p[1], "hi", 2);
    expect("write(%d, \"hi\", 2) = %ld", p[1], rc);
    expect("exit_group(7) = ?");
    expect("+++ exited with 7 +++");
    own_emit(self);
    _exit(7);
  }
  expect("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x0) = %d", c);
  close(p[1]);
  expect("close(%d) = 0", p[1]);
  char b[8];
  rc = read(p[0], b, sizeof b);
  expect("read(%d, \"hi\", 8) = %ld", p[0], rc);
  int st;
  rc = wait4(c, &st, 0, NULL);
  expect("wait4(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], 0, NULL) = %ld", c, WEXITSTATUS(st), rc);
  expect("~%s", sigchld_line(CLD_EXITED, c, 7));

  /* clone3 as a plain fork: only the exit signal set. */
  struct clone_args ca;
  memset(&ca, 0, sizeof ca);
  ca.exit_signal = SIGCHLD;
  long c3 = syscall(SYS_clone3, &ca, 64);
  if (c3 == 0) {
    long self = getpid();
    own_block(self);
    expect("exit_group(0) = ?");
    expect("+++ exited with 0 +++");
    own_emit(self);
    syscall(SYS_exit_group, 0);
  }
  expect("clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 64) = %ld", c3);
  /* Linux fills only some fields of siginfo: the rest stays as the caller left it. */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  rc = waitid(P_PID, (id_t)c3, &si, WEXITED);
  expect("waitid(P_PID, %ld, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%ld, si_uid=%d, si_status=%d, si_utime=0, "
         "si_stime=0}, WEXITED, NULL) = %ld", c3, c3, (int)getuid(), si.si_status, rc);
  expect("~%s", sigchld_line(CLD_EXITED, c3, 0));
  expect("exit_group(0) = ?");
  expect("+++ exited with 0 +++");
  own_emit(me);
  return 0;
}
