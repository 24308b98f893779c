/* Process and thread scenarios for the utrace end-to-end tests (test/utrace/processes.test.ts);
 * argv[1] picks one. Output never shows a pid, so it is the same on every run:
 *   fork        fork; parent and child each print what getuid() returned (an engine may rewrite
 *               the child's), the parent reaps the child and prints its exit code
 *   exec        re-exec of /proc/self/exe with argv {"utp-procs", "show", "original"}
 *   show        print argv[1..] and exit
 *   threads     16 threads call getppid() 50 times each; prints the number of calls made
 *   stop        the child stops itself with SIGSTOP; the parent sees the stop, continues it, reaps it
 *   vfork       vfork; the child _exits with 9; the parent prints the status
 *   group-exit  a second thread calls exit(3) while the first waits in pause()
 *   sigpipe     a child writes to a pipe nobody reads; the parent reports how it ended
 *   fork-limit  forks up to 10 children that exit at once (zombies until reaped) until fork fails;
 *               prints how many it made and the error, then reaps them
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <unistd.h>

static void *caller(void *arg) {
  for (int i = 0; i < 50; i++) syscall(SYS_getppid);
  return arg;
}

static void *exiter(void *arg) {
  (void)arg;
  exit(3);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  int status;
  if (strcmp(mode, "fork") == 0) {
    fflush(stdout);
    pid_t pid = fork();
    long uid = syscall(SYS_getuid);
    if (pid == 0) {
      printf("child: getuid %s\n", uid == 4242 ? "rewritten" : "real");
      return 7;
    }
    printf("parent: getuid %s\n", uid == 4242 ? "rewritten" : "real");
    waitpid(pid, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
  } else if (strcmp(mode, "exec") == 0) {
    char *args[] = {"utp-procs", "show", "original", NULL};
    execv("/proc/self/exe", args);
    perror("execv");
    return 1;
  } else if (strcmp(mode, "show") == 0) {
    for (int i = 1; i < argc; i++) printf("argv[%d] = %s\n", i, argv[i]);
  } else if (strcmp(mode, "threads") == 0) {
    pthread_t t[16];
    for (int i = 0; i < 16; i++) pthread_create(&t[i], NULL, caller, NULL);
    for (int i = 0; i < 16; i++) pthread_join(t[i], NULL);
    printf("threads: %d calls\n", 16 * 50);
  } else if (strcmp(mode, "stop") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      raise(SIGSTOP);
      _exit(5);
    }
    waitpid(pid, &status, WUNTRACED);
    printf("stopped: %d by %s\n", WIFSTOPPED(status), strsignal(WSTOPSIG(status)));
    kill(pid, SIGCONT);
    waitpid(pid, &status, 0);
    printf("exited: %d\n", WEXITSTATUS(status));
  } else if (strcmp(mode, "vfork") == 0) {
    pid_t pid = vfork();
    if (pid == 0) _exit(9);
    waitpid(pid, &status, 0);
    printf("vfork child exited %d\n", WEXITSTATUS(status));
  } else if (strcmp(mode, "sigpipe") == 0) {
    int fds[2];
    pipe(fds);
    close(fds[0]);
    pid_t pid = fork();
    if (pid == 0) {
      write(fds[1], "x", 1);
      _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("child %s by %s\n", WIFSIGNALED(status) ? "killed" : "not killed", strsignal(WTERMSIG(status)));
  } else if (strcmp(mode, "fork-limit") == 0) {
    int made = 0;
    const char *error = "none";
    for (; made < 10; made++) {
      pid_t pid = fork();
      if (pid == 0) _exit(0);
      if (pid < 0) {
        error = strerror(errno);
        break;
      }
    }
    while (wait(NULL) > 0) continue;
    printf("forked %d, then %s\n", made, error);
  } else if (strcmp(mode, "group-exit") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, exiter, NULL);
    pause();
  }
  return 0;
}
