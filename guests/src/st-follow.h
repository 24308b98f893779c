/* Shared by the st-follow*.c guests, which check `rvtrace trace -f` / `-ff`: what each task of a
 * program that forks, vforks, starts threads or execs should show. Several tasks print, so the
 * expected lines come in blocks, one per task or part of a task, each opened by "== TID" and
 * written to stdout with one writev (the traces leave writev out, so emitting adds no line):
 *   - a plain line is expected in this order among the task's lines;
 *   - "~line" is expected once, anywhere among them (a signal whose moment depends on scheduling);
 *   - "?line" may appear once, anywhere, or not at all.
 * A task's blocks are read in the order they appear. Addresses print as 0x0: the tests replace every
 * hex number by one placeholder on both sides. The same source builds for x86-64, where strace -ff
 * itself checks the expectations (`gcc -O2 -o X X.c -lpthread`, `strace -ff -a0 -o LOG -e trace=... ./X`). */
#ifndef ST_FOLLOW_H
#define ST_FOLLOW_H
#define _GNU_SOURCE
#define ST_EMIT_WRITEV
#include "st-common.h"
#include <signal.h>
#include <sys/wait.h>

/* st-common.h's own emitter is not used here (blocks are written with sf_write). */
__attribute__((unused)) static void (*const sf_no_st_emit)(void) = st_emit;

/* A block for another task, built while the task's own lines go on in st_buf. */
static char sf_buf[4096];
static size_t sf_len;

/* Appends a line to the side block (printf format, no newline). */
__attribute__((format(printf, 1, 2))) static void side(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(sf_buf + sf_len, sizeof sf_buf - sf_len, fmt, ap);
  va_end(ap);
  if (n > 0) sf_len += (size_t)n;
  if (sf_len < sizeof sf_buf - 1) sf_buf[sf_len++] = '\n';
}

/* Writes a buffer with one writev. */
static void sf_write(const char *buf, size_t len) {
  struct iovec iov = {(void *)buf, len};
  syscall(SYS_writev, 1, &iov, 1);
}

/* Opens the side block of task `tid`. */
__attribute__((unused)) static void side_block(long tid) {
  sf_len = 0;
  side("== %ld", tid);
}

/* Writes the side block. */
__attribute__((unused)) static void side_emit(void) {
  sf_write(sf_buf, sf_len);
  sf_len = 0;
}

/* Starts this task's own block (st_buf), dropping whatever a parent left in it. */
__attribute__((unused)) static void own_block(long tid) {
  st_len = 0;
  expect("== %ld", tid);
}

/* Writes this task's own block so far; later lines go into a new block of the same task. */
__attribute__((unused)) static void own_emit(long tid) {
  sf_write(st_buf, st_len);
  own_block(tid);
}

/* The execve line of this program's start, as strace prints it. */
__attribute__((unused)) static void expect_exec(char **argv, char **envp) {
  char args[512];
  size_t n = 0;
  for (int i = 0; argv[i] && n < sizeof args - 64; i++) {
    n += (size_t)snprintf(args + n, sizeof args - n, "%s\"%s\"", i ? ", " : "", argv[i]);
  }
  args[n] = 0;
  int vars = 0;
  while (envp[vars]) vars++;
  expect("execve(\"%s\", [%s], 0x0 /* %d var%s */) = 0", argv[0], args, vars, vars == 1 ? "" : "s");
}

/* strace's "--- SIGCHLD {...} ---" for a child's change of state (si_utime and si_stime are 0:
 * the children here use next to no CPU). `code` is CLD_*, `status` an exit code or signal. */
__attribute__((unused)) static const char *sigchld_line(int code, long pid, int status) {
  static char out[256];
  static const char *const codes[] = {"", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
  char st[32];
  if (code == CLD_EXITED) snprintf(st, sizeof st, "%d", status);
  else snprintf(st, sizeof st, "SIG%s", sigabbrev_np(status));
  snprintf(out, sizeof out,
           "--- SIGCHLD {si_signo=SIGCHLD, si_code=%s, si_pid=%ld, si_uid=%d, si_status=%s, si_utime=0, si_stime=0} ---",
           codes[code], pid, (int)getuid(), st);
  return out;
}

/* A signal sent by kill or tgkill, as strace prints it. */
__attribute__((unused)) static const char *sent_line(int sig, const char *code, long from) {
  static char out[160];
  snprintf(out, sizeof out, "--- SIG%s {si_signo=SIG%s, si_code=%s, si_pid=%ld, si_uid=%d} ---", sigabbrev_np(sig),
           sigabbrev_np(sig), code, from, (int)getuid());
  return out;
}

#endif
