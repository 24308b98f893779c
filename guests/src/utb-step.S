/* utb-step: a known instruction sequence right after a getpid syscall, for
 * single-step and block-step tests (no compressed instructions).  With P the
 * address after the ecall:
 *   P+0  addi t0, zero, 1
 *   P+4  addi t0, t0, 1
 *   P+8  beq  t0, zero, skipped   (not taken)
 *   P+12 addi t0, t0, 1
 *   P+16 j    target              (taken)
 *   P+20 addi t1, zero, 99        (skipped)
 *   P+24 addi t1, zero, 98        (skipped)
 *   P+28 target: addi t2, zero, 7
 * then exit_group(t0 + t1): 3 when the skipped instructions did not run. */
    .option norvc
    .text
    .globl _start
_start:
    li t0, 0
    li t1, 0
    li t2, 0
    li a0, 0
    li a7, 172                  /* getpid */
    ecall
    addi t0, zero, 1
    addi t0, t0, 1
    beq t0, zero, skipped
    addi t0, t0, 1
    j target
skipped:
    addi t1, zero, 99
    addi t1, zero, 98
target:
    addi t2, zero, 7
    add a0, t0, t1
    li a7, 94                   /* exit_group */
    ecall
