// What programs expect of /tmp and /dev/shm: mkstemp and tmpfile() in /tmp; in the tmpfs directory
// given as argv[1] (/dev/shm: tmpfs on the host too, so the golden agrees), mkdir, rename (also
// RENAME_NOREPLACE and RENAME_EXCHANGE), link, symlink, unlink and rmdir with their errors, holes
// and SEEK_DATA/SEEK_HOLE, O_APPEND and ftruncate, shared and private mmap of a file, flock, a file
// unlinked while open, O_TMPFILE and linkat, reopening through /proc/self/fd, utimensat; memfd_create with its /proc/self/fd name and seals. Nothing printed depends
// on the machine: no inode numbers, devices, times or the random part of names; directory listings
// are sorted here (tmpfs lists newest first, rvtrace by name).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

static char base[256];

static void report(const char *what, int r) {
  printf("%-28s %s\n", what, r < 0 ? strerror(errno) : "ok");
}

static const char *at(const char *name) {
  static char buf[4][512];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%s/%s", base, name);
  return buf[i];
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
  DIR *d = opendir(at(name));
  if (!d) {
    printf("opendir %s: %s\n", name, strerror(errno));
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    char *s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%s%s", e->d_name, e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "");
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("ls %s:", name);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void show(const char *name) {
  struct stat st;
  if (lstat(at(name), &st) < 0) {
    printf("stat %s: %s\n", name, strerror(errno));
    return;
  }
  printf("stat %s: mode %o nlink %ld size %ld blocks %ld\n", name, st.st_mode, (long)st.st_nlink, (long)st.st_size,
         (long)st.st_blocks);
}

static void temp_files(void) {
  char tpl[] = "/tmp/rvtrace-tmpfs-XXXXXX";
  int fd = mkstemp(tpl);
  report("mkstemp in /tmp", fd);
  struct stat st;
  fstat(fd, &st);
  printf("mkstemp mode %o size %ld\n", st.st_mode & 07777, (long)st.st_size);
  write(fd, "spill\n", 6);
  char buf[32] = {0};
  pread(fd, buf, sizeof buf - 1, 0);
  printf("mkstemp read back: %s", buf);
  report("unlink mkstemp file", unlink(tpl));
  close(fd);

  FILE *f = tmpfile();
  printf("tmpfile: %s\n", f ? "ok" : strerror(errno));
  fprintf(f, "tmpfile line %d\n", 42);
  rewind(f);
  fgets(buf, sizeof buf, f);
  printf("tmpfile read back: %s", buf);
  fclose(f);
}

static void directories(void) {
  report("mkdir a", mkdir(at("a"), 0755));
  report("mkdir a again", mkdir(at("a"), 0755));
  report("mkdir a/b", mkdir(at("a/b"), 0700));
  show("a");
  int fd = open(at("a/b/f"), O_WRONLY | O_CREAT | O_EXCL, 0640);
  report("create a/b/f", fd);
  write(fd, "contents", 8);
  close(fd);
  report("create a/b/f O_EXCL", open(at("a/b/f"), O_WRONLY | O_CREAT | O_EXCL, 0640));
  report("rmdir a (not empty)", rmdir(at("a")));
  report("unlink a (a directory)", unlink(at("a")));
  report("rmdir a/b/f (a file)", rmdir(at("a/b/f")));
  report("link a/b/f a/g", link(at("a/b/f"), at("a/g")));
  show("a/g");
  report("link a/b a/c (a directory)", link(at("a/b"), at("a/c")));
  report("symlink b/f a/s", symlink("b/f", at("a/s")));
  char target[64] = {0};
  readlink(at("a/s"), target, sizeof target - 1);
  printf("readlink a/s: %s\n", target);
  show("a/s");
  char buf[32] = {0};
  fd = open(at("a/s"), O_RDONLY);
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("read through a/s: %s\n", buf);
  report("open a/s O_NOFOLLOW", open(at("a/s"), O_RDONLY | O_NOFOLLOW));
  list("a");
  report("rename a/g over a/b/f (same)", rename(at("a/g"), at("a/b/f")));
  report("renameat2 NOREPLACE", renameat2(AT_FDCWD, at("a/g"), AT_FDCWD, at("a/s"), RENAME_NOREPLACE));
  report("renameat2 EXCHANGE g, s", renameat2(AT_FDCWD, at("a/g"), AT_FDCWD, at("a/s"), RENAME_EXCHANGE));
  show("a/g");
  report("rename a into a/b", rename(at("a"), at("a/b/x")));
  report("rename a/b over a/g", rename(at("a/b"), at("a/g")));
  report("rename a/s over a/b", rename(at("a/s"), at("a/b")));
  report("rename a/b to d", rename(at("a/b"), at("d")));
  show("a");
  show("d");
  list("a");
  list("d");
  report("rename d/f to ../outside", rename(at("d/f"), "/no-such-dir/f"));
  report("unlink d/f", unlink(at("d/f")));
  report("unlink d/f again", unlink(at("d/f")));
  report("rmdir d", rmdir(at("d")));
  report("unlink a/g", unlink(at("a/g")));
  report("unlink a/s", unlink(at("a/s")));
  report("rmdir a", rmdir(at("a")));
}

static void data(void) {
  int fd = open(at("sparse"), O_RDWR | O_CREAT | O_TRUNC, 0600);
  pwrite(fd, "end", 3, 3 * 4096);
  show("sparse");
  printf("SEEK_DATA from 0: %ld\n", (long)lseek(fd, 0, SEEK_DATA));
  printf("SEEK_HOLE from 0: %ld\n", (long)lseek(fd, 0, SEEK_HOLE));
  printf("SEEK_HOLE from 12288: %ld\n", (long)lseek(fd, 3 * 4096, SEEK_HOLE));
  errno = 0;
  printf("SEEK_DATA past the end: %ld %s\n", (long)lseek(fd, 5 * 4096, SEEK_DATA), strerror(errno));
  char buf[8];
  memset(buf, 'x', sizeof buf);
  pread(fd, buf, 4, 4094);
  printf("hole reads as zeros: %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
  report("ftruncate to 5", ftruncate(fd, 5));
  show("sparse");
  close(fd);

  fd = open(at("log"), O_WRONLY | O_CREAT | O_APPEND, 0600);
  write(fd, "one\n", 4);
  lseek(fd, 0, SEEK_SET);
  write(fd, "two\n", 4);
  close(fd);
  fd = open(at("log"), O_RDONLY);
  memset(buf, 0, sizeof buf);
  read(fd, buf, 8);
  printf("O_APPEND: %.8s", buf);
  report("flock LOCK_EX", flock(fd, LOCK_EX | LOCK_NB));
  int fd2 = open(at("log"), O_RDONLY);
  report("flock from another open", flock(fd2, LOCK_EX | LOCK_NB));
  close(fd2);
  close(fd);
  report("truncate log to 2", truncate(at("log"), 2));
  show("log");

  // A file unlinked while open keeps its data; /proc/self/fd names it "(deleted)".
  fd = open(at("doomed"), O_RDWR | O_CREAT, 0600);
  write(fd, "alive", 5);
  unlink(at("doomed"));
  char link[512] = {0}, proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  readlink(proc, link, sizeof link - 1);
  printf("unlinked open file: %s\n", strncmp(link, base, strlen(base)) == 0 ? link + strlen(base) : link);
  memset(buf, 0, sizeof buf);
  pread(fd, buf, 5, 0);
  printf("still reads: %.5s\n", buf);
  close(fd);
  unlink(at("log"));
  unlink(at("sparse"));
}

static void mappings(void) {
  int fd = open(at("mapped"), O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 8192);
  pwrite(fd, "file", 4, 0);
  char *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  printf("mmap shared %s, private %s\n", shared == MAP_FAILED ? strerror(errno) : "ok",
         priv == MAP_FAILED ? strerror(errno) : "ok");
  printf("mapped bytes: %.4s %.4s\n", shared, priv);
  memcpy(shared + 4096, "SHARED", 6);
  memcpy(priv, "PRIV", 4);
  report("msync", msync(shared, 8192, MS_SYNC));
  munmap(shared, 8192);
  char buf[8] = {0};
  pread(fd, buf, 6, 4096);
  printf("file after shared store: %.6s\n", buf);
  pread(fd, buf, 4, 0);
  printf("file after private store: %.4s (mapping: %.4s)\n", buf, priv);
  munmap(priv, 8192);
  close(fd);
  unlink(at("mapped"));
}

static void more(void) {
  // O_TMPFILE: no name until linkat gives it one through /proc/self/fd (not with O_EXCL).
  int fd = open(base, O_TMPFILE | O_RDWR, 0600);
  report("O_TMPFILE", fd);
  write(fd, "anon", 4);
  list(".");
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  report("linkat it to named", linkat(AT_FDCWD, proc, AT_FDCWD, at("named"), AT_SYMLINK_FOLLOW));
  show("named");
  close(fd);
  fd = open(base, O_TMPFILE | O_RDWR | O_EXCL, 0600);
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  report("linkat an O_EXCL one", linkat(AT_FDCWD, proc, AT_FDCWD, at("never"), AT_SYMLINK_FOLLOW));
  close(fd);
  report("O_TMPFILE read-only", open(base, O_TMPFILE | O_RDONLY, 0600));
  report("O_TMPFILE on a file", open(at("named"), O_TMPFILE | O_RDWR, 0600));
  // Reopening through /proc/self/fd gives a description of its own (its own offset).
  fd = open(at("named"), O_RDONLY);
  char buf[8] = {0};
  read(fd, buf, 2);
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  int again = open(proc, O_RDONLY);
  read(again, buf + 2, 2);
  printf("reopened reads from its own offset: %.4s\n", buf);
  close(again);
  close(fd);
  // Explicit times, and directories renamed over empty and non-empty ones.
  struct timespec ts[2] = {{1000000000, 5}, {1200000000, 7}};
  report("utimensat", utimensat(AT_FDCWD, at("named"), ts, 0));
  struct stat st;
  stat(at("named"), &st);
  printf("times: atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec);
  mkdir(at("p"), 0755);
  mkdir(at("q"), 0755);
  mkdir(at("q/inner"), 0755);
  report("rename p over non-empty q", rename(at("p"), at("q")));
  report("rmdir q/inner", rmdir(at("q/inner")));
  report("rename p over empty q", rename(at("p"), at("q")));
  show("q");
  report("chmod 0", chmod(at("named"), 0));
  show("named");
  report("rmdir q", rmdir(at("q")));
  report("unlink named", unlink(at("named")));
}

static void memfd(void) {
  int fd = memfd_create("demo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  report("memfd_create", fd);
  char link[128] = {0}, proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  readlink(proc, link, sizeof link - 1);
  printf("memfd link: %s\n", link);
  printf("memfd FD_CLOEXEC: %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC);
  write(fd, "sealed data", 11);
  struct stat st;
  fstat(fd, &st);
  printf("memfd mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
  printf("seals: %#x\n", fcntl(fd, F_GET_SEALS));
  char *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  printf("memfd mapped: %.6s\n", m == MAP_FAILED ? "failed" : m);
  munmap(m, 4096);
  report("F_ADD_SEALS grow|shrink", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK));
  report("ftruncate sealed", ftruncate(fd, 1));
  report("F_ADD_SEALS write|seal", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SEAL));
  report("write sealed", (int)write(fd, "x", 1));
  char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  printf("%-28s %s\n", "mmap sealed shared writable", w == MAP_FAILED ? strerror(errno) : "ok");
  char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  printf("%-28s %s\n", "mmap sealed shared readable", r == MAP_FAILED ? strerror(errno) : "ok");
  report("mprotect it writable", mprotect(r, 4096, PROT_READ | PROT_WRITE));
  munmap(r, 4096);
  report("F_ADD_SEALS after seal", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
  printf("seals: %#x\n", fcntl(fd, F_GET_SEALS));
  close(fd);
  fd = memfd_create("plain", 0);
  printf("unsealable seals: %#x\n", fcntl(fd, F_GET_SEALS));
  report("F_ADD_SEALS unsealable", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
  close(fd);
  report("memfd_create bad flags", memfd_create("x", 0x100));
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/dev/shm";
  struct stat st;
  stat("/tmp", &st);
  printf("/tmp: mode %o\n", st.st_mode);
  stat(dir, &st);
  printf("%s: mode %o\n", dir, st.st_mode);
  struct statfs sf;
  statfs(dir, &sf);
  printf("%s: f_type %#lx\n", dir, (unsigned long)sf.f_type);
  snprintf(base, sizeof base, "%s/rvtrace-tmpfs-XXXXXX", dir);
  if (!mkdtemp(base)) {
    perror("mkdtemp");
    return 1;
  }
  show(".");
  temp_files();
  directories();
  data();
  mappings();
  more();
  memfd();
  list(".");
  report("rmdir base", rmdir(base));
  return 0;
}
