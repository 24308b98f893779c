/* signals: signal delivery to handlers.  raise() and kill() of SIGUSR1 with
 * sigaction handlers (si_signo/si_code checked), a signal blocked with
 * sigprocmask stays pending until unblocked, SA_RESETHAND, SIG_IGN, and
 * synchronous faults caught by SA_SIGINFO handlers: SIGSEGV (si_addr = the
 * faulting address) left with siglongjmp, and SIGILL / SIGTRAP handlers
 * that step the saved pc past the faulting instruction so sigreturn
 * resumes after it.  Registers must survive a handler running. */
#include <stdio.h>
#include <signal.h>
#include <setjmp.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <ucontext.h>

static volatile sig_atomic_t got_usr1, got_usr2, last_code;
static sigjmp_buf recover;

static void on_usr(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig == SIGUSR1) got_usr1++;
    else got_usr2++;
    last_code = si->si_code;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("  SIGSEGV handler: signo %d code %d addr %lu\n", sig, si->si_code, (unsigned long)(uintptr_t)si->si_addr);
    siglongjmp(recover, 1);
}

/* resume after the faulting 4-byte instruction */
static void on_step(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    printf("  %s handler: code %d\n", sig == SIGILL ? "SIGILL" : "SIGTRAP", si->si_code);
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) perror("sigaction");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);   /* handlers print too */

    puts("[raise and kill]");
    install(SIGUSR1, on_usr, 0);
    install(SIGUSR2, on_usr, 0);
    raise(SIGUSR1);
    printf("  after raise: usr1=%d code=%d (SI_TKILL=%d)\n", got_usr1, last_code, SI_TKILL);
    kill(getpid(), SIGUSR2);
    printf("  after kill: usr2=%d code=%d (SI_USER=%d)\n", got_usr2, last_code, SI_USER);

    puts("[blocking]");
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    raise(SIGUSR1);   /* standard signals do not queue: delivered once */
    sigpending(&pending);
    printf("  blocked: usr1=%d pending=%d\n", got_usr1, sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("  unblocked: usr1=%d\n", got_usr1);

    puts("[dispositions]");
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("  ignored SIGUSR2: usr2=%d\n", got_usr2);
    install(SIGUSR2, on_usr, SA_RESETHAND);
    raise(SIGUSR2);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    printf("  SA_RESETHAND: usr2=%d, handler now default=%d\n", got_usr2, old.sa_handler == SIG_DFL);

    puts("[faults]");
    install(SIGSEGV, on_segv, 0);
    for (int i = 0; i < 3; i++) {
        if (sigsetjmp(recover, 1) == 0) {
            volatile int *volatile p = (volatile int *)(uintptr_t)(16 + i * 4096);
            *p = 42;
            puts("  not reached");
        } else {
            printf("  recovered from fault %d\n", i);
        }
    }

    install(SIGILL, on_step, 0);
    long a = 1000, b = 234, sum;
    __asm__ volatile("mv t3, %1\n"
                     ".4byte 0\n"          /* illegal; the handler skips it */
                     "add %0, t3, %2\n"
                     : "=r"(sum) : "r"(a), "r"(b) : "t3");
    printf("  after SIGILL: %ld\n", sum);

    install(SIGTRAP, on_step, 0);
    double x = 1.25, y;
    __asm__ volatile(".option push\n.option norvc\n"
                     "ebreak\n"            /* 4-byte ebreak; the handler skips it */
                     ".option pop\n"
                     "fadd.d %0, %1, %1\n"
                     : "=f"(y) : "f"(x));
    printf("  after SIGTRAP: %g\n", y);

    puts("[default action]");
    signal(SIGUSR1, SIG_DFL);
    fprintf(stderr, "signals: raising SIGUSR1 with the default action\n");
    raise(SIGUSR1);
    puts("not reached");
    return 0;
}
