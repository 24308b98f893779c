/* rvc-asm: explicit compressed (RVC) instructions, no libc.  Each c.* form
 * computes a value that is printed as "name=<16 hex digits>" with a raw
 * write syscall: immediates (c.li/c.lui/c.addi/c.addiw/c.addi16sp/
 * c.addi4spn/c.andi/c.slli/c.srli/c.srai), register ops (c.mv/c.add/c.sub/
 * c.xor/c.or/c.and/c.addw/c.subw), loads and stores (c.lw/c.sw/c.ld/c.sd/
 * c.lwsp/c.swsp/c.ldsp/c.sdsp/c.fld/c.fsd/c.fldsp/c.fsdsp) and control flow
 * (c.j/c.jr/c.jalr/c.beqz/c.bnez/c.nop).  c.jalr must link pc+2. */

    .option rvc

/* print register \reg with label \name; only ra is clobbered */
    .macro P reg, name
    addi sp, sp, -16
    sd a0, 0(sp)
    sd a1, 8(sp)
    mv a0, \reg
    la a1, .Lname\@
    jal ra, pr
    ld a0, 0(sp)
    ld a1, 8(sp)
    addi sp, sp, 16
    .section .rodata
.Lname\@: .asciz "\name"
    .text
    .endm

    .text
    .globl _start
_start:
    c.mv s1, sp                 /* remember the initial sp */

    c.li a0, -32
    P a0, "c.li -32"
    c.li a0, 31
    c.addi a0, -1
    P a0, "c.addi 31-1"
    c.lui a1, 0xfffff
    P a1, "c.lui 0xfffff"
    c.lui a1, 31
    c.addi a1, 5
    P a1, "c.lui 31 +5"

    c.li a2, 1
    c.slli a2, 31
    c.addi a2, -1               /* 0x7fffffff */
    c.addiw a2, 1
    P a2, "c.addiw 0x7fffffff+1"
    c.li a2, -1
    c.srli a2, 32               /* 0x00000000ffffffff */
    c.addiw a2, 0
    P a2, "c.addiw sext.w"

    c.addi16sp sp, -64
    c.addi4spn a3, sp, 16
    sub a4, a3, s1
    P a4, "c.addi16sp/c.addi4spn"

    c.li a0, 1
    c.slli a0, 31
    c.addi a0, 1                /* 0x80000001 */
    c.swsp a0, 0(sp)
    c.lwsp a5, 0(sp)
    P a5, "c.swsp/c.lwsp"
    c.sdsp a0, 8(sp)
    c.ldsp a5, 8(sp)
    P a5, "c.sdsp/c.ldsp"
    c.sw a0, 4(a3)
    c.lw a4, 4(a3)
    P a4, "c.sw/c.lw"
    c.lui a1, 0xfffe0
    c.sd a1, 8(a3)
    c.ld a4, 8(a3)
    P a4, "c.sd/c.ld"

    la t0, onehalf
    fld fa0, 0(t0)
    c.fsd fa0, 16(a3)
    c.fld fa1, 16(a3)
    fmv.x.d a0, fa1
    P a0, "c.fsd/c.fld"
    c.fsdsp fa0, 40(sp)
    c.fldsp fa2, 40(sp)
    fadd.d fa3, fa1, fa2
    fmv.x.d a0, fa3
    P a0, "c.fsdsp/c.fldsp sum"
    c.addi16sp sp, 64
    sub a4, sp, s1
    P a4, "sp restored"

    c.li a0, -1
    c.srli a0, 1
    P a0, "c.srli -1,1"
    c.li a0, 3
    c.slli a0, 63
    P a0, "c.slli 3,63"
    c.srai a0, 63
    P a0, "c.srai 63"
    c.srli a0, 63
    P a0, "c.srli 63"
    c.li a0, -1
    c.andi a0, -32
    P a0, "c.andi -32"
    c.andi a0, 31
    P a0, "c.andi 31"

    c.li a0, 7
    c.li a1, -3
    c.mv a2, a0
    c.add a2, a1
    P a2, "c.add 7+-3"
    c.sub a2, a1
    P a2, "c.sub 4--3"
    c.mv a2, a0
    c.xor a2, a1
    P a2, "c.xor"
    c.mv a2, a0
    c.or a2, a1
    P a2, "c.or"
    c.mv a2, a0
    c.and a2, a1
    P a2, "c.and"
    c.li a2, 1
    c.slli a2, 31
    c.li a1, 1
    c.subw a2, a1
    P a2, "c.subw 0x80000000-1"
    c.addw a2, a1
    P a2, "c.addw 0x7fffffff+1"
    c.lui a2, 0x10
    c.li a1, -1
    c.slli a1, 32
    c.addw a2, a1               /* upper bits of a1 ignored */
    P a2, "c.addw ignores upper"

    /* branches: not taken, taken, jump */
    c.li s0, 0
    c.li a0, 5
    c.beqz a0, 1f
    c.addi s0, 1                /* runs */
1:  c.bnez a0, 2f
    c.addi s0, 2                /* skipped */
2:  c.j 3f
    c.addi s0, 4                /* skipped */
3:  c.li a0, 0
    c.bnez a0, 4f
    c.addi s0, 8                /* runs */
4:  c.beqz a0, 5f
    c.addi s0, 16               /* skipped */
5:  c.nop
    P s0, "branch mask"

    /* a countdown loop */
    c.li a0, 10
    c.li a1, 0
6:  c.add a1, a0
    c.addi a0, -1
    c.bnez a0, 6b
    P a1, "loop sum 1..10"

    /* c.jalr links to the following (2-byte) instruction */
    la t0, func
    c.li s0, 0
    c.jalr t0
.Lafter:
    la t1, .Lafter
    sub a0, ra, t1
    P a0, "c.jalr link offset"
    P s0, "func result"

    c.li a0, 0
    li a7, 93                   /* exit */
    ecall

func:
    c.li s0, 21
    c.add s0, s0
    c.jr ra

/* pr: write "<label a1>=<a0 as 16 hex digits>\n" to stdout.
   Saves every register it uses except a0/a1 (saved by the P macro). */
pr:
    addi sp, sp, -64
    sd a2, 0(sp)
    sd a7, 8(sp)
    sd t0, 16(sp)
    sd t1, 24(sp)
    sd t2, 32(sp)
    sd t3, 40(sp)
    sd t4, 48(sp)
    la t0, buf
1:  lbu t1, 0(a1)
    beqz t1, 2f
    sb t1, 0(t0)
    addi t0, t0, 1
    addi a1, a1, 1
    j 1b
2:  li t1, '='
    sb t1, 0(t0)
    addi t0, t0, 1
    li t2, 60
3:  srl t1, a0, t2
    andi t1, t1, 15
    addi t3, t1, '0'
    li t4, 10
    blt t1, t4, 4f
    addi t3, t1, 'a' - 10
4:  sb t3, 0(t0)
    addi t0, t0, 1
    addi t2, t2, -4
    bgez t2, 3b
    li t1, '\n'
    sb t1, 0(t0)
    addi t0, t0, 1
    la a1, buf
    sub a2, t0, a1
    li a0, 1
    li a7, 64                   /* write */
    ecall
    ld a2, 0(sp)
    ld a7, 8(sp)
    ld t0, 16(sp)
    ld t1, 24(sp)
    ld t2, 32(sp)
    ld t3, 40(sp)
    ld t4, 48(sp)
    addi sp, sp, 64
    ret

    .section .rodata
    .balign 8
onehalf: .double 1.5

    .bss
buf: .space 128
