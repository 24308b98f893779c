/* utb-threads: a process with two threads, for tests of signals sent to a threaded process. The
 * leader starts a second thread (clone with CLONE_THREAD, on a stack of its own here) that blocks
 * in read(0, buf, 1) on stdin. Then, with no argument, the leader blocks in the same read; with
 * one, it ends alone (exit, not exit_group), so the process lives on with a dead leader, as after
 * pthread_exit in main. A thread whose read returns ends alone; the last one ends the process
 * with status 0. */
    .option norvc
    .bss
    .balign 16
stack: .space 4096
stack_top:
buf: .space 16

    .text
    .globl _start
_start:
    ld s1, 0(sp)                /* argc */
    li a0, 0x50f00              /* CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM */
    la a1, stack_top
    li a2, 0
    li a3, 0
    li a4, 0
    li a7, 220                  /* clone */
    ecall
    beqz a0, reader
    li t0, 1
    bgt s1, t0, leave           /* an argument: the leader ends now */
reader:
    li a0, 0
    la a1, buf
    li a2, 1
    li a7, 63                   /* read */
    ecall
leave:
    li a0, 0
    li a7, 93                   /* exit (this thread) */
    ecall
