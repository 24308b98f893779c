/* asm-hello: the smallest possible guest -- no libc, its own _start, one
 * write(1, ...) and one write(2, ...) syscall, then exit_group(0). */

    .section .rodata
msg: .ascii "Hello from assembly!\n"
    .set msg_len, . - msg
err: .ascii "(and a line on stderr)\n"
    .set err_len, . - err

    .text
    .globl _start
_start:
    li a0, 1                    /* fd: stdout */
    la a1, msg
    li a2, msg_len
    li a7, 64                   /* write */
    ecall

    li a0, 2                    /* fd: stderr */
    la a1, err
    li a2, err_len
    li a7, 64
    ecall

    li a0, 0
    li a7, 94                   /* exit_group */
    ecall
