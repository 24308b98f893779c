/* asm-args: the initial process stack as the kernel builds it, read without
 * libc.  At _start, sp points at argc, followed by the argv pointers, a NULL,
 * the envp pointers, a NULL, then the auxiliary vector.  Prints argc, each
 * argument and each environment string on its own line, checks that sp is
 * 16-byte aligned and that the auxv ends with AT_NULL and contains AT_PAGESZ
 * = 4096, then exits with status argc. */

    .text
    .globl _start
_start:
    mv s0, sp
    ld s1, 0(s0)                /* argc */

    la a0, s_align
    andi a1, s0, 15
    jal ra, puts_num

    la a0, s_argc
    mv a1, s1
    jal ra, puts_num

    addi s2, s0, 8              /* &argv[0] */
1:  ld a0, 0(s2)
    beqz a0, 2f
    la a1, s_arg
    jal ra, show_str
    addi s2, s2, 8
    j 1b
2:  addi s2, s2, 8              /* skip argv's NULL: now &envp[0] */
3:  ld a0, 0(s2)
    beqz a0, 4f
    la a1, s_env
    jal ra, show_str
    addi s2, s2, 8
    j 3b
4:  addi s2, s2, 8              /* skip envp's NULL: now auxv */
    li s3, 0                    /* AT_PAGESZ value seen */
5:  ld t0, 0(s2)
    ld t1, 8(s2)
    beqz t0, 6f                 /* AT_NULL */
    li t2, 6                    /* AT_PAGESZ */
    bne t0, t2, 7f
    mv s3, t1
7:  addi s2, s2, 16
    j 5b
6:  la a0, s_pagesz
    mv a1, s3
    jal ra, puts_num

    mv a0, s1                   /* exit status = argc */
    li a7, 93                   /* exit */
    ecall

/* strlen(a0) -> a0 */
strlen:
    mv t0, a0
1:  lbu t1, 0(t0)
    beqz t1, 2f
    addi t0, t0, 1
    j 1b
2:  sub a0, t0, a0
    ret

/* write(1, a0, strlen(a0)); keeps s-registers */
write_str:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd a0, 8(sp)
    jal ra, strlen
    mv a2, a0
    ld a1, 8(sp)
    li a0, 1
    li a7, 64
    ecall
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

/* print prefix a1, then "[" string a0 "]\n" */
show_str:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd a0, 8(sp)
    mv a0, a1
    jal ra, write_str
    ld a0, 8(sp)
    jal ra, write_str
    la a0, s_close
    jal ra, write_str
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

/* print label a0 then unsigned decimal a1 and a newline */
puts_num:
    addi sp, sp, -48
    sd ra, 0(sp)
    sd a1, 8(sp)
    jal ra, write_str
    ld a1, 8(sp)
    addi t0, sp, 47             /* build digits backwards in the frame */
    li t1, '\n'
    sb t1, 0(t0)
    li t2, 10
1:  addi t0, t0, -1
    remu t1, a1, t2
    addi t1, t1, '0'
    sb t1, 0(t0)
    divu a1, a1, t2
    bnez a1, 1b
    addi t3, sp, 48
    sub a2, t3, t0
    mv a1, t0
    li a0, 1
    li a7, 64
    ecall
    ld ra, 0(sp)
    addi sp, sp, 48
    ret

    .section .rodata
s_align:  .asciz "sp mod 16 = "
s_argc:   .asciz "argc = "
s_arg:    .asciz "arg ["
s_env:    .asciz "env ["
s_close:  .asciz "]\n"
s_pagesz: .asciz "AT_PAGESZ = "
