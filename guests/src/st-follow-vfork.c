/* rvtrace trace -f / -ff on vfork: a child that calls _exit(3) while its parent waits in vfork (the
 * parent's call is cut and resumed in a shared log), and a child that execs this program again
 * with "exec" and two variables (its first line is the execve, its own program exits with 5).
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,clone,vfork,wait4,waitid,exit_group st-follow-vfork
 * See st-follow.h for the expected blocks on stdout. Exits with status 0. */
#include "st-follow.h"

/* glibc's vfork is the vfork syscall on x86-64 and clone on riscv64, which has no vfork. */
#ifdef __x86_64__
#define VFORK_LINE "vfork() = %d"
#else
#define VFORK_LINE "clone(child_stack=0x0, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = %d"
#endif

int main(int argc, char **argv, char **envp) {
  long me = getpid();
  own_block(me);
  expect_exec(argv, envp);
  if (argc > 1) {
    /* The exec'd child. */
    expect("exit_group(5) = ?");
    expect("+++ exited with 5 +++");
    own_emit(me);
    return 5;
  }
  pid_t c = vfork();
  if (c == 0) _exit(3);
  expect(VFORK_LINE, c);
  side_block(c);
  side("exit_group(3) = ?");
  side("+++ exited with 3 +++");
  side_emit();
  int st;
  long rc = wait4(c, &st, 0, NULL);
  expect("wait4(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], 0, NULL) = %ld", c, WEXITSTATUS(st), rc);
  expect("~%s", sigchld_line(CLD_EXITED, c, 3));

  char *args[] = {argv[0], "exec", NULL};
  char *env[] = {"A=1", "B=2", NULL};
  c = vfork();
  if (c == 0) {
    execve(argv[0], args, env);
    _exit(127);
  }
  expect(VFORK_LINE, c);
  /* Linux fills only some fields of siginfo: the rest stays as the caller left it. */
  siginfo_t si;
  memset(&si, 0, sizeof si);
  rc = waitid(P_PID, (id_t)c, &si, WEXITED);
  expect("waitid(P_PID, %d, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%d, si_uid=%d, si_status=%d, si_utime=0, "
         "si_stime=0}, WEXITED, NULL) = %ld", c, c, (int)getuid(), si.si_status, rc);
  expect("~%s", sigchld_line(CLD_EXITED, c, 5));
  expect("exit_group(0) = ?");
  expect("+++ exited with 0 +++");
  own_emit(me);
  return 0;
}
