/* strace-style self-check of the return column at its default (-a 40): "name(args) " is padded
 * with spaces so that "=" lands in column 40, or followed by one space when longer.
 *   rvtrace trace -e trace=getppid,close,write st-align */
#define ST_EMIT_WRITEV
#include "st-common.h"

/* A line as strace aligns it at column 40. */
#define ALIGNED(head, ret) expect("%-39s = %s", head, ret)

int main(void) {
  char head[256];
  long rc = syscall(SYS_getppid);
  ALIGNED("getppid()", sprintrc(rc));
  rc = syscall(SYS_close, (long)-1);
  ALIGNED("close(-1)", sprintrc(rc));
  rc = syscall(SYS_write, (long)-1, "0123456789012345678", 19);
  ALIGNED("write(-1, \"0123456789012345678\", 19)", sprintrc(rc));
  rc = syscall(SYS_write, (long)-1, "01234567890123456789", 20);
  ALIGNED("write(-1, \"01234567890123456789\", 20)", sprintrc(rc));
  rc = syscall(SYS_write, (long)-1, "012345678901234567890", 21);
  ALIGNED("write(-1, \"012345678901234567890\", 21)", sprintrc(rc));
  rc = syscall(SYS_write, (long)-1, "a long string that goes well past the column", 44);
  snprintf(head, sizeof head, "write(-1, \"a long string that goes well pas\"..., 44)");
  ALIGNED(head, sprintrc(rc));
  expect("+++ exited with 0 +++");
  st_emit();
  return 0;
}
