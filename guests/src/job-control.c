/* job-control: stopping and continuing children, SIGCHLD and process groups. A child stops
 * itself (raise(SIGSTOP), then kill(getpid(), SIGSTOP)); waitpid(WUNTRACED) reports WIFSTOPPED
 * with WSTOPSIG, SIGCONT resumes it and waitpid(WCONTINUED) reports WIFCONTINUED. A SA_SIGINFO
 * SIGCHLD handler records si_code (CLD_STOPPED, CLD_CONTINUED, CLD_EXITED, CLD_KILLED) and
 * si_status for each event (the log is printed afterwards); with SA_NOCLDSTOP only the exit is
 * signalled. SIGTSTP stops a child whose process group has a parent outside it in the session,
 * and is discarded for a child whose group is orphaned (it called setsid). setpgid/getpgid/
 * setsid/getsid and their errors (EPERM for setsid by a group leader, ESRCH for no such
 * process), kill(-pgid) reaching every member of a group and no one else, kill(0) reaching the
 * caller's group including itself. Each step waits for the one before, so the order is fixed;
 * no pid is printed, only relations between them. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static struct { int code, status, pid; } events[16];
static volatile int nevents;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (nevents < 16) {
        events[nevents].code = si->si_code;
        events[nevents].status = si->si_status;
        events[nevents].pid = si->si_pid;
        nevents++;
    }
}

static const char *code_name(int code)
{
    switch (code) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    default: return "other";
    }
}

static void print_events(pid_t child)
{
    for (int i = 0; i < nevents; i++)
        printf("  SIGCHLD %d: %s status %d, from the child %d\n", i, code_name(events[i].code), events[i].status,
               events[i].pid == child);
    nevents = 0;
}

static void describe(const char *what, int st)
{
    if (WIFEXITED(st)) printf("  %s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("  %s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
    else if (WIFSTOPPED(st)) printf("  %s: stopped by %s\n", what, sigabbrev_np(WSTOPSIG(st)));
    else if (WIFCONTINUED(st)) printf("  %s: continued\n", what);
    else printf("  %s: status %#x\n", what, st);
}

static void install(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | flags;
    sigaction(SIGCHLD, &sa, NULL);
}

/* SIGCHLD is blocked outside these waits: signals of the same kind do not queue, so the
 * parent takes each notification before letting the child go on to the next event. */
static void wait_events(int n)
{
    sigset_t none;
    sigemptyset(&none);
    while (nevents < n) sigsuspend(&none);
}

/* A child that stops itself twice, then waits for a byte on the pipe and exits 7. With
 * SA_NOCLDSTOP no stop or continue event is expected, only the exit. */
static void stop_and_continue(int flags)
{
    int go[2];
    pipe(go);
    install(flags);
    int each = flags & SA_NOCLDSTOP ? 0 : 1;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        char c;
        close(go[1]);
        raise(SIGSTOP);
        read(go[0], &c, 1);
        kill(getpid(), SIGSTOP);
        read(go[0], &c, 1);
        _exit(7);
    }
    close(go[0]);
    int st, expected = 0;
    for (int round = 0; round < 2; round++) {
        waitpid(pid, &st, WUNTRACED);
        describe("waitpid(WUNTRACED)", st);
        wait_events(expected += each);
        kill(pid, SIGCONT);
        waitpid(pid, &st, WCONTINUED);
        describe("waitpid(WCONTINUED)", st);
        wait_events(expected += each);
        write(go[1], "x", 1);
    }
    close(go[1]);
    waitpid(pid, &st, 0);
    describe("waitpid", st);
    wait_events(expected + 1);
    print_events(pid);

    /* killed while stopped: SIGKILL works on a stopped process */
    pid = fork_or_die();
    if (pid == 0) {
        raise(SIGSTOP);
        _exit(0);
    }
    waitpid(pid, &st, WUNTRACED);
    wait_events(each);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    describe("SIGKILL while stopped", st);
    wait_events(each + 1);
    print_events(pid);
}

/* SIGTSTP: obeyed in a process group that is not orphaned, discarded in one that is */
static void tstp(void)
{
    for (int orphaned = 0; orphaned < 2; orphaned++) {
        pid_t pid = fork_or_die();
        if (pid == 0) {
            if (orphaned) setsid(); /* its parent is in another session: the group is orphaned */
            else setpgid(0, 0);     /* its parent is in another group of the same session */
            raise(SIGTSTP);
            _exit(3);
        }
        int st;
        waitpid(pid, &st, WUNTRACED);
        describe(orphaned ? "raise(SIGTSTP) in an orphaned group" : "raise(SIGTSTP) in its own group", st);
        if (WIFSTOPPED(st)) {
            kill(pid, SIGCONT);
            waitpid(pid, &st, 0);
            describe("after SIGCONT", st);
        }
    }
    nevents = 0;
}

static void groups(void)
{
    pid_t me = getpid();
    printf("parent: getpgid(0) == getpgrp() %d, getsid(0) == getsid(me) %d\n", getpgid(0) == getpgrp(),
           getsid(0) == getsid(me));
    errno = 0;
    int r = getpgid(0x3fffffff);
    printf("getpgid(no such pid): %d %s\n", r, strerrorname_np(errno));
    r = getsid(0x3fffffff);
    printf("getsid(no such pid): %d %s\n", r, strerrorname_np(errno));
    r = kill(0x3fffffff, 0);
    printf("kill(no such pid): %d %s\n", r, strerrorname_np(errno));

    /* a child that becomes a group leader, then tries setsid (EPERM), and one that calls setsid */
    int rep[2];
    pipe(rep);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        char out[160];
        int a = setpgid(0, 0);
        int leader = getpgrp() == getpid();
        errno = 0;
        int s = setsid();
        int n = snprintf(out, sizeof out, "  child: setpgid(0,0) %d, leads its group %d, setsid as leader %d %s\n", a,
                         leader, s, strerrorname_np(errno));
        write(rep[1], out, n);
        _exit(0);
    }
    setpgid(pid, pid); /* both sides set it: whichever runs first wins the race harmlessly */
    int st;
    waitpid(pid, &st, 0);
    char buf[256];
    ssize_t n = read(rep[0], buf, sizeof buf);
    printf("%.*s", (int)n, buf);

    pid = fork_or_die();
    if (pid == 0) {
        char out[200];
        pid_t sid = setsid();
        errno = 0;
        int again = setpgid(0, getppid()); /* a group in another session */
        int n = snprintf(out, sizeof out,
                         "  child: setsid returned its pid %d, getsid(0) == pid %d, getpgrp() == pid %d, "
                         "joining the parent's group %d %s\n",
                         sid == getpid(), getsid(0) == getpid(), getpgrp() == getpid(), again,
                         strerrorname_np(errno));
        write(rep[1], out, n);
        pause();
        _exit(0);
    }
    n = read(rep[0], buf, sizeof buf);
    printf("%.*s", (int)n, buf);
    printf("  parent: getsid(child) == child %d, getpgid(child) == child %d\n", getsid(pid) == pid, getpgid(pid) == pid);
    errno = 0;
    r = setpgid(pid, getpgrp());
    printf("  parent: setpgid of a child in another session: %d %s\n", r, strerrorname_np(errno));
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    describe("session leader child", st);
    close(rep[0]);
    close(rep[1]);
}

static void group_kill(void)
{
    /* A leads a group, B joins it, C stays in the parent's group: kill(-A) ends A and B only */
    int hold[2];
    pipe(hold);
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = fork_or_die();
        if (kids[i] == 0) {
            close(hold[1]);
            if (i == 0) setpgid(0, 0);
            if (i == 1) setpgid(0, kids[0]);
            char c;
            read(hold[0], &c, 1); /* until the parent closes its end */
            _exit(10 + i);
        }
        if (i == 0) setpgid(kids[0], kids[0]);
        if (i == 1) setpgid(kids[1], kids[0]);
    }
    close(hold[0]);
    printf("group: B is in A's group %d, C is not %d\n", getpgid(kids[1]) == kids[0], getpgid(kids[2]) != kids[0]);
    printf("kill(-A, SIGUSR1): %d\n", kill(-kids[0], SIGUSR1));
    const char *names[] = { "A", "B", "C" };
    int st;
    for (int i = 0; i < 2; i++) {
        waitpid(kids[i], &st, 0);
        describe(names[i], st);
    }
    printf("  C still running: %d\n", waitpid(kids[2], &st, WNOHANG) == 0);
    close(hold[1]);
    waitpid(kids[2], &st, 0);
    describe(names[2], st);
    errno = 0;
    int r = kill(-kids[0], SIGUSR1);
    printf("kill(-A) once the group is gone: %d %s\n", r, strerrorname_np(errno));

    /* kill(0, sig) in a child that leads a group with a grandchild: both get it */
    int rep[2];
    pipe(rep);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        setpgid(0, 0);
        int ready[2];
        pipe(ready);
        pid_t g = fork_or_die();
        if (g == 0) {
            close(ready[0]);
            close(ready[1]); /* tells the child it runs */
            pause();
            _exit(0);
        }
        close(ready[1]);
        char c;
        read(ready[0], &c, 1);
        sigset_t usr1;
        sigemptyset(&usr1);
        sigaddset(&usr1, SIGUSR2);
        sigprocmask(SIG_BLOCK, &usr1, NULL); /* the sender keeps its copy pending */
        int k = kill(0, SIGUSR2);
        int gst;
        waitpid(g, &gst, 0);
        sigset_t pend;
        sigpending(&pend);
        char out[160];
        int n = snprintf(out, sizeof out, "  kill(0, SIGUSR2) %d: grandchild killed by %s, pending in the sender %d\n", k,
                         WIFSIGNALED(gst) ? sigabbrev_np(WTERMSIG(gst)) : "nothing", sigismember(&pend, SIGUSR2));
        write(rep[1], out, n);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    char buf[200];
    ssize_t n = read(rep[0], buf, sizeof buf);
    printf("%.*s", (int)n, buf);
    describe("kill(0) sender", st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    printf("stop and continue, SIGCHLD with siginfo:\n");
    stop_and_continue(0);
    printf("the same with SA_NOCLDSTOP:\n");
    stop_and_continue(SA_NOCLDSTOP);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    printf("SIGTSTP:\n");
    tstp();
    printf("process groups and sessions:\n");
    groups();
    group_kill();
    return 0;
}
