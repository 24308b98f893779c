/* setjmp: non-local jumps.  longjmp out of nested calls with values
 * (including 0, which setjmp reports as 1), locals kept in volatile
 * variables, callee-saved registers (integer and floating point) restored,
 * repeated jumps to the same buffer, and sigsetjmp/siglongjmp with a
 * signal mask that must be restored. */
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>

static jmp_buf env;
static int depth_reached;

/* dive never returns: it always ends in longjmp */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void dive(int depth, int target, int value)
{
    depth_reached = depth;
    if (depth == target)
        longjmp(env, value);
    dive(depth + 1, target, value);
    puts("not reached");
}

/* keep values live in callee-saved registers across the jump */
static double fp_work(double x)
{
    double a = x * 1.5, b = x + 2.25, c = x / 3.0;
    if (setjmp(env) == 0) {
        dive(0, 3, 9);
    }
    return a + b + c;
}

int main(void)
{
    static const int values[] = { 1, 7, -3, 0, 12345 };
    for (int i = 0; i < 5; i++) {
        volatile int counter = 100 + i;
        int r = setjmp(env);
        if (r == 0) {
            counter += 1000;
            dive(0, i + 2, values[i]);
        } else {
            printf("longjmp(%d) -> setjmp returned %d, depth %d, counter %d\n",
                   values[i], r, depth_reached, counter);
        }
    }

    /* jump back into the same setjmp several times */
    volatile int loops = 0;
    int r = setjmp(env);
    loops++;
    if (r < 5)
        longjmp(env, r + 1);
    printf("looped %d times, final value %d\n", loops, r);

    printf("fp registers survive: %g\n", fp_work(6.0));

    /* sigsetjmp with savemask: the blocked set must be restored */
    sigjmp_buf senv;
    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (sigsetjmp(senv, 1) == 0) {
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        sigaddset(&set, SIGUSR2);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigprocmask(SIG_BLOCK, NULL, &cur);
        printf("before siglongjmp: USR1 %d USR2 %d\n", sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));
        siglongjmp(senv, 1);
    }
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("after siglongjmp: USR1 %d USR2 %d\n", sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));
    return 0;
}
