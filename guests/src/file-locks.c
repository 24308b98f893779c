/* file-locks: advisory locks within one process, on a scratch file
 * "tmp-file-locks.dat" in the working directory (removed at the end).
 * flock: separate opens of one file conflict (EWOULDBLOCK), a description's
 * own lock converts, LOCK_UN releases, closing the last descriptor releases,
 * dup'ed descriptors share, LOCK_MAND is ignored, bad operations are EINVAL.
 * Record locks: a process's own POSIX locks never conflict with each other;
 * OFD locks conflict with other descriptions' OFD locks and with POSIX locks
 * (F_GETLK shows type, range, and l_pid -1 for an OFD lock or the pid for a
 * POSIX one); unlocking part of a range splits it; l_whence SEEK_CUR/END and
 * negative lengths; closing any descriptor drops the process's POSIX locks;
 * lockf F_TLOCK/F_TEST; EBADF for a lock the access mode does not allow,
 * EINVAL for a bad type or a nonzero l_pid on an OFD call. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define FILE_NAME "tmp-file-locks.dat"

static void show(const char *what, int r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static int lk(int fd, int cmd, short type, short whence, long start, long len)
{
    struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };
    return fcntl(fd, cmd, &fl);
}

/* F_GETLK or F_OFD_GETLK for a lock of `type` on [start, start+len). */
static void probe(const char *what, int fd, int cmd, short type, long start, long len)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
    int r = fcntl(fd, cmd, &fl);
    if (r < 0) { show(what, r); return; }
    if (fl.l_type == F_UNLCK) { printf("%s: unlocked\n", what); return; }
    printf("%s: %s start=%ld len=%ld pid=%s\n", what, fl.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK",
           (long)fl.l_start, (long)fl.l_len,
           fl.l_pid == -1 ? "-1" : fl.l_pid == getpid() ? "self" : "other");
}

int main(void)
{
    int a = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (a < 0) { perror("open"); return 1; }
    if (write(a, "0123456789abcdefghij", 20) != 20) return 1;
    int b = open(FILE_NAME, O_RDWR);

    puts("-- flock");
    show("a LOCK_EX", flock(a, LOCK_EX));
    show("a LOCK_EX again", flock(a, LOCK_EX | LOCK_NB));
    show("b LOCK_EX|NB", flock(b, LOCK_EX | LOCK_NB));
    show("b LOCK_SH|NB", flock(b, LOCK_SH | LOCK_NB));
    int a2 = dup(a);
    show("dup of a LOCK_SH (converts a's)", flock(a2, LOCK_SH | LOCK_NB));
    show("b LOCK_SH|NB", flock(b, LOCK_SH | LOCK_NB));
    show("a LOCK_EX|NB", flock(a, LOCK_EX | LOCK_NB));
    show("a LOCK_SH|NB (a lost its lock)", flock(a, LOCK_SH | LOCK_NB));
    show("b LOCK_UN", flock(b, LOCK_UN));
    show("a LOCK_EX|NB", flock(a, LOCK_EX | LOCK_NB));
    show("LOCK_MAND", flock(b, 32 | LOCK_EX));
    show("bad op", flock(b, 0));
    show("LOCK_UN|LOCK_SH", flock(b, LOCK_UN | LOCK_SH));
    int c = open(FILE_NAME, O_RDONLY);
    show("c LOCK_SH|NB", flock(c, LOCK_SH | LOCK_NB));
    close(a);
    show("c LOCK_SH|NB after closing a (a2 keeps it)", flock(c, LOCK_SH | LOCK_NB));
    close(a2);
    show("c LOCK_EX|NB after closing a2", flock(c, LOCK_EX | LOCK_NB));
    show("c LOCK_UN", flock(c, LOCK_UN));
    close(c);

    puts("-- record locks");
    a = open(FILE_NAME, O_RDWR);
    show("posix WR 2..5", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 2, 3));
    show("posix RD 4.. via b (same process)", lk(b, F_SETLK, F_RDLCK, SEEK_SET, 4, 0));
    probe("GETLK WR 0..", b, F_GETLK, F_WRLCK, 0, 0);
    probe("OFD_GETLK WR 0.. from b", b, F_OFD_GETLK, F_WRLCK, 0, 0);
    probe("OFD_GETLK RD 0..3 from b", b, F_OFD_GETLK, F_RDLCK, 0, 3);
    probe("OFD_GETLK RD 5..6 from b", b, F_OFD_GETLK, F_RDLCK, 5, 1);
    probe("OFD_GETLK WR 5..6 from b", b, F_OFD_GETLK, F_WRLCK, 5, 1);
    show("OFD WR 0..2 on b", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 2));
    show("OFD WR 1..3 on b (meets posix)", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 1, 2));
    show("posix unlock 3..4", lk(a, F_SETLK, F_UNLCK, SEEK_SET, 3, 1));
    probe("OFD_GETLK WR 3..4 from b", b, F_OFD_GETLK, F_WRLCK, 3, 1);
    probe("OFD_GETLK WR 2..3 from b", b, F_OFD_GETLK, F_WRLCK, 2, 1);
    show("posix WR 0..1 (meets OFD)", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    probe("GETLK WR 0..1", a, F_GETLK, F_WRLCK, 0, 1);
    show("lockf F_TEST at 0", (lseek(a, 0, SEEK_SET), lockf(a, F_TEST, 1)));
    show("lockf F_TLOCK at 0", lockf(a, F_TLOCK, 1));
    show("lockf F_TLOCK at 10", (lseek(a, 10, SEEK_SET), lockf(a, F_TLOCK, 2)));
    int d = open(FILE_NAME, O_RDWR);
    show("OFD WR on d, SEEK_END -5, len -3", lk(d, F_OFD_SETLK, F_WRLCK, SEEK_END, -5, -3));
    probe("OFD_GETLK WR 10..20 from b", b, F_OFD_GETLK, F_WRLCK, 10, 10);
    lseek(d, 7, SEEK_SET);
    show("OFD unlock on d, SEEK_CUR 5 len 5", lk(d, F_OFD_SETLK, F_UNLCK, SEEK_CUR, 5, 5));
    probe("OFD_GETLK WR 10..20 from b", b, F_OFD_GETLK, F_WRLCK, 10, 10);
    close(d);
    probe("OFD_GETLK WR 10..20 from b (d closed)", b, F_OFD_GETLK, F_WRLCK, 10, 10);
    c = open(FILE_NAME, O_RDONLY);
    close(c);
    probe("OFD_GETLK WR 0.. from b (closing c dropped posix locks)", b, F_OFD_GETLK, F_WRLCK, 0, 0);
    show("posix WR 0..1 now (b's OFD lock)", lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    probe("GETLK WR 0.. from a", a, F_GETLK, F_WRLCK, 0, 0);

    puts("-- errors");
    c = open(FILE_NAME, O_RDONLY);
    int w = open(FILE_NAME, O_WRONLY);
    show("WR on read-only", lk(c, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
    show("RD on write-only", lk(w, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
    show("UNLCK on read-only", lk(c, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
    show("bad type", lk(a, F_SETLK, 7, SEEK_SET, 0, 1));
    show("bad whence", lk(a, F_SETLK, F_RDLCK, 9, 0, 1));
    show("negative start", lk(a, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
    show("range before 0", lk(a, F_SETLK, F_RDLCK, SEEK_SET, 2, -3));
    probe("GETLK F_UNLCK", a, F_GETLK, F_UNLCK, 0, 1);
    struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1 };
    show("OFD with l_pid", fcntl(a, F_OFD_SETLK, &fl));
    show("flock on O_PATH", flock(open(FILE_NAME, O_PATH), LOCK_SH));
    show("flock bad fd", flock(99, LOCK_SH));
    unlink(FILE_NAME);
    return 0;
}
