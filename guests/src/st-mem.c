/* strace-style self-check of memory syscalls: mmap, mprotect, madvise, mremap, munmap, brk.
 * Prints the trace lines it expects (see st-common.h).
 *   rvtrace trace -a0 -e trace=mmap,mprotect,madvise,mremap,munmap,brk st-mem */
#define _GNU_SOURCE
#include "st-common.h"
#include <sys/mman.h>

int main(void) {
  long rc;

  long base = syscall(SYS_brk, 0L);
  expect("brk(NULL) = %#lx", base);
  rc = syscall(SYS_brk, base + 8192);
  expect("brk(%#lx) = %#lx", base + 8192, rc);
  rc = syscall(SYS_brk, base);
  expect("brk(%#lx) = %#lx", base, rc);

  void *p = (void *)syscall(SYS_mmap, 0L, 8192L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
  expect("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %p", p);
  rc = syscall(SYS_mprotect, p, 4096L, PROT_READ);
  expect("mprotect(%p, 4096, PROT_READ) = %s", p, sprintrc(rc));
  rc = syscall(SYS_mprotect, p, 4096L, PROT_READ | PROT_WRITE | PROT_EXEC);
  expect("mprotect(%p, 4096, PROT_READ|PROT_WRITE|PROT_EXEC) = %s", p, sprintrc(rc));
  rc = syscall(SYS_mprotect, (char *)p + 1, 4096L, PROT_NONE);
  expect("mprotect(%p, 4096, PROT_NONE) = %s", (void *)((char *)p + 1), sprintrc(rc));
  rc = syscall(SYS_madvise, p, 4096L, MADV_DONTNEED);
  expect("madvise(%p, 4096, MADV_DONTNEED) = %s", p, sprintrc(rc));
  rc = syscall(SYS_munmap, p, 8192L);
  expect("munmap(%p, 8192) = %s", p, sprintrc(rc));

  p = (void *)syscall(SYS_mmap, 0L, 8192L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
  expect("mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %p", p);
  void *q = (void *)syscall(SYS_mremap, p, 8192L, 16384L, MREMAP_MAYMOVE);
  expect("mremap(%p, 8192, 16384, MREMAP_MAYMOVE) = %p", p, q);
  rc = syscall(SYS_munmap, q, 16384L);
  expect("munmap(%p, 16384) = %s", q, sprintrc(rc));

  p = (void *)syscall(SYS_mmap, 0L, 4096L, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
  expect("mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %p", p);
  rc = syscall(SYS_munmap, p, 4096L);
  expect("munmap(%p, 4096) = %s", p, sprintrc(rc));
  rc = syscall(SYS_mmap, 0L, 0L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1L, 0L);
  expect("mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = %s", sprintrc(rc));
  rc = syscall(SYS_mmap, 0L, 4096L, PROT_READ, MAP_SHARED, 99L, 0L);
  expect("mmap(NULL, 4096, PROT_READ, MAP_SHARED, 99, 0) = %s", sprintrc(rc));

  expect("+++ exited with 0 +++");
  st_emit();
  return 0;
}
