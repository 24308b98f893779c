/* utc-write: one write(1, "hello, world\n", 13), then exit_group with the
 * write's return value, so what the guest got back is its exit status.  The
 * message lives in .data: engines may rewrite it in guest memory.  Used by the
 * utrace scenario tests and examples (test/utrace/scenarios.test.ts). */

    .data
msg: .ascii "hello, world\n"
    .set msg_len, . - msg

    .text
    .globl _start
_start:
    li a0, 1                    /* fd: stdout */
    la a1, msg
    li a2, msg_len
    li a7, 64                   /* write */
    ecall
                                /* a0 = what write returned */
    li a7, 94                   /* exit_group(a0) */
    ecall
