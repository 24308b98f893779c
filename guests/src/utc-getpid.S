/* utc-getpid: exit_group(getpid()), so the guest's exit status is the low
 * byte of what getpid returned to it (test/utrace/scenarios.test.ts). */

    .text
    .globl _start
_start:
    li a7, 172                  /* getpid */
    ecall
                                /* a0 = the pid the guest sees */
    li a7, 94                   /* exit_group(a0) */
    ecall
