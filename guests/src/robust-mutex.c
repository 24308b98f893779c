/* robust-mutex: robust mutexes, which need the kernel to walk the robust list registered with
 * set_robust_list when a thread or process ends. A process-shared robust mutex in a
 * MAP_SHARED page is locked by a child that exits holding it: the parent's lock returns
 * EOWNERDEAD, pthread_mutex_consistent repairs it and it locks normally again. A thread that
 * returns while holding a (private) robust mutex leaves EOWNERDEAD for the next locker; a mutex
 * unlocked without pthread_mutex_consistent becomes ENOTRECOVERABLE. A child killed by SIGKILL
 * while holding one is handled the same way as one that exits. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "fork-or-die.h"

static const char *name(int r) { return r ? strerrorname_np(r) : "0"; }

static void init_robust(pthread_mutex_t *m, int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pshared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

static void owner_process_dies(pthread_mutex_t *m, int killed)
{
    init_robust(m, 1);
    int locked[2];
    pipe(locked);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        pthread_mutex_lock(m);
        write(locked[1], "l", 1);
        if (killed) pause(); /* the parent kills it here */
        _exit(0);
    }
    char c;
    read(locked[0], &c, 1);
    if (killed) kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    int r = pthread_mutex_lock(m);
    printf("owner process %s holding the lock: lock says %s\n", killed ? "killed" : "exited", name(r));
    if (r == EOWNERDEAD) {
        int c = pthread_mutex_consistent(m);
        int u1 = pthread_mutex_unlock(m);
        int l = pthread_mutex_lock(m);
        int u2 = pthread_mutex_unlock(m);
        printf("  consistent %s, unlock %s, lock again %s, unlock %s\n", name(c), name(u1), name(l), name(u2));
    }
    close(locked[0]);
    close(locked[1]);
}

static pthread_mutex_t thread_lock;

static void *lock_and_return(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&thread_lock);
    return NULL;
}

static void owner_thread_dies(void)
{
    init_robust(&thread_lock, 0);
    pthread_t t;
    pthread_create(&t, NULL, lock_and_return, NULL);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&thread_lock);
    printf("owner thread returned holding the lock: lock says %s\n", name(r));
    /* unlock without marking it consistent: nobody can use it any more */
    pthread_mutex_unlock(&thread_lock);
    r = pthread_mutex_lock(&thread_lock);
    printf("  unlocked without pthread_mutex_consistent, lock says %s\n", name(r));
    r = pthread_mutex_trylock(&thread_lock);
    printf("  trylock says %s\n", name(r));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    owner_process_dies(m, 0);
    owner_process_dies(m, 1);
    owner_thread_dies();
    return 0;
}
