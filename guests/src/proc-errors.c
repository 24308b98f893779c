/* proc-errors: the process syscalls given bad arguments fail as Linux's do and change nothing:
 * clone's invalid flag combinations, clone3's size and reserved fields, wait4 and waitid's options
 * and id types, execve of a missing, a non-executable, a directory, a too long and a NULL path,
 * NULL and bad argv pointers, execveat of a symlink with AT_SYMLINK_NOFOLLOW, kill and setpgid of processes that do not exist. Goldens from a host
 * build (qemu-user's clone differs). Prints errno names only. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, long r)
{
    printf("%-52s %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

#define R(what, call) report(what, (long)(call))

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    R("clone(CLONE_THREAD without CLONE_SIGHAND)", syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0));
    R("clone(CLONE_SIGHAND without CLONE_VM)", syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0));
    R("clone(CLONE_NEWNS|CLONE_FS)", syscall(SYS_clone, CLONE_NEWNS | CLONE_FS, 0, 0, 0, 0));
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    R("clone3(size 32)", syscall(SYS_clone3, &ca, 32));
    R("clone3(bad pointer)", syscall(SYS_clone3, (void *)8, sizeof ca));
    ca.exit_signal = 65;
    R("clone3(exit_signal 65)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.exit_signal = SIGCHLD;
    ca.stack_size = 4096;
    R("clone3(stack_size without stack)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.stack_size = 0;
    ca.flags = 1ULL << 40;
    R("clone3(unknown flag bit 40)", syscall(SYS_clone3, &ca, sizeof ca));
    char big[128];
    memset(big, 0, sizeof big);
    memcpy(big, &ca, sizeof ca);
    ((struct clone_args *)big)->flags = 0;
    big[120] = 1;
    R("clone3(nonzero byte past the struct)", syscall(SYS_clone3, big, sizeof big));

    int st;
    R("wait4(-1, WNOHANG) with no children", syscall(SYS_wait4, -1, &st, WNOHANG, 0));
    R("wait4(-1, bad option 0x100)", syscall(SYS_wait4, -1, &st, 0x100, 0));
    R("wait4(INT_MIN)", syscall(SYS_wait4, -2147483647 - 1, &st, 0, 0));
    siginfo_t si;
    R("waitid(P_ALL, options 0)", syscall(SYS_waitid, P_ALL, 0, &si, 0, 0));
    R("waitid(idtype 9)", syscall(SYS_waitid, 9, 0, &si, WEXITED, 0));
    R("waitid(P_PID 0)", syscall(SYS_waitid, P_PID, 0, &si, WEXITED, 0));
    R("waitid(P_ALL, WEXITED) with no children", syscall(SYS_waitid, P_ALL, 0, &si, WEXITED, 0));

    char *args[] = { "x", NULL };
    R("execve(missing)", execve("data/no-such-program", args, NULL));
    R("execve(not executable)", execve("data/poem.txt", args, NULL));
    R("execve(a directory)", execve("data", args, NULL));
    R("execve(NULL path)", syscall(SYS_execve, NULL, args, NULL));
    R("execve(empty path)", execve("", args, NULL));
    R("execve(bad argv pointer)", syscall(SYS_execve, "/proc/self/exe", (void *)8, NULL));
    char *bad[] = { "x", (char *)8, NULL };
    R("execve(bad string in argv)", syscall(SYS_execve, "/proc/self/exe", bad, NULL));
    R("execveat(bad flags)", syscall(SYS_execveat, -100, "/proc/self/exe", args, NULL, 0x4));
    symlink("proc-errors", "tmp-proc-errors-link");
    R("execveat(a symlink, AT_SYMLINK_NOFOLLOW)", syscall(SYS_execveat, -100, "tmp-proc-errors-link", args, NULL, 0x100));
    unlink("tmp-proc-errors-link");

    R("kill(pid that does not exist, 0)", kill(0x3fffffff, 0));
    R("kill(group that does not exist, SIGTERM)", kill(-0x3fffffff, SIGTERM));
    R("kill(self, signal 65)", kill(getpid(), 65));
    R("setpgid(pid that does not exist, 0)", setpgid(0x3fffffff, 0));
    R("setpgid(0, -1)", setpgid(0, -1));
    R("getpgid(pid that does not exist)", getpgid(0x3fffffff));
    R("getsid(pid that does not exist)", getsid(0x3fffffff));
    R("tgkill(self, tid that does not exist, 0)", syscall(SYS_tgkill, getpid(), 0x3fffffff, 0));
    R("tgkill(self, 0, 0)", syscall(SYS_tgkill, getpid(), 0, 0));
    return 0;
}
