/* files: file-system syscalls in a scratch directory "tmp-<argv[1]>" created
 * under the working directory and removed at the end: mkdir, chdir, open
 * with O_CREAT/O_TRUNC/O_APPEND/O_EXCL, write/read/pread/pwrite, lseek with
 * every whence, ftruncate, fstat/stat/lstat (size, type, permission bits
 * under umask 022, link count), rename, link, symlink/readlink, dup/dup2,
 * fcntl, access, readdir (names sorted), stdio fopen/fseek/ftell, the
 * errno of each failing call, and unlink/rmdir.  Inode numbers, times and
 * block counts are never printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

static void err(const char *what, int r)
{
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static void show_stat(const char *path, int follow)
{
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);
    if (r < 0) {
        printf("%sstat %s: %s\n", follow ? "" : "l", path, strerror(errno));
        return;
    }
    const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir"
                     : S_ISLNK(st.st_mode) ? "symlink" : "other";
    printf("%sstat %s: %s mode %03o", follow ? "" : "l", path, type, (unsigned)(st.st_mode & 0777));
    if (!S_ISDIR(st.st_mode)) printf(" size %lld nlink %lu", (long long)st.st_size, (unsigned long)st.st_nlink);
    putchar('\n');
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s: %s\n", path, strerror(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        char tag = e->d_type == DT_DIR ? '/' : e->d_type == DT_LNK ? '@' : e->d_type == DT_REG ? ' ' : '?';
        char *s = malloc(strlen(e->d_name) + 2);
        sprintf(s, "%s%c", e->d_name, tag);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("readdir %s:", path);
    for (int i = 0; i < n; i++) { printf(" [%s]", names[i]); free(names[i]); }
    putchar('\n');
}

/* remove what an interrupted earlier run may have left behind */
static void cleanup(const char *dir)
{
    static const char *files[] = { "a.txt", "b.txt", "hard.txt", "link", "stdio.txt", "sub/x", "sub/y", "sub/z" };
    char p[256];
    for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: files NAME\n"); return 2; }
    char dir[128], buf[256];
    snprintf(dir, sizeof dir, "tmp-%s", argv[1]);
    umask(022);
    cleanup(dir);

    puts("[directories]");
    err("mkdir", mkdir(dir, 0755));
    err("mkdir again", mkdir(dir, 0755));
    err("chdir", chdir(dir));
    if (getcwd(buf, sizeof buf)) {
        const char *base = strrchr(buf, '/');
        printf("getcwd ends with /%s\n", base ? base + 1 : buf);
    }
    show_stat(".", 1);

    puts("[write and read]");
    int fd = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0666);
    printf("open a.txt: %s\n", fd >= 0 ? "ok" : strerror(errno));
    for (int i = 0; i < 5; i++) {
        int n = snprintf(buf, sizeof buf, "line %d of the file\n", i);
        if (write(fd, buf, n) != n) puts("short write");
    }
    printf("lseek cur: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("lseek set 5: %lld\n", (long long)lseek(fd, 5, SEEK_SET));
    err("write over", (int)write(fd, "X", 1));
    printf("lseek end+10: %lld\n", (long long)lseek(fd, 10, SEEK_END));
    err("write after hole", (int)write(fd, "END\n", 4));
    err("pwrite at 0", (int)pwrite(fd, "L", 1, 0));
    printf("lseek cur after pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    err("read on O_WRONLY", (int)read(fd, buf, 1));
    err("close", close(fd));
    err("close again", close(fd));
    show_stat("a.txt", 1);

    fd = open("a.txt", O_RDONLY);
    ssize_t n = read(fd, buf, 30);
    printf("read %zd: [%.*s]\n", n, (int)n, buf);
    n = pread(fd, buf, 12, 40);
    printf("pread 12 at 40: [%.*s]\n", (int)n, buf);
    printf("lseek end-4: %lld\n", (long long)lseek(fd, -4, SEEK_END));
    n = read(fd, buf, 100);
    printf("read tail %zd: [%.*s]\n", n, (int)(n > 0 ? n - 1 : 0), buf);
    n = read(fd, buf, 100);
    printf("read at eof: %zd\n", n);
    lseek(fd, 100, SEEK_SET);
    n = read(fd, buf, 12);
    int zeros = 0;
    for (ssize_t i = 0; i < n; i++) zeros += buf[i] == 0;
    printf("hole bytes: %zd read, %d zero\n", n, zeros);
    err("lseek negative", (int)lseek(fd, -1000, SEEK_SET));
    err("write on O_RDONLY", (int)write(fd, "x", 1));

    int fd2 = dup(fd);
    lseek(fd, 0, SEEK_SET);
    n = read(fd2, buf, 4);
    printf("dup shares offset: [%.*s] now at %lld\n", (int)n, buf, (long long)lseek(fd, 0, SEEK_CUR));
    err("dup2 to 10", dup2(fd, 10));
    n = read(10, buf, 5);
    printf("read via fd 10: [%.*s]\n", (int)n, buf);
    close(10);
    close(fd2);
    close(fd);

    puts("[append, truncate, excl]");
    fd = open("a.txt", O_WRONLY | O_APPEND);
    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL append=%d accmode_wronly=%d\n", (fl & O_APPEND) != 0, (fl & O_ACCMODE) == O_WRONLY);
    lseek(fd, 0, SEEK_SET);
    err("append write", (int)write(fd, "appended\n", 9));
    printf("offset after append: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    err("ftruncate 20", ftruncate(fd, 20));
    struct stat st;
    fstat(fd, &st);
    printf("fstat size: %lld\n", (long long)st.st_size);
    close(fd);
    err("open O_EXCL existing", open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
    err("open missing", open("missing.txt", O_RDONLY));
    err("open dir for write", open(".", O_WRONLY));
    printf("access R_OK: %d, missing F_OK: %d\n", access("a.txt", R_OK), access("nope", F_OK));

    puts("[rename, link, symlink]");
    err("rename", rename("a.txt", "b.txt"));
    show_stat("a.txt", 1);
    err("link", link("b.txt", "hard.txt"));
    show_stat("b.txt", 1);
    err("symlink", symlink("b.txt", "link"));
    show_stat("link", 0);
    show_stat("link", 1);
    n = readlink("link", buf, sizeof buf);
    printf("readlink: [%.*s]\n", (int)n, buf);
    err("readlink on file", (int)readlink("b.txt", buf, sizeof buf));
    err("chmod 600", chmod("b.txt", 0600));
    show_stat("hard.txt", 1);

    puts("[stdio]");
    FILE *f = fopen("stdio.txt", "w+");
    for (int i = 0; i < 100; i++) fprintf(f, "%d,", i * i);
    printf("ftell after writes: %ld\n", ftell(f));
    fseek(f, 11, SEEK_SET);
    char tok[32];
    if (fscanf(f, "%31[^,]", tok) == 1) printf("token at 11: %s\n", tok);
    rewind(f);
    int sum = 0, v;
    while (fscanf(f, "%d,", &v) == 1) sum += v;
    printf("sum of squares: %d, feof %d\n", sum, feof(f) != 0);
    fclose(f);
    show_stat("stdio.txt", 1);

    puts("[listing]");
    err("mkdir sub", mkdir("sub", 0700));
    for (const char *p = "xyz"; *p; p++) {
        snprintf(buf, sizeof buf, "sub/%c", *p);
        close(open(buf, O_CREAT | O_WRONLY, 0644));
    }
    list_dir(".");
    list_dir("sub");
    show_stat("sub", 1);
    err("rmdir non-empty", rmdir("sub"));
    err("unlink a directory", unlink("sub"));
    err("rmdir a file", rmdir("b.txt"));
    err("mkdir in missing parent", mkdir("nope/deeper", 0755));

    puts("[cleanup]");
    err("unlink sub/x", unlink("sub/x"));
    err("unlink sub/y", unlink("sub/y"));
    err("unlink sub/z", unlink("sub/z"));
    err("rmdir sub", rmdir("sub"));
    err("unlink link", unlink("link"));
    err("unlink b.txt", unlink("b.txt"));
    show_stat("hard.txt", 1);
    err("unlink hard.txt", unlink("hard.txt"));
    err("unlink stdio.txt", unlink("stdio.txt"));
    err("unlink missing", unlink("b.txt"));
    list_dir(".");
    err("chdir ..", chdir(".."));
    err("rmdir scratch", rmdir(dir));
    show_stat(dir, 1);
    return 0;
}
