/* sig-edges: the rules Linux applies to a signal between its sending and its delivery, each
 * shown by what a program can see (sigpending, rt_sigtimedwait, a handler's log, wait statuses).
 *  - Dequeue order: the signals a fault raises (SEGV, BUS, ILL, TRAP, FPE, SYS) come before any
 *    other, the lowest number first among them too; then the lowest number.
 *  - Ignored signals are dropped when sent, unless blocked (the action may change before they are
 *    unblocked): SIG_IGN, and SIG_DFL of a signal whose default is to ignore (SIGCHLD).
 *  - A standard signal is pending at most once in each of the thread's and the process's sets;
 *    real-time signals queue, signal 32 (the first real-time number, which glibc keeps for itself)
 *    included.
 *  - Sending SIGCONT drops pending stop signals; sending a stop signal drops a pending SIGCONT.
 *    SIGCONT to a process that is not stopped reports nothing to its parent.
 *  - A fault whose signal is blocked or ignored still kills (the action is reset to SIG_DFL).
 *  - SIGSTOP stops a process of an orphaned process group; SIGTSTP is discarded there, also for a
 *    process whose parent is in its group (a group is orphaned when no member's parent is in
 *    another group of the same session).
 * Raw rt_sigprocmask/rt_sigtimedwait are used where glibc hides signal 32. Output is the same on
 * every Linux architecture (signal numbers of the generic ABI, no pids). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fork-or-die.h"

/* The kernel's sigset: one bit per signal, bit n-1 for signal n. */
static unsigned long bit(int sig) { return 1UL << (sig - 1); }

static void kmask(int how, unsigned long set)
{
    if (syscall(SYS_rt_sigprocmask, how, &set, NULL, 8) != 0) perror("rt_sigprocmask");
}

/* Takes one pending signal of `set` without waiting; 0 if none. */
static int take(unsigned long set, siginfo_t *si)
{
    struct timespec zero = { 0, 0 };
    long r = syscall(SYS_rt_sigtimedwait, &set, si, &zero, 8);
    return r > 0 ? (int)r : 0;
}

/* Prints and consumes every pending signal of `set`, in the order they are dequeued. */
static void drain(const char *what, unsigned long set)
{
    siginfo_t si;
    int sig;
    printf("  %s:", what);
    while ((sig = take(set, &si)) != 0) {
        if (sig >= SIGRTMIN && si.si_code == SI_QUEUE) printf(" %d:%d", sig, si.si_value.sival_int);
        else printf(" %d", sig);
    }
    printf("\n");
}

static int pending(int sig)
{
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, sig);
}

static char order[32];
static volatile int norder;

static void record(int sig)
{
    char c = sig == SIGHUP ? 'H' : sig == SIGBUS ? 'B' : sig == SIGSEGV ? 'S' : sig == SIGUSR1 ? 'U' : '?';
    if (norder < (int)sizeof order - 1) order[norder++] = c;
}

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigfillset(&sa.sa_mask); /* one handler at a time: they run in dequeue order */
    sigaction(sig, &sa, NULL);
}

static void set_action(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigaction(sig, &sa, NULL);
}

static void dequeue_order(void)
{
    printf("dequeue order (H=HUP B=BUS S=SEGV U=USR1):\n");
    const int sigs[] = { SIGUSR1, SIGSEGV, SIGHUP, SIGBUS };
    for (int k = 0; k < 4; k++) handle(sigs[k], record);
    for (int directed = 0; directed < 2; directed++) {
        norder = 0;
        kmask(SIG_BLOCK, ~0UL);
        /* raise() aims at the thread, kill() at the process: the two pending sets. */
        for (int k = 0; k < 4; k++) {
            if (directed) kill(getpid(), sigs[k]);
            else raise(sigs[k]);
        }
        kmask(SIG_SETMASK, 0);
        order[norder] = 0;
        printf("  %s: %s\n", directed ? "kill" : "raise", order);
    }
    for (int k = 0; k < 4; k++) set_action(sigs[k], SIG_DFL);
}

static volatile int handled;
static void count(int sig) { (void)sig; handled++; }

static void ignored(void)
{
    printf("ignored signals:\n");
    for (int directed = 0; directed < 2; directed++) {
        const char *how = directed ? "kill" : "raise";
#define SEND(sig) (directed ? kill(getpid(), (sig)) : raise(sig))
        /* Ignored and not blocked: gone at once. */
        set_action(SIGUSR1, SIG_IGN);
        SEND(SIGUSR1);
        kmask(SIG_BLOCK, bit(SIGUSR1));
        set_action(SIGUSR1, count);
        handled = 0;
        printf("  %s, SIG_IGN, unblocked: pending %d", how, pending(SIGUSR1));
        kmask(SIG_UNBLOCK, bit(SIGUSR1));
        printf(", handled %d\n", handled);
        /* Ignored but blocked: kept, and delivered once a handler is installed and it is unblocked. */
        kmask(SIG_BLOCK, bit(SIGUSR2));
        set_action(SIGUSR2, SIG_IGN);
        SEND(SIGUSR2);
        printf("  %s, SIG_IGN, blocked: pending %d", how, pending(SIGUSR2));
        set_action(SIGUSR2, count);
        handled = 0;
        kmask(SIG_UNBLOCK, bit(SIGUSR2));
        printf(", handled %d\n", handled);
        /* SIGCHLD's default action is to ignore it: the same two cases. */
        set_action(SIGCHLD, SIG_DFL);
        SEND(SIGCHLD);
        kmask(SIG_BLOCK, bit(SIGCHLD));
        printf("  %s, SIGCHLD SIG_DFL, unblocked: pending %d", how, pending(SIGCHLD));
        SEND(SIGCHLD);
        printf("; blocked: pending %d", pending(SIGCHLD));
        set_action(SIGCHLD, count);
        handled = 0;
        kmask(SIG_UNBLOCK, bit(SIGCHLD));
        printf(", handled %d\n", handled);
        set_action(SIGCHLD, SIG_DFL);
#undef SEND
    }
    set_action(SIGUSR1, SIG_DFL);
    set_action(SIGUSR2, SIG_DFL);
}

static void queueing(void)
{
    printf("pending once or queued (thread's set, then the process's):\n");
    const unsigned long set = bit(SIGUSR1) | bit(SIGUSR2) | bit(32) | bit(SIGRTMIN);
    kmask(SIG_BLOCK, set);
    for (int k = 0; k < 3; k++) raise(SIGUSR1);
    raise(SIGUSR2);
    for (int k = 0; k < 2; k++) syscall(SYS_tgkill, getpid(), gettid(), 32);
    for (int k = 0; k < 2; k++) kill(getpid(), SIGUSR1);
    for (int k = 0; k < 2; k++) kill(getpid(), 32);
    for (int k = 1; k <= 3; k++) sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = k });
    drain("dequeued", set);
    kmask(SIG_UNBLOCK, set);
}

static void cont_and_stop(void)
{
    printf("SIGCONT and stop signals:\n");
    const unsigned long set = bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU) | bit(SIGCONT);
    kmask(SIG_BLOCK, set);
    raise(SIGTSTP);
    kill(getpid(), SIGTTOU);
    printf("  TSTP %d TTOU %d CONT %d\n", pending(SIGTSTP), pending(SIGTTOU), pending(SIGCONT));
    raise(SIGCONT);
    printf("  after SIGCONT: TSTP %d TTOU %d CONT %d\n", pending(SIGTSTP), pending(SIGTTOU), pending(SIGCONT));
    kill(getpid(), SIGTTIN);
    printf("  after SIGTTIN: TTIN %d CONT %d\n", pending(SIGTTIN), pending(SIGCONT));
    drain("left", set);
    kmask(SIG_UNBLOCK, set);

    pid_t pid = fork_or_die();
    if (pid == 0) {
        raise(SIGCONT); /* not stopped: nothing to report */
        _exit(5);
    }
    int st;
    waitpid(pid, &st, WUNTRACED | WCONTINUED);
    printf("  child sent itself SIGCONT: %s %d\n", WIFEXITED(st) ? "exited" : WIFCONTINUED(st) ? "continued" : "other",
           WIFEXITED(st) ? WEXITSTATUS(st) : 0);
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("  %s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("  %s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else if (WIFSTOPPED(st)) printf("  %s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(st)));
    else printf("  %s: status %#x\n", what, st);
}

static void on_segv(int sig)
{
    (void)sig;
    _exit(1);
}

static void forced(void)
{
    printf("a fault whose signal is blocked or ignored:\n");
    for (int ignore = 0; ignore < 2; ignore++) {
        pid_t pid = fork_or_die();
        if (pid == 0) {
            if (ignore) {
                set_action(SIGSEGV, SIG_IGN);
            } else {
                set_action(SIGSEGV, on_segv);
                kmask(SIG_BLOCK, bit(SIGSEGV) | bit(SIGUSR1));
            }
            volatile int *volatile bad = (volatile int *)16; /* unmapped: the first page is never mapped */
            *bad = 1;
            _exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        describe(ignore ? "SIG_IGN" : "blocked, with a handler", st);
    }
}

static void orphans(void)
{
    printf("orphaned process groups:\n");
    int st;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        setsid();
        raise(SIGSTOP);
        _exit(6);
    }
    waitpid(pid, &st, WUNTRACED);
    describe("SIGSTOP", st);
    kill(pid, SIGCONT);
    waitpid(pid, &st, 0);
    describe("then SIGCONT", st);

    pid = fork_or_die();
    if (pid == 0) {
        setsid();
        pid_t g = fork_or_die();
        if (g == 0) {
            raise(SIGTSTP);
            _exit(7);
        }
        int gs;
        waitpid(g, &gs, WUNTRACED);
        _exit(WIFEXITED(gs) ? 10 + WEXITSTATUS(gs) : 1);
    }
    waitpid(pid, &st, 0);
    describe("SIGTSTP in a grandchild (its parent in its group)", st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* children print nothing; no buffer to copy at fork */
    dequeue_order();
    ignored();
    queueing();
    cont_and_stop();
    forced();
    orphans();
    return 0;
}
