/* strace-style self-check of file syscalls: openat, close, faccessat, mkdirat, newfstatat,
 * symlinkat, readlinkat, truncate, fchmodat, chdir, getcwd, unlinkat. Prints the trace lines it
 * expects (see st-common.h); run it in an empty scratch directory.
 *   rvtrace trace -a0 -e trace=openat,close,faccessat,mkdirat,newfstatat,symlinkat,readlinkat,\
 *     truncate,fchmodat,chdir,getcwd,unlinkat st-file */
#include "st-common.h"
#include <fcntl.h>
#include <sys/stat.h>

static const char *mode_type(unsigned m) {
  switch (m & S_IFMT) {
    case S_IFREG: return "S_IFREG";
    case S_IFDIR: return "S_IFDIR";
    case S_IFLNK: return "S_IFLNK";
    default: return "S_IF?";
  }
}

int main(void) {
  struct stat st;
  char buf[4096];
  long rc;

  syscall(SYS_umask, 022);

  rc = syscall(SYS_openat, AT_FDCWD, "st-file.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  expect("openat(AT_FDCWD, \"st-file.tmp\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = %s", sprintrc(rc));
  int fd = (int)rc;
  rc = syscall(SYS_close, fd);
  expect("close(%d) = %s", fd, sprintrc(rc));

  rc = syscall(SYS_openat, AT_FDCWD, "st-file.tmp", O_RDONLY | O_CLOEXEC);
  expect("openat(AT_FDCWD, \"st-file.tmp\", O_RDONLY|O_CLOEXEC) = %s", sprintrc(rc));
  fd = (int)rc;
  rc = syscall(SYS_close, fd);
  expect("close(%d) = %s", fd, sprintrc(rc));

  rc = syscall(SYS_openat, AT_FDCWD, "st-no/such", O_RDONLY);
  expect("openat(AT_FDCWD, \"st-no/such\", O_RDONLY) = %s", sprintrc(rc));
  rc = syscall(SYS_openat, AT_FDCWD, "st-file.tmp", O_RDWR | O_CREAT | O_EXCL, 0600);
  expect("openat(AT_FDCWD, \"st-file.tmp\", O_RDWR|O_CREAT|O_EXCL, 0600) = %s", sprintrc(rc));

  rc = syscall(SYS_faccessat, AT_FDCWD, "st-file.tmp", R_OK | W_OK);
  expect("faccessat(AT_FDCWD, \"st-file.tmp\", R_OK|W_OK) = %s", sprintrc(rc));
  rc = syscall(SYS_faccessat, AT_FDCWD, "st-no-such", F_OK);
  expect("faccessat(AT_FDCWD, \"st-no-such\", F_OK) = %s", sprintrc(rc));

  rc = syscall(SYS_mkdirat, AT_FDCWD, "st-dir.tmp", 0755);
  expect("mkdirat(AT_FDCWD, \"st-dir.tmp\", 0755) = %s", sprintrc(rc));
  rc = syscall(SYS_mkdirat, AT_FDCWD, "st-dir.tmp", 0700);
  expect("mkdirat(AT_FDCWD, \"st-dir.tmp\", 0700) = %s", sprintrc(rc));

  rc = syscall(SYS_newfstatat, AT_FDCWD, "st-file.tmp", &st, 0);
  expect("newfstatat(AT_FDCWD, \"st-file.tmp\", {st_mode=%s|%04o, st_size=%lld, ...}, 0) = %s", mode_type(st.st_mode),
         (unsigned)(st.st_mode & 07777), (long long)st.st_size, sprintrc(rc));
  rc = syscall(SYS_newfstatat, AT_FDCWD, "st-no-such", &st, 0);
  expect("newfstatat(AT_FDCWD, \"st-no-such\", %p, 0) = %s", (void *)&st, sprintrc(rc));

  rc = syscall(SYS_symlinkat, "st-file.tmp", AT_FDCWD, "st-link.tmp");
  expect("symlinkat(\"st-file.tmp\", AT_FDCWD, \"st-link.tmp\") = %s", sprintrc(rc));
  rc = syscall(SYS_readlinkat, AT_FDCWD, "st-link.tmp", buf, 64);
  expect("readlinkat(AT_FDCWD, \"st-link.tmp\", \"%.*s\", 64) = %s", (int)(rc > 0 ? rc : 0), buf, sprintrc(rc));
  rc = syscall(SYS_readlinkat, AT_FDCWD, "st-file.tmp", buf, 64);
  expect("readlinkat(AT_FDCWD, \"st-file.tmp\", %p, 64) = %s", (void *)buf, sprintrc(rc));
  rc = syscall(SYS_newfstatat, AT_FDCWD, "st-link.tmp", &st, AT_SYMLINK_NOFOLLOW);
  expect("newfstatat(AT_FDCWD, \"st-link.tmp\", {st_mode=%s|%04o, st_size=%lld, ...}, AT_SYMLINK_NOFOLLOW) = %s",
         mode_type(st.st_mode), (unsigned)(st.st_mode & 07777), (long long)st.st_size, sprintrc(rc));

  rc = syscall(SYS_truncate, "st-file.tmp", 100);
  expect("truncate(\"st-file.tmp\", 100) = %s", sprintrc(rc));
  rc = syscall(SYS_fchmodat, AT_FDCWD, "st-file.tmp", 0600);
  expect("fchmodat(AT_FDCWD, \"st-file.tmp\", 0600) = %s", sprintrc(rc));
  rc = syscall(SYS_newfstatat, AT_FDCWD, "st-file.tmp", &st, 0);
  expect("newfstatat(AT_FDCWD, \"st-file.tmp\", {st_mode=%s|%04o, st_size=%lld, ...}, 0) = %s", mode_type(st.st_mode),
         (unsigned)(st.st_mode & 07777), (long long)st.st_size, sprintrc(rc));

  rc = syscall(SYS_chdir, "st-dir.tmp");
  expect("chdir(\"st-dir.tmp\") = %s", sprintrc(rc));
  rc = syscall(SYS_getcwd, buf, sizeof buf);
  expect("getcwd(\"%s\", %zu) = %s", buf, sizeof buf, sprintrc(rc));
  rc = syscall(SYS_chdir, "..");
  expect("chdir(\"..\") = %s", sprintrc(rc));
  rc = syscall(SYS_chdir, "st-file.tmp");
  expect("chdir(\"st-file.tmp\") = %s", sprintrc(rc));

  rc = syscall(SYS_unlinkat, AT_FDCWD, "st-dir.tmp", 0);
  expect("unlinkat(AT_FDCWD, \"st-dir.tmp\", 0) = %s", sprintrc(rc));
  rc = syscall(SYS_unlinkat, AT_FDCWD, "st-link.tmp", 0);
  expect("unlinkat(AT_FDCWD, \"st-link.tmp\", 0) = %s", sprintrc(rc));
  rc = syscall(SYS_unlinkat, AT_FDCWD, "st-file.tmp", 0);
  expect("unlinkat(AT_FDCWD, \"st-file.tmp\", 0) = %s", sprintrc(rc));
  rc = syscall(SYS_unlinkat, AT_FDCWD, "st-dir.tmp", AT_REMOVEDIR);
  expect("unlinkat(AT_FDCWD, \"st-dir.tmp\", AT_REMOVEDIR) = %s", sprintrc(rc));
  rc = syscall(SYS_unlinkat, AT_FDCWD, "st-dir.tmp", AT_REMOVEDIR);
  expect("unlinkat(AT_FDCWD, \"st-dir.tmp\", AT_REMOVEDIR) = %s", sprintrc(rc));

  expect("+++ exited with 0 +++");
  st_emit();
  return 0;
}
