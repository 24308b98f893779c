/* rvtrace trace -f / -ff on an exec from a thread other than the leader: the kernel ends the
 * leader, the thread takes over its tid (the pid), and strace says "+++ superseded by execve in
 * pid T +++"; with -ff the thread's own file ends with its execve cut by " <pid changed to P ...>"
 * and the rest goes on in the leader's file.
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,clone,clone3,exit_group st-follow-exec
 * See st-follow.h for the expected blocks on stdout. Exits with status 6. */
#include "st-follow.h"
#include <pthread.h>
#include <stdlib.h>

static char *self;
static long leader;
static char **start_env;

static void *execer(void *arg) {
  long tid = syscall(SYS_gettid);
  side_block(leader);
#ifdef __x86_64__
  side("clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
       "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x0, parent_tid=0x0, exit_signal=0, stack=0x0, "
       "stack_size=0x0, tls=0x0} => {parent_tid=[%ld]}, 88) = %ld", tid, tid);
#else
  side("clone(child_stack=0x0, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
       "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[%ld], tls=0x0, child_tidptr=0x0) = %ld",
       tid, tid);
#endif
  side_emit();
  char t[24];
  snprintf(t, sizeof t, "%ld", tid);
  char *args[] = {self, "exec", t, NULL};
  char *env[] = {NULL};
  execve(self, args, env);
  return arg;
}

int main(int argc, char **argv, char **envp) {
  leader = getpid();
  own_block(leader);
  if (argc > 2) {
    /* The new program, in the former thread now known by the pid. */
    side_block(atol(argv[2]));
    side("execve(\"%s\", [\"%s\", \"exec\", \"%s\"], 0x0 /* 0 vars */ <pid changed to %ld ...>", argv[0], argv[0], argv[2],
         leader);
    side_emit();
    expect("+++ superseded by execve in pid %s +++", argv[2]);
    expect("<... execve resumed>) = 0");
    expect("exit_group(6) = ?");
    expect("+++ exited with 6 +++");
    own_emit(leader);
    return 6;
  }
  self = argv[0];
  start_env = envp;
  expect_exec(argv, envp);
  own_emit(leader);
  pthread_t t;
  pthread_create(&t, NULL, execer, NULL);
  for (;;) pause();
}
