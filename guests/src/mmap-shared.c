/* mmap-shared: MAP_SHARED file mappings write what the program changes back to the file: at
 * msync, at munmap, and (with "leave FILE", used by test/kernel/mmap-shared.test.ts) at exit
 * without munmap. Bytes written to the file through the descriptor meanwhile are not overwritten,
 * a mapping that reaches past the end of the file does not grow it, a private mapping never
 * writes, and PROT_WRITE on a read-only descriptor is EACCES. In a scratch file "tmp-mmap". */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

static void show(int fd, off_t at, int len)
{
    char buf[64] = "";
    pread(fd, buf, len, at);
    printf("  file at %ld: \"%.*s\"\n", (long)at, len, buf);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && !strcmp(argv[1], "leave")) {
        int fd = open(argv[2], O_RDWR);
        char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) return 1;
        memcpy(m, "changed", 7);
        printf("left a change in the mapping\n");
        return 0;
    }
    int fd = open("tmp-mmap", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char line[10000];
    memset(line, '.', sizeof line);
    write(fd, line, sizeof line);

    char *m = mmap(NULL, 10000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(m, "first", 5);
    memcpy(m + 5000, "middle", 6);
    printf("msync: %d\n", msync(m, 10000, MS_SYNC));
    show(fd, 0, 8);
    show(fd, 5000, 8);
    memcpy(m + 9990, "last", 4);
    pwrite(fd, "by-fd", 5, 100);
    printf("munmap: %d\n", munmap(m, 10000));
    show(fd, 9988, 8);
    show(fd, 98, 8);

    m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
    memcpy(m, "page", 4);
    memcpy(m + 5000, "beyond", 6);
    munmap(m + 4096, 4096);
    printf("half unmapped\n");
    show(fd, 9096, 6);
    memcpy(m + 4, "-one", 4);
    munmap(m, 4096);
    show(fd, 4096, 8);
    struct stat st;
    fstat(fd, &st);
    printf("size %ld\n", (long)st.st_size);

    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(m, "private", 7);
    msync(m, 4096, MS_SYNC);
    munmap(m, 4096);
    printf("private mapping:\n");
    show(fd, 0, 8);

    int ro = open("tmp-mmap", O_RDONLY);
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("shared writable mapping of a read-only fd: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
    printf("shared read-only mapping: %s, first byte %c\n", m == MAP_FAILED ? strerror(errno) : "mapped", m[0]);
    printf("msync of unmapped memory: %d %s\n", msync(m + 4096 * 16, 4096, MS_SYNC), strerror(errno));
    printf("msync with both MS_SYNC and MS_ASYNC: %d %s\n", msync(m, 4096, MS_SYNC | MS_ASYNC), strerror(errno));
    close(ro);
    close(fd);
    unlink("tmp-mmap");
    return 0;
}
