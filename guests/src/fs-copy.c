/* fs-copy: moving data between descriptors in the kernel and owning files. sendfile with and
 * without an offset pointer (which leaves the input's position alone), to a file and to stdout;
 * copy_file_range with and without offsets; their errors (EINVAL, EBADF, ESPIPE); fchown,
 * chown, lchown and fchownat to the owner the files already have (allowed to anyone); sync,
 * syncfs, posix_fadvise and fallocate. In a scratch directory "tmp-fs-copy", removed at the end. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

static void result(const char *what, long r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int same(const char *a, const char *b, off_t from, size_t len)
{
    static char x[20000], y[20000];
    int fa = open(a, O_RDONLY), fb = open(b, O_RDONLY);
    ssize_t na = pread(fa, x, len, from), nb = read(fb, y, sizeof y);
    close(fa);
    close(fb);
    return na == nb && memcmp(x, y, na) == 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("tmp-fs-copy", 0755);
    chdir("tmp-fs-copy");
    char data[10000];
    for (int i = 0; i < (int)sizeof data; i++) data[i] = 'a' + i * 7 % 26;
    int in = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(in, data, sizeof data);
    lseek(in, 0, SEEK_SET);

    int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long total = 0, n;
    while ((n = sendfile(out, in, NULL, 4096)) > 0) total += n;
    printf("sendfile copied %ld bytes, same %d, input now at %ld\n", total, same("src", "dst", 0, sizeof data),
           (long)lseek(in, 0, SEEK_CUR));
    off_t off = 5000;
    close(out);
    out = open("part", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    result("sendfile at offset 5000", sendfile(out, in, &off, 100));
    printf("  offset now %ld, input still at %ld, same %d\n", (long)off, (long)lseek(in, 0, SEEK_CUR), same("src", "part", 5000, 100));
    off = 26;
    result("sendfile to stdout", sendfile(1, in, &off, 26));
    printf("\n");
    result("sendfile from a write-only fd", sendfile(1, out, NULL, 10));
    int p[2];
    pipe(p);
    write(p[1], "xyz", 3);
    result("sendfile from a pipe", sendfile(out, p[0], NULL, 3));
    close(out);

    out = open("range", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    off_t from = 1000;
    result("copy_file_range", copy_file_range(in, &from, out, NULL, 3000, 0));
    printf("  input offset now %ld, output at %ld, same %d\n", (long)from, (long)lseek(out, 0, SEEK_CUR), same("src", "range", 1000, 3000));
    result("copy_file_range with flags", copy_file_range(in, NULL, out, NULL, 10, 1));
    result("copy_file_range to a pipe", copy_file_range(in, NULL, p[1], NULL, 10, 0));
    close(out);

    result("fchown to -1, -1", fchown(in, -1, -1));
    result("fchown to our own ids", fchown(in, getuid(), getgid()));
    result("chown", chown("dst", getuid(), -1));
    symlink("dst", "link");
    result("lchown", lchown("link", -1, getgid()));
    result("fchownat missing", fchownat(AT_FDCWD, "missing", getuid(), getgid(), 0));
    result("fchownat bad flags", fchownat(AT_FDCWD, "dst", getuid(), getgid(), 0x1));
    result("fchown bad fd", fchown(99, -1, -1));

    sync();
    result("syncfs", syncfs(in));
    printf("posix_fadvise: %d, on a pipe %d, bad advice %d\n", posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL),
           posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), posix_fadvise(in, 0, 0, 99));
    struct stat st;
    result("fallocate to 20000", fallocate(in, 0, 15000, 5000));
    fstat(in, &st);
    printf("  size %ld\n", (long)st.st_size);
    result("fallocate inside the file", fallocate(in, 0, 0, 100));
    result("fallocate keeping the size", fallocate(in, FALLOC_FL_KEEP_SIZE, 0, 50000));
    fstat(in, &st);
    printf("  size %ld\n", (long)st.st_size);
    result("fallocate of a pipe", fallocate(p[1], 0, 0, 10));
    result("fallocate, zero length", fallocate(in, 0, 0, 0));
    printf("posix_fallocate: %d\n", posix_fallocate(in, 0, 30000));
    fstat(in, &st);
    printf("  size %ld\n", (long)st.st_size);
    close(in);

    const char *files[] = { "src", "dst", "part", "range", "link" };
    for (int i = 0; i < 5; i++) unlink(files[i]);
    chdir("..");
    result("rmdir tmp-fs-copy", rmdir("tmp-fs-copy"));
    return 0;
}
