/* strace-style self-check of process and signal syscalls: getpid, getppid, gettid, getuid,
 * geteuid, getgid, getegid, umask, uname, prlimit64, sched_yield, kill, tgkill, rt_sigprocmask,
 * rt_sigaction, exit_group; the "--- SIGUSR2 {...} ---" lines of ignored signals (a tracer sees
 * them); and the end, "exit_group(7) = ?" and "+++ exited with 7 +++". Exits with status 7.
 *   rvtrace trace -a0 -e trace=getpid,getppid,gettid,getuid,geteuid,getgid,getegid,umask,uname,\
 *     prlimit64,sched_yield,kill,tgkill,rt_sigprocmask,rt_sigaction,exit_group st-proc */
#include "st-common.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/utsname.h>

/* The kernel's struct sigaction (no sa_restorer on riscv64). */
struct ksigaction {
  unsigned long handler;
  unsigned long flags;
#ifdef __x86_64__
  unsigned long restorer;
#endif
  unsigned long mask;
};

/* strace prints rlimits that are multiples of 1024 as N*1024. */
static const char *rlim(unsigned long long v) {
  static char out[2][32];
  static int which;
  char *o = out[which ^= 1];
  if (v == (unsigned long long)RLIM_INFINITY) snprintf(o, 32, "RLIM64_INFINITY");
  else if (v > 1024 && v % 1024 == 0) snprintf(o, 32, "%llu*1024", v / 1024);
  else snprintf(o, 32, "%llu", v);
  return o;
}

int main(void) {
  long rc;
  long pid = syscall(SYS_getpid);
  expect("getpid() = %ld", pid);
  rc = syscall(SYS_getppid);
  expect("getppid() = %ld", rc);
  long tid = syscall(SYS_gettid);
  expect("gettid() = %ld", tid);
  long uid = syscall(SYS_getuid);
  expect("getuid() = %ld", uid);
  rc = syscall(SYS_geteuid);
  expect("geteuid() = %ld", rc);
  rc = syscall(SYS_getgid);
  expect("getgid() = %ld", rc);
  rc = syscall(SYS_getegid);
  expect("getegid() = %ld", rc);

  rc = syscall(SYS_umask, 027);
  expect("umask(027) = %#03lo", rc);
  rc = syscall(SYS_umask, 022);
  expect("umask(022) = %#03lo", rc);

  struct utsname u;
  rc = syscall(SYS_uname, &u);
  expect("uname({sysname=\"%s\", nodename=\"%s\", ...}) = %s", u.sysname, u.nodename, sprintrc(rc));

  struct rlimit r;
  rc = syscall(SYS_prlimit64, 0L, RLIMIT_NOFILE, NULL, &r);
  expect("prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=%s, rlim_max=%s}) = %s", rlim(r.rlim_cur), rlim(r.rlim_max),
         sprintrc(rc));
  rc = syscall(SYS_prlimit64, 0L, RLIMIT_STACK, NULL, &r);
  expect("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=%s, rlim_max=%s}) = %s", rlim(r.rlim_cur), rlim(r.rlim_max),
         sprintrc(rc));
  rc = syscall(SYS_sched_yield);
  expect("sched_yield() = %s", sprintrc(rc));

  unsigned long set = 1UL << (SIGUSR1 - 1), old = ~0UL;
  rc = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8L);
  expect("rt_sigprocmask(SIG_BLOCK, [USR1], [], 8) = %s", sprintrc(rc));
  rc = syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8L);
  expect("rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = %s", sprintrc(rc));

  struct ksigaction ign = {0}, got;
  ign.handler = (unsigned long)SIG_IGN;
  rc = syscall(SYS_rt_sigaction, SIGUSR2, &ign, NULL, 8L);
  expect("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, NULL, 8) = %s", sprintrc(rc));
  rc = syscall(SYS_rt_sigaction, SIGUSR2, NULL, &got, 8L);
  expect("rt_sigaction(SIGUSR2, NULL, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, 8) = %s", sprintrc(rc));

  rc = syscall(SYS_kill, pid, 0L);
  expect("kill(%ld, 0) = %s", pid, sprintrc(rc));
  rc = syscall(SYS_kill, pid, (long)SIGUSR2);
  expect("kill(%ld, SIGUSR2) = %s", pid, sprintrc(rc));
  expect("--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=%ld, si_uid=%ld} ---", pid, uid);
  rc = syscall(SYS_tgkill, pid, tid, (long)SIGUSR2);
  expect("tgkill(%ld, %ld, SIGUSR2) = %s", pid, tid, sprintrc(rc));
  expect("--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=%ld, si_uid=%ld} ---", pid, uid);
  rc = syscall(SYS_kill, (long)-999999, (long)SIGUSR2);
  expect("kill(-999999, SIGUSR2) = %s", sprintrc(rc));

  expect("exit_group(7) = ?");
  expect("+++ exited with 7 +++");
  st_emit();
  syscall(SYS_exit_group, 7L);
  return 0;
}
