/* fp_stub(io): runs the one instruction word patched in at fp_slot on fixed registers, for
 * fp-oracle.c. In: io[0] = x6 and f1, io[1] = f2, io[2] = f4 (raw bits), io[6] = frm (the dynamic
 * rounding mode). Out: io[3] = x7, io[4] = f3 (raw bits), io[5] = the fflags the instruction
 * raised. x7 and f3 start at zero, fflags clear. */
    .option norvc
    .text
    .balign 4096
    .globl fp_stub
    .globl fp_slot
fp_stub:
    ld t1, 0(a0)
    fld f1, 0(a0)
    fld f2, 8(a0)
    fld f4, 16(a0)
    fmv.d.x f3, zero
    li t2, 0
    csrw fflags, zero
    ld t0, 48(a0)
    csrw frm, t0
fp_slot:
    nop
    frflags t0
    sd t2, 24(a0)
    fsd f3, 32(a0)
    sd t0, 40(a0)
    ret
