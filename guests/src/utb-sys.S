/* utb-sys: a fixed syscall sequence for the utrace tests, every instruction
 * 4 bytes long (no compressed instructions) so offsets are predictable:
 *   write(1, "one\n", 4); getpid(); write(1, "two\n", 4); exit_group(pid)
 * The exit code is getpid's result & 0xff (232 for rvtrace's first pid 1000),
 * so an engine that aborts getpid and leaves a value in a0 decides it. */
    .option norvc
    .section .rodata
one: .ascii "one\n"
two: .ascii "two\n"

    .text
    .globl _start
_start:
    li a0, 1
    la a1, one
    li a2, 4
    li a7, 64                   /* write */
    ecall

    li a0, 0
    li a7, 172                  /* getpid */
    ecall
    mv s1, a0

    li a0, 1
    la a1, two
    li a2, 4
    li a7, 64                   /* write */
    ecall

    mv a0, s1
    li a7, 94                   /* exit_group */
    ecall
