/* utc-steps: a fixed sequence of four syscalls -- getpid(), write(1, "one\n",
 * 4), write(1, "two\n", 4), exit_group(0) -- for tests that log every syscall
 * a guest makes (test/utrace/scenarios.test.ts). */

    .section .rodata
one: .ascii "one\n"
two: .ascii "two\n"

    .text
    .globl _start
_start:
    li a7, 172                  /* getpid */
    ecall

    li a0, 1
    la a1, one
    li a2, 4
    li a7, 64                   /* write */
    ecall

    li a0, 1
    la a1, two
    li a2, 4
    li a7, 64
    ecall

    li a0, 0
    li a7, 94                   /* exit_group(0) */
    ecall
