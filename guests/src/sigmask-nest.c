/* sigmask-nest: the signal mask while a handler runs, and after it returns.  Each scenario
 * records what happens, in order, in a log (handlers only append to it), then prints it:
 *  - a signal raised inside a handler whose sa_mask blocks it waits until the handler returns;
 *  - a handler raising its own signal: deferred without SA_NODEFER, nested with it (and still
 *    deferred when SA_NODEFER is set but sa_mask names the signal itself);
 *  - sigprocmask inside a handler: unblocking a pending signal delivers it there and then, and a
 *    mask the handler sets is undone by sigreturn;
 *  - the mask a handler runs with is the interrupted code's mask | sa_mask | the signal, and the
 *    interrupted code's mask comes back after sigreturn (also after nested handlers). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char log_buf[4096];
static volatile size_t log_len;

/* Appends a string to the log (async-signal-safe: no stdio). */
static void note(const char *s) {
  size_t n = strlen(s);
  if (log_len + n + 1 < sizeof log_buf) {
    memcpy(log_buf + log_len, s, n);
    log_buf[log_len + n] = ' ';
    log_len += n + 1;
  }
}

static const int watched[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGWINCH, SIGTERM };
static const char *const watched_names[] = { "USR1", "USR2", "HUP", "WINCH", "TERM" };

/* Notes the watched signals blocked right now, as "mask{USR1,HUP}". */
static void note_mask(void) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  char buf[64] = "mask{";
  int first = 1;
  for (int k = 0; k < 5; k++) {
    if (sigismember(&cur, watched[k])) {
      if (!first) strcat(buf, ",");
      strcat(buf, watched_names[k]);
      first = 0;
    }
  }
  strcat(buf, "}");
  note(buf);
}

/* Installs a handler with rt_sigaction directly.  Linux's riscv64 struct sigaction is
 * { handler, flags, mask } (no sa_restorer), but qemu-riscv64 7.2 reads the mask one word further
 * on, as if there were an sa_restorer before it, so glibc's sigaction() loses sa_mask under qemu.
 * The mask goes in both words: Linux (and rvtrace) read the first and never look at the second
 * (sigsetsize is 8); qemu takes the first as an sa_restorer it does not use without SA_RESTORER. */
static void install(int sig, void (*fn)(int), int flags, const int *masked) {
  unsigned long mask = 0;
  for (; masked && *masked; masked++) mask |= 1ul << (*masked - 1);
  unsigned long act[4] = { (unsigned long)fn, (unsigned long)flags, mask, mask };
  if (syscall(SYS_rt_sigaction, sig, act, NULL, 8) != 0) perror("rt_sigaction");
}

static void set_mask(const int *blocked) {
  sigset_t s;
  sigemptyset(&s);
  for (; blocked && *blocked; blocked++) sigaddset(&s, *blocked);
  sigprocmask(SIG_SETMASK, &s, NULL);
}

static void start(const char *title) {
  log_len = 0;
  printf("%s\n  ", title);
}

static void finish(void) {
  note("| back in main:");
  note_mask();
  fwrite(log_buf, 1, log_len, stdout);
  printf("\n");
}

/* ---- handlers ---- */

static volatile int depth, raises_left;

/* USR1: raises USR2 (blocked by this handler's sa_mask in scenario 1). */
static void usr1_raises_usr2(int sig) {
  (void)sig;
  note("usr1{");
  note_mask();
  raise(SIGUSR2);
  note("usr1:raised-usr2");
  note("}usr1");
}

static void usr2_plain(int sig) {
  (void)sig;
  note("usr2{");
  note_mask();
  note("}usr2");
}

/* USR1: raises itself while raises_left > 0, noting its depth. */
static void usr1_reenter(int sig) {
  char buf[32];
  int d = ++depth;
  snprintf(buf, sizeof buf, "usr1#%d{", d);
  note(buf);
  note_mask();
  if (raises_left > 0) {
    raises_left--;
    raise(sig);
    note("raised");
  }
  snprintf(buf, sizeof buf, "}usr1#%d", d);
  note(buf);
}

/* USR1: raises USR2 (pending: blocked by sa_mask), then unblocks it with sigprocmask, then blocks
 * TERM; sigreturn must undo both changes. */
static void usr1_unblocks(int sig) {
  (void)sig;
  note("usr1{");
  note_mask();
  raise(SIGUSR2);
  note("raised-usr2");
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  note("unblocked-usr2");
  sigemptyset(&s);
  sigaddset(&s, SIGTERM);
  sigprocmask(SIG_BLOCK, &s, NULL);
  note_mask();
  note("}usr1");
}

/* HUP: raises USR1 (which, in scenario 7, has its own handler nesting inside this one). */
static void hup_raises_usr1(int sig) {
  (void)sig;
  note("hup{");
  note_mask();
  raise(SIGUSR1);
  note("}hup");
}

static void usr1_notes(int sig) {
  (void)sig;
  note("usr1{");
  note_mask();
  note("}usr1");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  static const int only_usr2[] = { SIGUSR2, 0 };
  static const int only_usr1[] = { SIGUSR1, 0 };
  static const int winch[] = { SIGWINCH, 0 };
  static const int hup_term[] = { SIGHUP, SIGTERM, 0 };

  start("1. sa_mask blocks USR2 in the USR1 handler: USR2 raised there runs after it returns");
  install(SIGUSR1, usr1_raises_usr2, 0, only_usr2);
  install(SIGUSR2, usr2_plain, 0, NULL);
  raise(SIGUSR1);
  finish();

  start("2. the same without sa_mask: USR2 runs inside the USR1 handler, at the raise");
  install(SIGUSR1, usr1_raises_usr2, 0, NULL);
  raise(SIGUSR1);
  finish();

  start("3. USR1 handler raises USR1, no SA_NODEFER: deferred until it returns");
  install(SIGUSR1, usr1_reenter, 0, NULL);
  depth = 0;
  raises_left = 1;
  raise(SIGUSR1);
  finish();

  start("4. the same with SA_NODEFER: nested, twice");
  install(SIGUSR1, usr1_reenter, SA_NODEFER, NULL);
  depth = 0;
  raises_left = 2;
  raise(SIGUSR1);
  finish();

  start("5. SA_NODEFER, but sa_mask names USR1: deferred");
  install(SIGUSR1, usr1_reenter, SA_NODEFER, only_usr1);
  depth = 0;
  raises_left = 1;
  raise(SIGUSR1);
  finish();

  start("6. sigprocmask in the handler: unblocking delivers USR2 there; sigreturn undoes the mask");
  install(SIGUSR1, usr1_unblocks, 0, only_usr2);
  install(SIGUSR2, usr2_plain, 0, NULL);
  raise(SIGUSR1);
  finish();

  start("7. main blocks WINCH; HUP (sa_mask HUP,TERM) nests USR1: masks add up, and come back");
  set_mask(winch);
  install(SIGHUP, hup_raises_usr1, 0, hup_term);
  install(SIGUSR1, usr1_notes, 0, NULL);
  note_mask();
  raise(SIGHUP);
  finish();

  start("8. a signal blocked in main stays pending through a handler and comes when main unblocks it");
  set_mask(only_usr2);
  install(SIGUSR1, usr1_raises_usr2, 0, NULL);
  raise(SIGUSR1);
  note("main:unblocking");
  set_mask(NULL);
  finish();
  return 0;
}
