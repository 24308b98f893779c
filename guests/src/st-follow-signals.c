/* rvtrace trace -f / -ff on children ended or stopped by signals: one killed by SIGTERM, one that
 * calls abort(), one stopped with SIGSTOP ("--- stopped by SIGSTOP ---"), continued with SIGCONT
 * (waitid with WCONTINUED) and killed with SIGKILL. The parent sees each change as SIGCHLD with
 * CLD_KILLED / CLD_DUMPED / CLD_STOPPED / CLD_CONTINUED.
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,clone,kill,wait4,waitid,exit_group st-follow-signals
 * See st-follow.h for the expected blocks on stdout. Exits with status 0. */
#include "st-follow.h"
#include <stdlib.h>

static const char *fork_line = "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x0) = %d";

int main(int argc, char **argv, char **envp) {
  (void)argc;
  long me = getpid();
  own_block(me);
  expect_exec(argv, envp);
  int st;
  long rc;

  /* Killed by SIGTERM, wherever it was. */
  pid_t c = fork();
  if (c == 0) for (;;) pause();
  expect(fork_line, c);
  rc = kill(c, SIGTERM);
  expect("kill(%d, SIGTERM) = %ld", c, rc);
  rc = wait4(c, &st, 0, NULL);
  expect("wait4(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = %ld", c, rc);
  expect("~%s", sigchld_line(CLD_KILLED, c, SIGTERM));
  side_block(c);
  side("%s", sent_line(SIGTERM, "SI_USER", me));
  side("+++ killed by SIGTERM +++");
  side_emit();

  /* abort(): SIGABRT from itself; "(core dumped)" when the kernel says a core was written. */
  c = fork();
  if (c == 0) abort();
  expect(fork_line, c);
  rc = wait4(c, &st, 0, NULL);
  int core = WCOREDUMP(st) != 0;
  expect("wait4(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT%s}], 0, NULL) = %ld", c, core ? " && WCOREDUMP(s)" : "", rc);
  expect("~%s", sigchld_line(core ? CLD_DUMPED : CLD_KILLED, c, SIGABRT));
  side_block(c);
  side("%s", sent_line(SIGABRT, "SI_TKILL", c));
  side("+++ killed by SIGABRT%s +++", core ? " (core dumped)" : "");
  side_emit();

  /* Stopped, continued, killed. */
  c = fork();
  if (c == 0) for (;;) pause();
  expect(fork_line, c);
  rc = kill(c, SIGSTOP);
  expect("kill(%d, SIGSTOP) = %ld", c, rc);
  rc = wait4(c, &st, WUNTRACED, NULL);
  expect("wait4(%d, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = %ld", c, rc);
  expect("~%s", sigchld_line(CLD_STOPPED, c, SIGSTOP));
  rc = kill(c, SIGCONT);
  expect("kill(%d, SIGCONT) = %ld", c, rc);
  /* Linux fills only some fields of siginfo: the rest stays as the caller left it. */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  rc = waitid(P_PID, (id_t)c, &si, WCONTINUED);
  expect("waitid(P_PID, %d, {si_signo=SIGCHLD, si_code=CLD_CONTINUED, si_pid=%d, si_uid=%d, si_status=SIGCONT, "
         "si_utime=0, si_stime=0}, WCONTINUED, NULL) = %ld", c, c, (int)getuid(), rc);
  /* A SIGCHLD still pending (CLD_STOPPED's, if the parent has not taken it yet) absorbs this one. */
  expect("?%s", sigchld_line(CLD_CONTINUED, c, SIGCONT));
  rc = kill(c, SIGKILL);
  expect("kill(%d, SIGKILL) = %ld", c, rc);
  rc = wait4(c, &st, 0, NULL);
  expect("wait4(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = %ld", c, rc);
  expect("~%s", sigchld_line(CLD_KILLED, c, SIGKILL));
  side_block(c);
  side("%s", sent_line(SIGSTOP, "SI_USER", me));
  side("--- stopped by SIGSTOP ---");
  /* Whether the child runs between SIGCONT and SIGKILL is the scheduler's business. */
  side("?%s", sent_line(SIGCONT, "SI_USER", me));
  side("+++ killed by SIGKILL +++");
  side_emit();

  expect("exit_group(0) = ?");
  expect("+++ exited with 0 +++");
  own_emit(me);
  return 0;
}
