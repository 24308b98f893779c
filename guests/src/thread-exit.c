/* thread-exit: how threads end a process and how signals find threads. In forked children:
 * exit() from a second thread ends the whole process with that code while other threads are
 * blocked (atexit handlers run in the calling thread); pthread_exit from the main thread leaves
 * the process running until the last thread ends, and another thread can pthread_join the main
 * thread to get its value; a fault in a second thread kills the whole process with SIGSEGV.
 * fork from a second thread gives a child with one thread whose tid is its pid and whose parent
 * is the process; any thread of the parent may wait for it, but not with __WNOTHREAD. Signals:
 * pthread_kill and tgkill reach exactly the target thread (its handler sees its own gettid), and
 * a signal sent to the process is taken by the one thread that does not block it. Children print
 * only while the parent waits for them; no pid or tid number is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static int hold[2]; /* read by threads that must block until the process ends */

static void *block_on_pipe(void *arg)
{
    (void)arg;
    char c;
    read(hold[0], &c, 1);
    return NULL;
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else printf("%s: status %#x\n", what, st);
}

/* ---- exit() from a second thread ---- */
static pid_t leader;

static void at_exit(void)
{
    printf("  atexit handler runs in a thread other than the main one: %d\n", gettid() != leader);
}

static void *call_exit(void *arg)
{
    (void)arg;
    exit(42);
}

static void exit_from_thread(void)
{
    pid_t pid = fork_or_die();
    if (pid == 0) {
        leader = getpid();
        atexit(at_exit);
        pipe(hold);
        pthread_t t[3];
        pthread_create(&t[0], NULL, block_on_pipe, NULL);
        pthread_create(&t[1], NULL, block_on_pipe, NULL);
        pthread_create(&t[2], NULL, call_exit, NULL);
        pthread_join(t[0], NULL); /* never returns: exit() ends every thread */
        printf("  main thread got past the join\n");
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    describe("exit(42) from a second thread", st);
}

/* ---- pthread_exit from main ---- */
static pthread_t main_thread;

static void *finish_work(void *arg)
{
    long how = (long)arg;
    void *ret = NULL;
    int r = pthread_join(main_thread, &ret);
    long sum = 0;
    for (long i = 1; i <= 1000; i++) sum += i;
    printf("  worker: joined the main thread: %s, its value %ld, sum %ld\n", strerrorname_np(r) ? strerrorname_np(r) : "0",
           (long)ret, sum);
    if (how == 1) exit(3);
    return NULL; /* the last thread returning ends the process with status 0 */
}

static void main_pthread_exit(void)
{
    for (long how = 0; how < 2; how++) {
        pid_t pid = fork_or_die();
        if (pid == 0) {
            main_thread = pthread_self();
            pthread_t t;
            pthread_create(&t, NULL, finish_work, (void *)how);
            pthread_exit((void *)5);
        }
        int st;
        waitpid(pid, &st, 0);
        describe(how ? "pthread_exit in main, worker calls exit(3)" : "pthread_exit in main, worker returns", st);
    }
}

/* ---- a fault in a second thread ---- */
static void *fault(void *arg)
{
    (void)arg;
    volatile int *p = NULL;
    *p = 1;
    return NULL;
}

static void fault_in_thread(void)
{
    pid_t pid = fork_or_die();
    if (pid == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none); /* no core file in the working directory */
        pipe(hold);
        pthread_t t[2];
        pthread_create(&t[0], NULL, block_on_pipe, NULL);
        pthread_create(&t[1], NULL, fault, NULL);
        pthread_join(t[0], NULL);
        _exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    describe("NULL store in a second thread", st);
}

/* ---- fork from a second thread ---- */
static pid_t forked_child;
static int report[2], stay[2], forked[2];

static void *fork_here(void *arg)
{
    (void)arg;
    pid_t parent = getpid();
    forked_child = fork_or_die();
    if (forked_child == 0) {
        long sum = 0;
        for (long i = 0; i < 10000; i++) sum += i % 7;
        char out[200];
        int n = snprintf(out, sizeof out, "  child of a thread: tid == pid %d, getppid is the process %d, sum %ld\n",
                         gettid() == getpid(), getppid() == parent, sum);
        write(report[1], out, n);
        _exit(9);
    }
    /* stay alive while the main thread waits: a child is reparented when its thread ends */
    char c;
    write(forked[1], "f", 1);
    read(stay[0], &c, 1);
    return NULL;
}

static void fork_from_thread(void)
{
    pipe(report);
    pipe(stay);
    pipe(forked);
    pthread_t t;
    pthread_create(&t, NULL, fork_here, NULL);
    char c;
    read(forked[0], &c, 1);
    char buf[256];
    ssize_t n = read(report[0], buf, sizeof buf);
    printf("%.*s", (int)n, buf);
    int st;
    errno = 0;
    pid_t w = waitpid(forked_child, &st, __WNOTHREAD);
    printf("main thread waits with __WNOTHREAD for its sibling's child: %d %s\n", w, strerrorname_np(errno));
    w = waitpid(forked_child, &st, 0);
    printf("main thread waits without it: got the child %d; ", w == forked_child);
    describe("child", st);
    write(stay[1], "s", 1);
    pthread_join(t, NULL);
    close(report[0]); close(report[1]);
    close(stay[0]); close(stay[1]);
    close(forked[0]); close(forked[1]);
}

/* ---- signals to threads ---- */
static volatile pid_t handled_in[4];
static volatile int handled_count;

static void record_tid(int sig)
{
    (void)sig;
    handled_in[handled_count++ & 3] = gettid();
}

struct target { pid_t tid; int ready[2]; int done[2]; };

static void *wait_for_signal(void *arg)
{
    struct target *t = arg;
    t->tid = gettid();
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    sigdelset(&mask, SIGUSR1);
    sigdelset(&mask, SIGUSR2);
    write(t->ready[1], "r", 1);
    sigsuspend(&mask); /* returns once a handler has run in this thread */
    write(t->done[1], "d", 1);
    return NULL;
}

static void *bystander(void *arg)
{
    (void)arg;
    char c;
    read(hold[0], &c, 1);
    return NULL;
}

static void signals_to_threads(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = record_tid;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &both, NULL); /* inherited by every thread created below */
    pipe(hold);

    pthread_t others[3];
    for (int i = 0; i < 3; i++) pthread_create(&others[i], NULL, bystander, NULL);

    /* pthread_kill, then tgkill, to the one thread waiting in sigsuspend */
    for (int how = 0; how < 3; how++) {
        struct target t;
        pipe(t.ready);
        pipe(t.done);
        pthread_t th;
        pthread_create(&th, NULL, wait_for_signal, &t);
        char c;
        read(t.ready[0], &c, 1);
        handled_count = 0;
        const char *what;
        if (how == 0) {
            what = "pthread_kill(SIGUSR1)";
            pthread_kill(th, SIGUSR1);
        } else if (how == 1) {
            what = "tgkill(SIGUSR1)";
            syscall(SYS_tgkill, getpid(), t.tid, SIGUSR1);
        } else {
            what = "kill(process, SIGUSR2)";
            kill(getpid(), SIGUSR2); /* only the waiting thread leaves it unblocked */
        }
        read(t.done[0], &c, 1);
        pthread_join(th, NULL);
        printf("%s: handled %d time(s), in the target thread %d\n", what, handled_count, handled_in[0] == t.tid);
        close(t.ready[0]); close(t.ready[1]); close(t.done[0]); close(t.done[1]);
    }
    printf("pthread_kill(signal 0) to a live thread: %d\n", pthread_kill(others[0], 0));

    /* pending for the process while every thread blocks it: visible everywhere, taken by sigwait */
    kill(getpid(), SIGUSR2);
    sigset_t pend;
    sigpending(&pend);
    int sig = 0;
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    int r = sigwait(&usr2, &sig);
    sigset_t after;
    sigpending(&after);
    printf("blocked everywhere: pending %d, sigwait %d took %s, pending after %d\n", sigismember(&pend, SIGUSR2), r,
           sigabbrev_np(sig), sigismember(&after, SIGUSR2));

    close(hold[1]);
    for (int i = 0; i < 3; i++) pthread_join(others[i], NULL);
    close(hold[0]);
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    exit_from_thread();
    main_pthread_exit();
    fault_in_thread();
    fork_from_thread();
    signals_to_threads();
    return 0;
}
