/* deadlock: guests whose every task ends up waiting on something no task will ever do, and guests
 * that only seem to (test/cli/deadlock.test.ts). Linux and qemu hang on the first kind forever;
 * rvtrace ends them with one line per task. Before blocking, each task prints on stdout the call it
 * is about to block in, as the deadlock report should show it ("expect N blocked in CALL", N counting
 * the tasks in the order they were made), so the test
 * compares with what the guest knows (addresses of its own buffers), not with numbers of its own.
 *
 *   deadlock futex         FUTEX_WAIT on a word nobody wakes
 *   deadlock pipe-threads  two threads read a pipe whose write end only the process holds
 *   deadlock pause         pause(): no other task, no timer, so no signal can come
 *   deadlock sigsuspend    sigsuspend with SIGUSR1 blocked, nothing to send another signal
 *   deadlock wait-child    waitpid on a child that is itself in pause()
 *   deadlock pipe-cycle    parent and child each read the pipe the other should write
 *   deadlock stopped       waitpid (no WUNTRACED) on a child that stopped itself with SIGSTOP
 *
 * and the ones that end by themselves:
 *   deadlock sleep         the main thread joins a thread that sleeps 20 ms, then prints "joined"
 *   deadlock alarm         a 20 ms ITIMER_REAL, then pause(): the handler's SIGALRM ends the wait
 *   deadlock stdin         prints "ready", then reads stdin to its end and prints what came
 *   deadlock engine        getppid() (which a test engine holds for a while), then prints "released"
 *   deadlock tstp          prints "spinning" and spins until SIGCONT's handler ends the loop: a ^Z from
 *                          outside stops it, and the host may continue it, so it is no deadlock
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int word;
static int fds[2];
static volatile sig_atomic_t alarms;

/* Task `index` (0: the first task, 1: the next one made, ...) is about to block in this call. */
static void expect(int index, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("expect %d blocked in %s\n", index, line);
}

static void block_in_read(int index, int fd)
{
    char buf[8];
    expect(index, "read(%d, %p, %zu)", fd, (void *)buf, sizeof buf);
    read(fd, buf, sizeof buf);
}

static void *reader(void *arg)
{
    (void)arg;
    block_in_read(1, fds[0]);
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    return NULL;
}

/* pause() as glibc makes it on riscv64, which has no pause syscall: ppoll with no descriptors, no
 * timeout and no mask. glibc passes four arguments and leaves the fifth register as it was; here it
 * is 0, so that the report's line is known. */
static void pause_now(void)
{
    syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
}

static void on_alarm(int sig) { (void)sig; alarms++; }

static volatile sig_atomic_t continued;
static void on_cont(int sig) { (void)sig; continued = 1; }

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "futex")) {
        expect(0, "futex(%p, FUTEX_WAIT_PRIVATE, 0, NULL)", (void *)&word);
        syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL);
    } else if (!strcmp(mode, "pipe-threads")) {
        pipe(fds);
        pthread_t th;
        /* The thread prints its line first, so the lines come in tid order. */
        pthread_create(&th, NULL, reader, NULL);
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        block_in_read(0, fds[0]);
    } else if (!strcmp(mode, "pause")) {
        expect(0, "ppoll(NULL, 0, NULL, NULL, 0)");
        pause_now();
    } else if (!strcmp(mode, "sigsuspend")) {
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR1);
        expect(0, "rt_sigsuspend([USR1], 8)");
        sigsuspend(&mask);
    } else if (!strcmp(mode, "wait-child")) {
        int status;
        pid_t child = fork();
        if (child == 0) {
            expect(1, "ppoll(NULL, 0, NULL, NULL, 0)");
            pause_now();
            _exit(0);
        }
        expect(0, "wait4(%d, %p, 0, NULL)", child, (void *)&status);
        waitpid(child, &status, 0);
    } else if (!strcmp(mode, "pipe-cycle")) {
        int up[2], down[2];
        pipe(up);
        pipe(down);
        if (fork() == 0) {
            block_in_read(1, down[0]);
            _exit(0);
        }
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        block_in_read(0, up[0]);
    } else if (!strcmp(mode, "stopped")) {
        int status;
        pid_t child = fork();
        if (child == 0) {
            raise(SIGSTOP);
            _exit(0);
        }
        expect(0, "wait4(%d, %p, 0, NULL)", child, (void *)&status);
        printf("expect 1 stopped by SIGSTOP\n");
        waitpid(child, &status, 0);
    } else if (!strcmp(mode, "sleep")) {
        pthread_t th;
        pthread_create(&th, NULL, sleeper, NULL);
        pthread_join(th, NULL);
        printf("joined\n");
    } else if (!strcmp(mode, "alarm")) {
        signal(SIGALRM, on_alarm);
        struct itimerval it = { { 0, 0 }, { 0, 20 * 1000 } };
        setitimer(ITIMER_REAL, &it, NULL);
        pause();
        printf("alarms %d\n", (int)alarms);
    } else if (!strcmp(mode, "stdin")) {
        char buf[64];
        size_t got = 0;
        ssize_t n;
        printf("ready\n");
        while (got < sizeof buf && (n = read(0, buf + got, sizeof buf - got)) > 0) got += n;
        printf("read \"%.*s\"\n", (int)got, buf);
    } else if (!strcmp(mode, "tstp")) {
        signal(SIGCONT, on_cont);
        printf("spinning\n");
        while (!continued) {
        }
        printf("continued\n");
    } else if (!strcmp(mode, "engine")) {
        getppid();
        printf("released\n");
    } else {
        fprintf(stderr, "deadlock: unknown mode '%s'\n", mode);
        return 2;
    }
    printf("not blocked\n");
    return 0;
}
