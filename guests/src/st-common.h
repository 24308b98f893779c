/* Shared by the st-*.c guests: strace-style self-checking programs. Each makes syscalls with
 * known arguments and appends the exact trace line strace prints for each to a buffer, which it
 * writes to stdout at the end, with a syscall the test does not trace (ST_EMIT_WRITEV chooses
 * writev over write). The test runs the guest under `rvtrace trace -a0 -e trace=...` and compares
 * the trace, from the guest's first expected line on, with the guest's stdout (strace's own test
 * method, tests/NAME.c with sprintrc). Portable: the same source runs on x86-64 under strace itself,
 * which checks the expected lines against the real thing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static char st_buf[1 << 16];
static size_t st_len;

/* Appends one expected line (printf format, no newline). */
__attribute__((format(printf, 1, 2))) static void expect(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(st_buf + st_len, sizeof st_buf - st_len, fmt, ap);
  va_end(ap);
  if (n > 0) st_len += (size_t)n;
  if (st_len < sizeof st_buf - 1) st_buf[st_len++] = '\n';
}

__attribute__((unused)) static const char *errno_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ESPIPE: return "ESPIPE";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case EPIPE: return "EPIPE";
    case EAGAIN: return "EAGAIN";
    case ENODATA: return "ENODATA";
    case ENOTSOCK: return "ENOTSOCK";
    case ENOTEMPTY: return "ENOTEMPTY";
    default: return "E?";
  }
}

/* strace's sprintrc(): the return part of a line for syscall()'s result. */
__attribute__((unused)) static const char *sprintrc(long rc) {
  static char out[128];
  if (rc == -1) snprintf(out, sizeof out, "-1 %s (%s)", errno_name(errno), strerror(errno));
  else snprintf(out, sizeof out, "%ld", rc);
  return out;
}

/* Writes the expected lines to stdout and empties the buffer. */
static void st_emit(void) {
  size_t done = 0;
  while (done < st_len) {
#ifdef ST_EMIT_WRITEV
    struct iovec iov = {st_buf + done, st_len - done};
    long n = syscall(SYS_writev, 1, &iov, 1);
#else
    long n = syscall(SYS_write, 1, st_buf + done, st_len - done);
#endif
    if (n <= 0) break;
    done += (size_t)n;
  }
  st_len = 0;
}
