// A guest for the gdb stub's tests (test/engines/gdb*.test.ts): built with -g -O0 so that gdb
// finds main, its locals and line numbers. The exit status and the lines printed show what gdb
// changed. With an argument it exercises one more part of the stub:
//   spin     loops until a debugger interrupts it and sets `spinning` to 0
//   signal   raises SIGUSR1 (handled: the handler prints it), for stop replies and passing signals
//   read     blocks reading stdin (a debugger's Ctrl-C must stop it there; the read goes on after)
//   sleep    sleeps for ten minutes in nanosleep (a debugger attaching must stop it there, and the
//            sleep must go on after, not end early with EINTR)
//   fork     a forked child and a vfork child (posix_spawn of `gdb-demo child`) run code that has
//            breakpoints in the parent: they must run through them untraced
//   spin-threads  two threads and main spin until a debugger sets `spinning` to 0 (an attach must
//            stop all three)
//   threads  two threads meet at `worker_ready`, so a breakpoint there sees three threads
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile int spinning = 1;
volatile int ready_count = 0;
volatile long worker_turns[2];

static int twice_plus_one(int x) {
  int doubled = x * 2;
  return doubled + 1;
}

static void on_usr1(int sig) {
  printf("handler got %d\n", sig);
}

void worker_ready(int id) {
  __atomic_add_fetch(&ready_count, 1, __ATOMIC_SEQ_CST);
  printf("worker %d ready\n", id);
}

static void *worker(void *arg) {
  worker_ready((int)(long)arg);
  return NULL;
}

static int run_threads(void) {
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  printf("workers done: %d\n", ready_count);
  return 0;
}

static void *spin_worker(void *arg) {
  long id = (long)arg;
  __atomic_add_fetch(&ready_count, 1, __ATOMIC_SEQ_CST);
  while (spinning) worker_turns[id]++;
  return NULL;
}

static int run_spin_threads(void) {
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, spin_worker, (void *)i);
  while (ready_count < 2) {
  }
  printf("spinning threads\n");
  fflush(stdout);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  printf("workers stopped\n");
  return 0;
}

extern char **environ;

static int run_children(char *self) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("fork child: %d\n", twice_plus_one(1));
    return 0;
  }
  int status;
  waitpid(pid, &status, 0);
  char *args[] = {self, "child", NULL};
  if (posix_spawn(&pid, self, NULL, NULL, args, environ) != 0) return 4;
  waitpid(pid, &status, 0);
  printf("parent: %d\n", twice_plus_one(2));
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "fork") == 0) return run_children(argv[0]);
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    printf("spawned child: %d\n", twice_plus_one(3));
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "spin") == 0) {
    long turns = 0;
    printf("spinning\n");
    fflush(stdout);
    while (spinning) turns++;
    printf("stopped spinning\n");
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "signal") == 0) {
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("after raise\n");
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "threads") == 0) return run_threads();
  if (argc > 1 && strcmp(argv[1], "spin-threads") == 0) return run_spin_threads();
  if (argc > 1 && strcmp(argv[1], "read") == 0) {
    char buf[64];
    printf("reading\n");
    fflush(stdout);
    ssize_t n = read(0, buf, sizeof buf);
    printf("read %zd\n", n);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "sleep") == 0) {
    printf("sleeping\n");
    fflush(stdout);
    unsigned left = sleep(600);
    printf("slept, %u s left\n", left);
    return 0;
  }
  int counter = 20;
  float ratio = 2.5f;
  counter = twice_plus_one(counter);
  ratio = ratio * 3.0f;
  printf("counter=%d ratio=%.2f\n", counter, ratio);
  return counter & 0x7f;
}
