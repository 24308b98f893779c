/* rr-inputs: a program whose output is different on every run, because it prints what it receives
 * from outside: clocks (clock_gettime, gettimeofday, time), random bytes (getrandom, /dev/urandom,
 * AT_RANDOM), uname, the metadata and contents of a host file (stat, read, and a private mmap of
 * it), a directory listing in the order the host gives it, stdin, how long a short sleep took, and
 * a file it writes and reads back. Its exit status is a random number too. `rvtrace record` then
 * `rvtrace replay` must give exactly the same output (test/cli/replay.test.ts); no golden file.
 *   rr-inputs FILE DIR OUTFILE < input */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>

static void hex(const char *what, const unsigned char *b, size_t n)
{
    printf("%s:", what);
    for (size_t i = 0; i < n; i++) printf(" %02x", b[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: rr-inputs FILE DIR OUTFILE\n");
        return 2;
    }
    struct timespec rt, mono, cpu;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("realtime %lld.%09ld monotonic %lld.%09ld cputime %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec,
           (long long)mono.tv_sec, mono.tv_nsec, (long long)cpu.tv_sec, cpu.tv_nsec);
    printf("gettimeofday %lld.%06ld time %lld\n", (long long)tv.tv_sec, (long)tv.tv_usec, (long long)time(NULL));

    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) == sizeof r) hex("getrandom", r, sizeof r);
    int u = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (u >= 0 && read(u, r, sizeof r) == sizeof r) hex("urandom", r, sizeof r);
    close(u);
    hex("AT_RANDOM", (const unsigned char *)getauxval(AT_RANDOM), 16);

    struct utsname un;
    uname(&un);
    printf("uname %s %s %s\n", un.sysname, un.release, un.machine);

    struct stat st;
    if (stat(argv[1], &st) == 0)
        printf("%s: %lld bytes, inode %llu, mtime %lld\n", argv[1], (long long)st.st_size,
               (unsigned long long)st.st_ino, (long long)st.st_mtime);
    int fd = open(argv[1], O_RDONLY);
    char buf[4096];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (n >= 0) {
        buf[n] = 0;
        printf("read %zd bytes, first line: %.*s\n", n, (int)strcspn(buf, "\n"), buf);
    }
    if (fd >= 0 && st.st_size > 0) {
        const char *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            printf("mapped, last byte %02x, same as read: %d\n", (unsigned char)m[st.st_size - 1],
                   n > 0 && memcmp(m, buf, n < st.st_size ? n : st.st_size) == 0);
            munmap((void *)m, st.st_size);
        }
    }
    close(fd);

    DIR *d = opendir(argv[2]);
    if (d) {
        struct dirent *e;
        printf("listing %s:", argv[2]);
        while ((e = readdir(d))) printf(" %s", e->d_name);
        printf("\n");
        closedir(d);
    }

    size_t total = 0;
    char first[80] = "";
    while ((n = read(0, buf, sizeof buf)) > 0) {
        if (total == 0) snprintf(first, sizeof first, "%.*s", (int)strcspn(buf, "\n") < (int)n ? (int)strcspn(buf, "\n") : (int)n, buf);
        total += n;
    }
    printf("stdin: %zu bytes, first line: %s\n", total, first);

    struct timespec a, b, nap = { 0, 2000000 };
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("a 2 ms sleep took %lld ns\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));

    FILE *out = fopen(argv[3], "w");
    if (out) {
        fprintf(out, "written at %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec);
        fclose(out);
        out = fopen(argv[3], "r");
        if (out && fgets(buf, sizeof buf, out)) printf("read back: %s", buf);
        if (out) fclose(out);
    }
    fprintf(stderr, "to stderr: random byte %u\n", r[0]);
    fflush(stdout);
    return r[1] % 50;
}
