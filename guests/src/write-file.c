/* write-file: creates (or truncates) the file argv[1] and writes argv[2] and a
 * newline to it; on failure prints "write-file: NAME: <strerror>" on stderr and
 * exits 1. Used by the sandbox tests (read-only mounts, paths outside mounts). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: write-file FILE TEXT\n");
        return 2;
    }
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "write-file: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    size_t n = strlen(argv[2]);
    if (write(fd, argv[2], n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
        fprintf(stderr, "write-file: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    return close(fd) == 0 ? 0 : 1;
}
