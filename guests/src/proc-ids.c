/* proc-ids: what a process can learn and set about itself beyond its pid: process group and
 * session (getpgrp, getpgid, getsid, setsid, setpgid), real/effective/saved ids, supplementary
 * groups, priority (nice, getpriority, setpriority), scheduling policy, CPU affinity and the CPU
 * it runs on, locking memory, resource usage (getrusage,
 * times), prctl's thread name and flags, and resource limits that are kept once set (a lower
 * RLIMIT_NOFILE bounds the descriptors). Only what is the same on every Linux is printed. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/times.h>

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void)
{
    pid_t pid = getpid();
    printf("getpgrp() == getpgid(0): %d\n", getpgrp() == getpgid(0));
    printf("getsid(0) == getsid(pid): %d\n", getsid(0) == getsid(pid));
    printf("setsid() == pid: %d\n", setsid() == pid);
    printf("now group and session leader: %d %d\n", getpgrp() == pid, getsid(0) == pid);
    result("setsid again", setsid());
    result("setpgid(0, 0) as session leader", setpgid(0, 0));

    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("getresuid all getuid(): %d, getresgid all getgid(): %d\n",
           r == getuid() && e == r && s == r, gr == getgid() && ge == gr && gs == gr);
    int ng = getgroups(0, NULL);
    gid_t groups[256];
    printf("getgroups counts and lists alike: %d\n", ng >= 0 && getgroups(256, groups) == ng);

    errno = 0;
    result("getpriority", getpriority(PRIO_PROCESS, 0));
    result("nice(3)", nice(3));
    result("setpriority(5)", setpriority(PRIO_PROCESS, 0, 5));
    result("getpriority", getpriority(PRIO_PROCESS, 0));
    result("getpriority, bad which", getpriority(7, 0));

    cpu_set_t cs;
    CPU_ZERO(&cs);
    result("sched_getaffinity", sched_getaffinity(0, sizeof cs, &cs));
    printf("  cpu 0 in the set: %d\n", CPU_ISSET(0, &cs));
    CPU_ZERO(&cs);
    CPU_SET(0, &cs);
    result("sched_setaffinity to cpu 0", sched_setaffinity(0, sizeof cs, &cs));
    printf("sched_getcpu() >= 0: %d\n", sched_getcpu() >= 0);
    unsigned cpu = 99, node = 99;
    result("getcpu", getcpu(&cpu, &node));
    result("sched_getscheduler", sched_getscheduler(0));
    struct sched_param sp = { .sched_priority = 7 };
    result("sched_getparam", sched_getparam(0, &sp));
    printf("  priority %d\n", sp.sched_priority);
    result("sched_get_priority_max(SCHED_FIFO)", sched_get_priority_max(SCHED_FIFO));
    result("sched_get_priority_min(SCHED_RR)", sched_get_priority_min(SCHED_RR));
    result("sched_get_priority_max(SCHED_OTHER)", sched_get_priority_max(SCHED_OTHER));
    result("sched_get_priority_max(42)", sched_get_priority_max(42));
    sp.sched_priority = 0;
    result("sched_setscheduler(SCHED_BATCH)", sched_setscheduler(0, SCHED_BATCH, &sp));
    result("sched_getscheduler", sched_getscheduler(0));
    sp.sched_priority = 5;
    result("sched_setscheduler(SCHED_OTHER, priority 5)", sched_setscheduler(0, SCHED_OTHER, &sp));
    struct timespec rr;
    result("sched_rr_get_interval", sched_rr_get_interval(0, &rr));

    static char page[8192];
    result("mlock", mlock(page, sizeof page));
    result("munlock", munlock(page, sizeof page));
    result("mlock of unmapped memory", mlock((void *)4096, 4096));
    result("mlockall(0)", mlockall(0));

    struct rusage ru;
    result("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &ru));
    printf("  utime sane %d, maxrss > 0 %d\n", ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec < 1000000, ru.ru_maxrss > 0);
    result("getrusage(RUSAGE_CHILDREN)", getrusage(RUSAGE_CHILDREN, &ru));
    printf("  children's utime %ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
    result("getrusage(5)", getrusage(5, &ru));
    struct tms tm;
    printf("times() != -1: %d, no children's time %d\n", times(&tm) != (clock_t)-1, tm.tms_cutime == 0 && tm.tms_cstime == 0);

    char name[32] = "";
    result("prctl(PR_SET_NAME)", prctl(PR_SET_NAME, "a-rather-long-thread-name"));
    result("prctl(PR_GET_NAME)", prctl(PR_GET_NAME, name));
    printf("  name \"%s\"\n", name);
    result("prctl(PR_GET_DUMPABLE)", prctl(PR_GET_DUMPABLE));
    result("prctl(PR_SET_NO_NEW_PRIVS)", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    int sig = -1;
    result("prctl(PR_SET_PDEATHSIG)", prctl(PR_SET_PDEATHSIG, 15));
    result("prctl(PR_GET_PDEATHSIG)", prctl(PR_GET_PDEATHSIG, &sig));
    printf("  pdeathsig %d\n", sig);
    result("prctl(12345)", prctl(12345, 0, 0, 0, 0));

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 16;
    result("setrlimit(RLIMIT_NOFILE, 16)", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("  read back %ld, sysconf(_SC_OPEN_MAX) %ld\n", (long)rl.rlim_cur, sysconf(_SC_OPEN_MAX));
    /* The limit without a loop of opens (qemu holds a descriptor of its own, so it would stop a
     * step earlier): the highest descriptor it allows, one past it, and a limit every open
     * descriptor already reaches. */
    result("dup2 to the highest descriptor the limit allows", dup2(0, 15));
    result("dup2 past the limit", dup2(0, 20));
    rl.rlim_cur = 3;
    result("setrlimit(RLIMIT_NOFILE, 3)", setrlimit(RLIMIT_NOFILE, &rl));
    result("open with descriptors 0-2 taken", open("/dev/null", O_RDONLY));
    rl.rlim_cur = 16;
    setrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max + 1;
    result("soft limit above the hard one", setrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_cur = rl.rlim_max = 12345;
    result("setrlimit(RLIMIT_CORE, 12345)", setrlimit(RLIMIT_CORE, &rl));
    getrlimit(RLIMIT_CORE, &rl);
    printf("  read back %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
    return 0;
}
