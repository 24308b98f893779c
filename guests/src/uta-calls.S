/* uta-calls: a precise syscall sequence for the utrace engine tests.
 * getpid three times with a0 = 1, 2, 3 (getpid ignores its argument, so an
 * engine can tell the calls apart by arg(0)), then write(1, "ok\n", 3),
 * then exit_group(0).  No libc, so these are the only syscalls. */

    .section .rodata
msg: .ascii "ok\n"
    .set msg_len, . - msg

    .text
    .globl _start
_start:
    li a0, 1
    li a7, 172                  /* getpid */
    ecall
    li a0, 2
    li a7, 172
    ecall
    li a0, 3
    li a7, 172
    ecall

    li a0, 1
    la a1, msg
    li a2, msg_len
    li a7, 64                   /* write */
    ecall

    li a0, 0
    li a7, 94                   /* exit_group */
    ecall
