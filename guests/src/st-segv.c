/* strace-style self-check of a fatal signal: the guest stores to address 0x10, and the trace
 * ends with the signal and the death (exit status 139).
 *   rvtrace trace -a0 -e trace=none st-segv */
#include "st-common.h"

int main(void) {
  expect("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---");
  expect("+++ killed by SIGSEGV (core dumped) +++");
  st_emit();
  volatile int *volatile bad = (volatile int *)0x10;
  *bad = 1;
  return 0;
}
