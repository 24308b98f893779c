/* rvtrace trace -f / -ff on threads: one thread writes and returns (pthread_join waits for it),
 * another blocks in read when the main thread calls exit(3). Each thread's end is its own
 * "+++ exited" line; the leader's comes last, once its whole group is gone.
 *   rvtrace trace -ff -a0 -o LOG -e trace=execve,clone,clone3,read,write,exit,exit_group st-follow-thread
 * See st-follow.h for the expected blocks on stdout. Exits with status 3. */
#include "st-follow.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static int fds[2];
static atomic_long blocked_tid;

/* The clone line of pthread_create, as the new thread sees it (it knows its tid). */
static void expect_thread_clone(long me, long tid) {
  side_block(me);
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
}

static long leader;

static void *writer(void *arg) {
  long tid = syscall(SYS_gettid);
  expect_thread_clone(leader, tid);
  long rc = write(2, "t\n", 2);
  side_block(tid);
  side("write(2, \"t\\n\", 2) = %ld", rc);
  side("exit(0) = ?");
  side("+++ exited with 0 +++");
  side_emit();
  return arg;
}

static void *reader(void *arg) {
  long tid = syscall(SYS_gettid);
  expect_thread_clone(leader, tid);
  side_block(tid);
  side("read(%d,  <unfinished ...>) = ?", fds[0]);
  side("+++ exited with 3 +++");
  side_emit();
  atomic_store(&blocked_tid, tid);
  char c;
  read(fds[0], &c, 1);
  return arg;
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  leader = getpid();
  own_block(leader);
  expect_exec(argv, envp);
  if (pipe(fds) != 0) return 1;
  own_emit(leader);
  pthread_t t;
  pthread_create(&t, NULL, writer, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, reader, NULL);
  /* Until the reader has said what it expects (it then blocks in read, or is about to). */
  while (atomic_load(&blocked_tid) == 0) sched_yield();
  expect("exit_group(3) = ?");
  expect("+++ exited with 3 +++");
  own_emit(leader);
  exit(3);
}
