/* sigmask-pending-order: the order in which signals that were pending together are delivered.
 * With every signal blocked, the program raises several in a scrambled order (two real-time
 * signals twice each), then unblocks them all with one sigprocmask.  Linux dequeues the lowest
 * signal number first (get_signal -> next_signal), and a real-time signal's copies in the order
 * they were sent.
 *  - When each handler blocks every other signal (sa_mask full), one handler runs at a time, in
 *    dequeue order: HUP USR1 USR2 TERM RT RT RT+1 RT+1.
 *  - When a handler blocks only its own signal, Linux sets up one frame per deliverable signal
 *    before returning to user mode, each on top of the last, so the handlers run in the reverse
 *    order of dequeuing; a real-time signal's second copy waits until its first handler returns. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char order[64];
static volatile int count;

static void record(int sig) {
  char c = sig == SIGHUP ? 'H' : sig == SIGUSR1 ? '1' : sig == SIGUSR2 ? '2' : sig == SIGTERM ? 'T'
         : sig == SIGRTMIN ? 'R' : sig == SIGRTMIN + 1 ? 'S' : '?';
  if (count < (int)sizeof order - 1) order[count++] = c;
}

/* rt_sigaction with the mask in both the word Linux reads and the one qemu-riscv64 7.2 reads
 * (see sigmask-nest.c). */
static void install(int sig, unsigned long mask) {
  unsigned long act[4] = { (unsigned long)record, 0, mask, mask };
  if (syscall(SYS_rt_sigaction, sig, act, NULL, 8) != 0) perror("rt_sigaction");
}

static void run(const char *title, unsigned long handler_mask) {
  const int sigs[] = { SIGHUP, SIGUSR1, SIGUSR2, SIGTERM, SIGRTMIN, SIGRTMIN + 1 };
  for (int k = 0; k < 6; k++) install(sigs[k], handler_mask);
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  /* Raised out of order; standard signals are pending once however often they are raised. */
  raise(SIGTERM);
  raise(SIGRTMIN + 1);
  raise(SIGUSR2);
  raise(SIGRTMIN);
  raise(SIGUSR1);
  raise(SIGTERM);
  raise(SIGRTMIN + 1);
  raise(SIGHUP);
  raise(SIGRTMIN);
  count = 0;
  sigprocmask(SIG_SETMASK, &old, NULL);
  order[count] = 0;
  printf("%s: %s\n", title, order);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("legend: H=SIGHUP 1=SIGUSR1 2=SIGUSR2 T=SIGTERM R=SIGRTMIN S=SIGRTMIN+1\n");
  run("handlers block everything (dequeue order)", ~0ul);
  run("handlers block only their own signal (frames stacked)", 0);
  return 0;
}
