/* utb-read: one read(0, buf, 64) that blocks on an empty stdin; writes what it
 * read to stdout and exits with read's result & 0xff (so -EINTR shows as 252). */
    .option norvc
    .bss
buf: .space 64

    .text
    .globl _start
_start:
    li a0, 0
    la a1, buf
    li a2, 64
    li a7, 63                   /* read */
    ecall
    mv s1, a0
    blez s1, done
    li a0, 1
    la a1, buf
    mv a2, s1
    li a7, 64                   /* write */
    ecall
done:
    mv a0, s1
    li a7, 94                   /* exit_group */
    ecall
