/* uta-cat: copies stdin to stdout with read(0, buf, 64) / write(1, buf, n)
 * until read returns 0 or an error, then exit_group(0).  Blocks in read
 * while stdin has no data, which gives the tests a task that is running
 * (not utrace-stopped) but parked in a syscall.  No libc. */

    .bss
buf: .space 64

    .text
    .globl _start
_start:
loop:
    li a0, 0                    /* fd: stdin */
    la a1, buf
    li a2, 64
    li a7, 63                   /* read */
    ecall
    blez a0, done
    mv a2, a0
    li a0, 1                    /* fd: stdout */
    la a1, buf
    li a7, 64                   /* write */
    ecall
    j loop
done:
    li a0, 0
    li a7, 94                   /* exit_group */
    ecall
