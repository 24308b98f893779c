/* rr-signal: signals from the host, at moments the host decides. It counts in a loop until a
 * SIGINT comes and prints how far it got, then waits in pause() for a SIGTERM. The test sends them
 * (through rvtrace, which passes its own signals to the guest) when it reads "ready" and then
 * "waiting"; the count is different on every run, and `rvtrace replay` must deliver the recorded
 * SIGINT at the same instruction (test/cli/replay.test.ts); no golden file. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_signal(int sig) { got = sig; }

int main(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    printf("ready\n");
    fflush(stdout);
    unsigned long rounds = 0;
    while (!got) rounds++;
    printf("signal %d after %lu rounds\n", got, rounds);
    got = 0;
    printf("waiting\n");
    fflush(stdout);
    while (!got) pause();
    printf("signal %d in pause\n", got);
    return 0;
}
