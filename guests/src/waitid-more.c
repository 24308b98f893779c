/* waitid-more: waitid and the ways children can be waited for or not. waitid(P_PID) with
 * WEXITED|WNOWAIT leaves the child waitable and a second waitid reaps it; the siginfo fields
 * (si_signo SIGCHLD, si_code CLD_EXITED/CLD_KILLED/CLD_STOPPED/CLD_CONTINUED, si_status, si_pid,
 * si_uid) are printed. waitid(P_PGID) and waitpid(-pgid) only reap members of that group;
 * waitid(P_ALL, WNOHANG) with nothing ready returns 0 with si_pid and si_signo zeroed; bad
 * arguments are EINVAL. SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT, makes exiting children vanish
 * (wait ends with ECHILD; the SA_NOCLDWAIT handler still runs). An orphaned grandchild gets a new
 * parent, and with PR_SET_CHILD_SUBREAPER that parent is the subreaper, which can reap it.
 * Children report through pipes the parent reads; no pid is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static const char *code_name(int code)
{
    switch (code) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    case 0: return "0";
    default: return "other";
    }
}

static void show(const char *what, int r, const siginfo_t *si, pid_t child)
{
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
        return;
    }
    printf("%s: %d, si_signo %s, si_code %s, si_status %d, si_pid is the child %d, si_uid is ours %d\n", what, r,
           si->si_signo ? sigabbrev_np(si->si_signo) : "0", code_name(si->si_code), si->si_status, si->si_pid == child,
           si->si_uid == getuid());
}

/* "-1 ECHILD" and the like, or "a pid" (never its number) when a call unexpectedly succeeds */
static const char *failure(long r)
{
    static char text[64];
    if (r > 0) return "a pid";
    snprintf(text, sizeof text, "%ld %s", r, r < 0 ? strerrorname_np(errno) : "");
    return text;
}

static pid_t child_exiting(int code)
{
    pid_t pid = fork_or_die();
    if (pid == 0) _exit(code);
    return pid;
}

static void nowait(void)
{
    siginfo_t si;
    pid_t pid = child_exiting(200);
    memset(&si, 0xff, sizeof si);
    int r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    show("waitid(P_PID, WEXITED|WNOWAIT)", r, &si, pid);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    show("the same again", r, &si, pid);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED);
    show("waitid(P_PID, WEXITED) reaps", r, &si, pid);
    r = waitid(P_PID, pid, &si, WEXITED);
    show("once more", r, &si, pid);

    memset(&si, 0xff, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    show("waitid(P_ALL, WNOHANG) with no children", r, &si, 0);

    /* a live child: WNOHANG returns 0 and zeroes the siginfo */
    int hold[2];
    pipe(hold);
    pid = fork_or_die();
    if (pid == 0) {
        char c;
        close(hold[1]);
        read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
    printf("waitid(P_ALL, WNOHANG) with a live child: %d, si_pid %d, si_signo %d\n", r, si.si_pid, si.si_signo);

    /* stopped and continued, seen by waitid */
    kill(pid, SIGSTOP);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_PID, pid, &si, WSTOPPED);
    show("waitid(WSTOPPED)", r, &si, pid);
    kill(pid, SIGCONT);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_PID, pid, &si, WCONTINUED);
    show("waitid(WCONTINUED)", r, &si, pid);
    kill(pid, SIGKILL);
    memset(&si, 0xff, sizeof si);
    r = waitid(P_PID, pid, &si, WEXITED);
    show("waitid after SIGKILL", r, &si, pid);
    close(hold[1]);

    errno = 0;
    r = waitid(P_PID, pid, &si, 0);
    printf("waitid with no WEXITED/WSTOPPED/WCONTINUED: %s\n", failure(r));
    errno = 0;
    r = waitid(17, 0, &si, WEXITED);
    printf("waitid with an unknown idtype: %s\n", failure(r));
    errno = 0;
    r = waitpid(-1, NULL, 0x40000);
    printf("waitpid with an unknown option bit: %s\n", failure(r));
}

static void by_group(void)
{
    /* two children in a new group led by the first, one in ours; all exit at once */
    pid_t a = fork_or_die();
    if (a == 0) {
        setpgid(0, 0);
        _exit(21);
    }
    setpgid(a, a);
    pid_t b = fork_or_die();
    if (b == 0) {
        setpgid(0, a);
        _exit(22);
    }
    setpgid(b, a);
    pid_t c = child_exiting(23);

    siginfo_t si;
    int codes = 0;
    for (int i = 0; i < 2; i++) {
        memset(&si, 0, sizeof si);
        if (waitid(P_PGID, a, &si, WEXITED) == 0) codes += si.si_status;
    }
    printf("waitid(P_PGID) twice: exit codes add up to %d\n", codes);
    int r = waitid(P_PGID, a, &si, WEXITED);
    printf("a third time: %s\n", failure(r));
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    show("waitid(P_ALL) takes the last one", r, &si, c);

    /* waitpid(-pgid) the same way */
    a = fork_or_die();
    if (a == 0) {
        setpgid(0, 0);
        _exit(31);
    }
    setpgid(a, a);
    c = child_exiting(32);
    int st;
    pid_t w = waitpid(-a, &st, 0);
    printf("waitpid(-pgid): the group's child %d, exited %d\n", w == a, WEXITSTATUS(st));
    w = waitpid(-a, &st, 0);
    printf("waitpid(-pgid) again: %s\n", failure(w));
    w = waitpid(c, &st, 0);
    printf("waitpid(other child): %d, exited %d\n", w == c, WEXITSTATUS(st));
}

static volatile sig_atomic_t handler_runs;
static void on_chld(int sig) { (void)sig; handler_runs++; }

static void no_zombies(void)
{
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++) child_exiting(40 + i);
    errno = 0;
    int r = wait(NULL); /* blocks until every child is gone, then ECHILD */
    printf("SIGCHLD ignored: wait %s\n", failure(r));
    pid_t pid = child_exiting(43);
    siginfo_t si;
    r = waitid(P_PID, pid, &si, WEXITED);
    printf("SIGCHLD ignored: waitid(P_PID) %s\n", failure(r));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_NOCLDWAIT | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    for (int i = 0; i < 3; i++) child_exiting(50 + i);
    errno = 0;
    r = waitpid(-1, NULL, 0);
    printf("SA_NOCLDWAIT: waitpid %s, handler ran %d\n", failure(r), handler_runs > 0);
    signal(SIGCHLD, SIG_DFL);
    pid = child_exiting(54);
    int st;
    r = waitpid(pid, &st, 0);
    printf("SIGCHLD back to SIG_DFL: reaped %d, exited %d\n", r == pid, WEXITSTATUS(st));
}

/* A child forks a grandchild and exits; the grandchild reports whether its parent changed. */
static void orphan(int subreaper)
{
    if (subreaper) prctl(PR_SET_CHILD_SUBREAPER, 1);
    int rep[2], gone[2], gpid[2];
    pipe(rep);
    pipe(gpid);
    pid_t me = getpid();
    pid_t child = fork_or_die();
    if (child == 0) {
        pid_t self = getpid();
        int asked[2];
        pipe(gone);
        pipe(asked);
        pid_t g = fork_or_die();
        if (g == 0) {
            pid_t old = getppid();
            close(asked[1]); /* lets the child exit: its parent has been read */
            close(gone[1]);
            char c;
            read(gone[0], &c, 1); /* EOF once the child has exited */
            while (getppid() == old) sched_yield(); /* re-parenting follows the exit closely */
            char out[160];
            /* Without a subreaper the new parent is whatever the system's init is (outside rvtrace,
             * the host's; under rvtrace, the run's first process): only a subreaper is asserted. */
            int n = subreaper
                ? snprintf(out, sizeof out, "  grandchild: first parent was the child %d, new parent differs %d, is the subreaper %d\n",
                           old == self, getppid() != old, getppid() == me)
                : snprintf(out, sizeof out, "  grandchild: first parent was the child %d, new parent differs %d\n",
                           old == self, getppid() != old);
            write(rep[1], out, n);
            _exit(0);
        }
        write(gpid[1], &g, sizeof g);
        close(asked[1]);
        char c;
        read(asked[0], &c, 1);
        _exit(0);
    }
    pid_t g;
    read(gpid[0], &g, sizeof g);
    int st;
    waitpid(child, &st, 0);
    close(rep[1]);
    char buf[200];
    ssize_t n = read(rep[0], buf, sizeof buf);
    printf("%s%.*s", subreaper ? "with PR_SET_CHILD_SUBREAPER:\n" : "orphan:\n", (int)n, buf);
    if (subreaper) {
        pid_t w = waitpid(g, &st, 0);
        printf("  the subreaper reaps the grandchild: %d, exited %d\n", w == g, WEXITSTATUS(st));
        int flag = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &flag);
        printf("  PR_GET_CHILD_SUBREAPER: %d\n", flag);
    }
    close(rep[0]);
    close(gpid[0]);
    close(gpid[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    nowait();
    by_group();
    no_zombies();
    orphan(0);
    orphan(1);
    return 0;
}
