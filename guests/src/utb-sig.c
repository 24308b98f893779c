/* utb-sig: sends itself one signal with kill(getpid(), SIG) after setting its
 * disposition, for the utrace signal tests.
 *   utb-sig SIG h   SA_SIGINFO handler: writes "handler <sig> <si_signo> <si_code>"
 *   utb-sig SIG i   SIG_IGN
 *   utb-sig SIG d   SIG_DFL
 * then writes "after <number of handler runs>" and exits 0.  SIGUSR2 always
 * gets the same handler too, so a rewritten signal can also find a handler. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs;

static void say(const char *s)
{
    write(1, s, strlen(s));
}

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    char line[80];
    (void)uc;
    runs++;
    snprintf(line, sizeof line, "handler %d %d %d\n", sig, si->si_signo, si->si_code);
    say(line);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        say("usage: utb-sig SIG h|i|d\n");
        return 2;
    }
    int sig = atoi(argv[1]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    if (argv[2][0] == 'h') {
        sigaction(sig, &sa, NULL);
    } else {
        signal(sig, argv[2][0] == 'i' ? SIG_IGN : SIG_DFL);
    }
    kill(getpid(), sig);
    char line[40];
    snprintf(line, sizeof line, "after %d\n", (int)runs);
    say(line);
    return 0;
}
