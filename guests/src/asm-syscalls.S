/* asm-syscalls: raw syscalls without libc, checking return values rather
 * than addresses: brk (query, grow, touch the new memory, shrink), an
 * anonymous mmap that is written and read back then munmap'd, write with a
 * bad buffer (-EFAULT), close of a bad fd (-EBADF), an unknown syscall
 * number (-ENOSYS), and finally exit(42) with a message on stderr. */

    .macro SYS nr
    li a7, \nr
    ecall
    .endm

    /* print label \name and the number in a0 (signed decimal) */
    .macro SHOW name
    la a1, .Ls\@
    jal ra, show
    .section .rodata
.Ls\@: .asciz "\name"
    .text
    .endm

    .section .rodata
bye: .ascii "asm-syscalls: exiting with 42\n"
    .set bye_len, . - bye

    .text
    .globl _start
_start:
    /* brk */
    li a0, 0
    SYS 214                     /* brk(0): current break */
    mv s0, a0
    li t0, 8192
    add a0, s0, t0
    SYS 214                     /* grow by 8 KiB */
    sub a0, a0, s0
    SHOW "brk grow by 8192 -> delta "
    li t0, 0x5a5a
    li t1, 8000
    add t1, s0, t1
    sd t0, 0(t1)                /* touch the new memory */
    ld a0, 0(t1)
    SHOW "value stored in new brk memory "
    mv a0, s0
    SYS 214                     /* shrink back */
    sub a0, a0, s0
    SHOW "brk shrink -> delta "

    /* mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) */
    li a0, 0
    li a1, 8192
    li a2, 3
    li a3, 0x22
    li a4, -1
    li a5, 0
    SYS 222
    mv s1, a0
    li t0, 4095
    and a0, s1, t0
    SHOW "mmap result mod 4096 "
    li t0, 4096
    add s2, s1, t0              /* the second page */
    ld a0, 8(s2)
    SHOW "fresh mmap memory reads "
    li t0, 123456789
    sd t0, 8(s2)
    ld a0, 8(s2)
    SHOW "mmap memory after store "
    mv a0, s1
    li a1, 8192
    SYS 215                     /* munmap */
    SHOW "munmap "

    /* errors come back as -errno */
    li a0, 1
    li a1, 16                   /* unmapped buffer */
    li a2, 4
    SYS 64                      /* write */
    SHOW "write(1, 16, 4) "
    li a0, 12345
    SYS 57                      /* close */
    SHOW "close(12345) "
    li a0, 0
    SYS 4000                    /* no such syscall */
    SHOW "syscall 4000 "

    li a0, 2
    la a1, bye
    li a2, bye_len
    SYS 64
    li a0, 42
    SYS 93                      /* exit(42) */

/* show: write label a1, then a0 as signed decimal and a newline */
show:
    addi sp, sp, -64
    sd ra, 0(sp)
    sd a0, 8(sp)
    mv t0, a1                   /* strlen(label) */
1:  lbu t1, 0(t0)
    beqz t1, 2f
    addi t0, t0, 1
    j 1b
2:  sub a2, t0, a1
    li a0, 1
    SYS 64
    ld a1, 8(sp)
    addi t0, sp, 63
    li t1, '\n'
    sb t1, 0(t0)
    mv t4, a1                   /* remember the sign */
    bgez a1, 3f
    neg a1, a1
3:  li t2, 10
4:  addi t0, t0, -1
    remu t1, a1, t2
    addi t1, t1, '0'
    sb t1, 0(t0)
    divu a1, a1, t2
    bnez a1, 4b
    bgez t4, 5f
    addi t0, t0, -1
    li t1, '-'
    sb t1, 0(t0)
5:  addi t3, sp, 64
    sub a2, t3, t0
    mv a1, t0
    li a0, 1
    SYS 64
    ld ra, 0(sp)
    addi sp, sp, 64
    ret
