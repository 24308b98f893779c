/* strace-style self-check of descriptor syscalls: write, read, lseek, pread64, pwrite64, dup,
 * dup3, fcntl, close, pipe2, readv, ftruncate, fsync; strings with escapes and past -s 32.
 * Prints the trace lines it expects (see st-common.h) with writev; run it in a scratch directory.
 *   rvtrace trace -a0 -e trace=write,read,lseek,pread64,pwrite64,dup,dup3,fcntl,close,pipe2,\
 *     readv,ftruncate,fsync st-desc */
#define ST_EMIT_WRITEV
#include "st-common.h"
#include <fcntl.h>

int main(void) {
  char buf[128];
  long rc;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, "st-desc.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);

  rc = syscall(SYS_write, fd, "hello, world", 12);
  expect("write(%d, \"hello, world\", 12) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_lseek, fd, 0, SEEK_SET);
  expect("lseek(%d, 0, SEEK_SET) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_read, fd, buf, 64);
  expect("read(%d, \"hello, world\", 64) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_read, fd, buf, 64);
  expect("read(%d, \"\", 64) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_pread64, fd, buf, 3, 2);
  expect("pread64(%d, \"llo\", 3, 2) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_pwrite64, fd, "HE", 2, 0);
  expect("pwrite64(%d, \"HE\", 2, 0) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_lseek, fd, (long)-2, SEEK_END);
  expect("lseek(%d, -2, SEEK_END) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_lseek, fd, 1, SEEK_CUR);
  expect("lseek(%d, 1, SEEK_CUR) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_lseek, fd, (long)-100, SEEK_SET);
  expect("lseek(%d, -100, SEEK_SET) = %s", fd, sprintrc(rc));

  /* Escapes, and strings longer than -s 32. */
  rc = syscall(SYS_write, fd, "\0\1\2\3\377x\t\n\"\\", 10);
  expect("write(%d, \"\\0\\1\\2\\3\\377x\\t\\n\\\"\\\\\", 10) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_write, fd, "abcdefghijklmnopqrstuvwxyz0123456789ABCD", 40);
  expect("write(%d, \"abcdefghijklmnopqrstuvwxyz012345\"..., 40) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_read, (long)-1, buf, 8);
  expect("read(-1, %p, 8) = %s", (void *)buf, sprintrc(rc));
  rc = syscall(SYS_write, (long)-1, "x", 1);
  expect("write(-1, \"x\", 1) = %s", sprintrc(rc));

  rc = syscall(SYS_dup, fd);
  expect("dup(%d) = %s", fd, sprintrc(rc));
  int fd2 = (int)rc;
  rc = syscall(SYS_dup3, fd2, 9, O_CLOEXEC);
  expect("dup3(%d, 9, O_CLOEXEC) = %s", fd2, sprintrc(rc));
  rc = syscall(SYS_fcntl, 9, F_GETFD);
  expect("fcntl(9, F_GETFD) = %#lx (flags FD_CLOEXEC)", rc);
  rc = syscall(SYS_fcntl, 9, F_SETFD, 0);
  expect("fcntl(9, F_SETFD, 0) = %s", sprintrc(rc));
  rc = syscall(SYS_fcntl, 9, F_GETFD);
  expect("fcntl(9, F_GETFD) = %s", sprintrc(rc));
  rc = syscall(SYS_dup3, 9, 9, 0);
  expect("dup3(9, 9, 0) = %s", sprintrc(rc));
  rc = syscall(SYS_close, 9);
  expect("close(9) = %s", sprintrc(rc));
  rc = syscall(SYS_close, 9);
  expect("close(9) = %s", sprintrc(rc));

  int p[2];
  rc = syscall(SYS_pipe2, p, 0);
  expect("pipe2([%d, %d], 0) = %s", p[0], p[1], sprintrc(rc));
  rc = syscall(SYS_write, p[1], "abcde", 5);
  expect("write(%d, \"abcde\", 5) = %s", p[1], sprintrc(rc));
  char a[2], b[3];
  struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
  rc = syscall(SYS_readv, p[0], iov, 2);
  expect("readv(%d, [{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], 2) = %s", p[0], sprintrc(rc));
  rc = syscall(SYS_lseek, p[0], 0, SEEK_SET);
  expect("lseek(%d, 0, SEEK_SET) = %s", p[0], sprintrc(rc));

  rc = syscall(SYS_ftruncate, fd, 4);
  expect("ftruncate(%d, 4) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_fsync, fd);
  expect("fsync(%d) = %s", fd, sprintrc(rc));
  rc = syscall(SYS_close, p[0]);
  expect("close(%d) = %s", p[0], sprintrc(rc));
  rc = syscall(SYS_close, p[1]);
  expect("close(%d) = %s", p[1], sprintrc(rc));
  rc = syscall(SYS_close, fd2);
  expect("close(%d) = %s", fd2, sprintrc(rc));
  rc = syscall(SYS_close, fd);
  expect("close(%d) = %s", fd, sprintrc(rc));
  syscall(SYS_unlinkat, AT_FDCWD, "st-desc.tmp", 0);

  expect("+++ exited with 0 +++");
  st_emit();
  return 0;
}
