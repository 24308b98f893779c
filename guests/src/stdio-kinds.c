/* stdio-kinds: what the standard descriptors really are. For fds 0-2: the file type fstat gives
 * (a tty, a character device, a pipe, a socket, a regular file) and the /proc/self/fd link (with a
 * pipe's or socket's inode number left out, as it differs between runs). Then, when stdout is a
 * regular file, lseek on it: write, seek back to the start, overwrite the first byte, and report
 * SEEK_CUR and SEEK_END; on anything else, lseek's error (ESPIPE for a pipe or a tty). The report
 * goes to stderr, so that stdout holds only what was written through the seeks.
 * With the argument "seek-only", only the lseek part (for stdout redirected to a file). With
 * "query-then-write", only what glibc's stdio and perl do: ask the offset (lseek(1, 0, SEEK_CUR)),
 * then write; the shell's next write must land after it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    if (S_ISREG(m)) return "regular file";
    if (S_ISCHR(m)) return "character device";
    if (S_ISFIFO(m)) return "pipe";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISDIR(m)) return "directory";
    return "other";
}

static void describe(int fd)
{
    struct stat st;
    char path[64], link[4096];
    if (fstat(fd, &st) != 0) {
        fprintf(stderr, "fd %d: fstat: %s\n", fd, strerror(errno));
        return;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) {
        fprintf(stderr, "fd %d: %s, readlink: %s\n", fd, kind(st.st_mode), strerror(errno));
        return;
    }
    link[n] = 0;
    /* pipe:[123] and socket:[456]: the kind, without the number. */
    char *bracket = strchr(link, '[');
    if (bracket && (strncmp(link, "pipe:", 5) == 0 || strncmp(link, "socket:", 7) == 0)) strcpy(bracket, "[N]");
    fprintf(stderr, "fd %d: %s, %s, isatty %d\n", fd, kind(st.st_mode), link, isatty(fd));
}

int main(int argc, char **argv)
{
    const char text[] = "hello, world\n";
    if (argc >= 2 && strcmp(argv[1], "query-then-write") == 0) {
        fprintf(stderr, "lseek(1, 0, SEEK_CUR) = %lld\n", (long long)lseek(1, 0, SEEK_CUR));
        return write(1, text, sizeof text - 1) == (ssize_t)sizeof text - 1 ? 0 : 1;
    }
    if (argc < 2 || strcmp(argv[1], "seek-only") != 0)
        for (int fd = 0; fd < 3; fd++) describe(fd);
    if (write(1, text, sizeof text - 1) != (ssize_t)sizeof text - 1) return 1;
    off_t at = lseek(1, 0, SEEK_SET);
    if (at < 0) {
        fprintf(stderr, "lseek(1, 0, SEEK_SET): %s\n", strerror(errno));
        return 0;
    }
    fprintf(stderr, "lseek(1, 0, SEEK_SET) = %lld\n", (long long)at);
    if (write(1, "J", 1) != 1) return 1;
    fprintf(stderr, "lseek(1, 0, SEEK_CUR) = %lld\n", (long long)lseek(1, 0, SEEK_CUR));
    fprintf(stderr, "lseek(1, 0, SEEK_END) = %lld\n", (long long)lseek(1, 0, SEEK_END));
    at = lseek(1, 100, SEEK_DATA);
    fprintf(stderr, "lseek(1, 100, SEEK_DATA) = %lld (%s)\n", (long long)at, at < 0 ? strerror(errno) : "ok");
    if (write(1, "!\n", 2) != 2) return 1;
    return 0;
}
