// POSIX shared memory and named semaphores between two processes that each open them by name
// (shm_open and sem_open: files in /dev/shm, each process with a MAP_SHARED mapping of its own): a
// message stored through one mapping is seen through the other, and sem_post in one wakes sem_wait
// in the other (a process-shared futex in the file). The child prints only while the parent waits
// on a semaphore, so the output is the same in every interleaving.
#define _GNU_SOURCE
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHM "/rvtrace-shm-procs"
#define ASK "/rvtrace-shm-ask"
#define ANSWER "/rvtrace-shm-answer"

static char *map(int create) {
  int fd = shm_open(SHM, create ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0600);
  if (fd < 0) {
    perror("shm_open");
    return NULL;
  }
  if (create) ftruncate(fd, 4096);
  char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  return p == MAP_FAILED ? NULL : p;
}

int main(void) {
  shm_unlink(SHM);
  sem_unlink(ASK);
  sem_unlink(ANSWER);
  int go[2];
  pipe(go);
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    close(go[1]);
    read(go[0], &c, 1);  // the parent has made the objects
    char *p = map(0);
    sem_t *ask = sem_open(ASK, 0);
    sem_t *answer = sem_open(ANSWER, 0);
    if (!p || ask == SEM_FAILED || answer == SEM_FAILED) return 1;
    sem_wait(ask);
    printf("child sees: %s\n", p);
    fflush(stdout);
    strcpy(p + 2048, "a reply through the child's own mapping");
    sem_post(answer);
    return 0;
  }
  close(go[0]);
  char *p = map(1);
  sem_t *ask = sem_open(ASK, O_CREAT | O_EXCL, 0600, 0);
  sem_t *answer = sem_open(ANSWER, O_CREAT | O_EXCL, 0600, 0);
  if (!p || ask == SEM_FAILED || answer == SEM_FAILED) return 1;
  write(go[1], "g", 1);
  strcpy(p, "a message through the parent's mapping");
  sem_post(ask);
  sem_wait(answer);
  printf("parent sees: %s\n", p + 2048);
  int status;
  waitpid(pid, &status, 0);
  printf("child exited with %d\n", WEXITSTATUS(status));
  // The file holds what both stored once the mappings are gone.
  munmap(p, 4096);
  int fd = shm_open(SHM, O_RDONLY, 0);
  char buf[64] = {0};
  pread(fd, buf, 40, 2048);
  printf("the file holds: %s\n", buf);
  close(fd);
  printf("unlink: %d %d %d\n", shm_unlink(SHM), sem_unlink(ASK), sem_unlink(ANSWER));
  return 0;
}
