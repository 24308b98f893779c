// det-probe: prints everything of the host that a `--deterministic` run must hide or fix, so that
// a test can run it twice under different host conditions and compare: the clocks (time, every
// clock_gettime clock, gettimeofday, times, sysinfo's uptime, a 2.5 s sleep), random bytes
// (getrandom, AT_RANDOM, /dev/urandom), ids, uname, and file metadata: a listing of the directory
// given as argv[1] (default ".") with every stat field of each entry, then a file it creates,
// writes, sleeps on, re-times, renames and removes, and statfs.
//
//   det-probe [DIR]          everything
//   det-probe --random       just 16 bytes of getrandom, in hex
//   det-probe --time         just time(NULL) and the date it is in UTC
//   det-probe --append FILE  appends a line to FILE and prints its new size (a run that is not
//                            repeatable: each run finds the file longer)
//   det-probe --stat-twice FILE  prints FILE's stat twice (a test changes it in between)
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void hex(const char *label, const unsigned char *p, size_t n) {
  printf("%s ", label);
  for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\n");
}

static void clock_line(const char *name, clockid_t id) {
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) {
    printf("%s: error\n", name);
    return;
  }
  printf("%s %lld.%09ld\n", name, (long long)ts.tv_sec, ts.tv_nsec);
}

static void stat_fields(const char *label, const struct stat *st) {
  printf("%s ino=%llu dev=%llu:%llu mode=%o nlink=%lu uid=%u gid=%u size=%lld blocks=%lld blksize=%ld "
         "atime=%lld.%09ld mtime=%lld.%09ld ctime=%lld.%09ld\n",
         label, (unsigned long long)st->st_ino, (unsigned long long)major(st->st_dev),
         (unsigned long long)minor(st->st_dev), st->st_mode, (unsigned long)st->st_nlink, st->st_uid,
         st->st_gid, (long long)st->st_size, (long long)st->st_blocks, (long)st->st_blksize,
         (long long)st->st_atim.tv_sec, st->st_atim.tv_nsec, (long long)st->st_mtim.tv_sec,
         st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static void stat_path(const char *label, const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("%s: lstat failed\n", label);
    return;
  }
  stat_fields(label, &st);
}

static void listing(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("opendir %s failed\n", dir);
    return;
  }
  struct dirent *e;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    printf("entry %s d_ino=%llu d_type=%d\n", e->d_name, (unsigned long long)e->d_ino, e->d_type);
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    stat_path("  stat", path);
  }
  closedir(d);
}

static void sleep_for(long sec, long nsec) {
  struct timespec req = {sec, nsec}, before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &after);
  long long ns = (after.tv_sec - before.tv_sec) * 1000000000LL + (after.tv_nsec - before.tv_nsec);
  printf("slept %ld.%09ld s: the monotonic clock moved %lld ns\n", sec, nsec, ns);
}

static void a_file_changed(void) {
  const char *name = "det-probe.out";
  int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) {
    printf("create failed\n");
    return;
  }
  struct stat st;
  fstat(fd, &st);
  stat_fields("created", &st);
  sleep_for(1, 0);
  if (write(fd, "some bytes\n", 11) != 11) printf("write failed\n");
  fstat(fd, &st);
  stat_fields("written", &st);
  close(fd);
  struct timespec times[2] = {{1000000000, 5}, {1100000000, 7}};
  utimensat(AT_FDCWD, name, times, 0);
  stat_path("utimensat", name);
  sleep_for(0, 1000);
  chmod(name, 0600);
  stat_path("chmod", name);
  rename(name, "det-probe.moved");
  stat_path("renamed", "det-probe.moved");
  stat_path("the directory", ".");
  unlink("det-probe.moved");
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--random") == 0) {
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != sizeof b) return 1;
    hex("getrandom", b, sizeof b);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--time") == 0) {
    time_t now = time(NULL);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", gmtime(&now));
    printf("time %lld %s UTC\n", (long long)now, buf);
    return 0;
  }
  if (argc > 2 && strcmp(argv[1], "--append") == 0) {
    int fd = open(argv[2], O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0 || write(fd, "x\n", 2) != 2) return 1;
    printf("size %lld\n", (long long)lseek(fd, 0, SEEK_END));
    return 0;
  }
  if (argc > 2 && strcmp(argv[1], "--stat-twice") == 0) {
    stat_path("first", argv[2]);
    stat_path("second", argv[2]);
    return 0;
  }
  const char *dir = argc > 1 ? argv[1] : ".";

  printf("time %lld\n", (long long)time(NULL));
  clock_line("realtime", CLOCK_REALTIME);
  clock_line("monotonic", CLOCK_MONOTONIC);
  clock_line("boottime", CLOCK_BOOTTIME);
  clock_line("process-cpu", CLOCK_PROCESS_CPUTIME_ID);
  clock_line("thread-cpu", CLOCK_THREAD_CPUTIME_ID);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
  struct tms tm;
  clock_t ticks = times(&tm);
  printf("times %lld utime %lld\n", (long long)ticks, (long long)tm.tms_utime);
  struct sysinfo si;
  sysinfo(&si);
  printf("uptime %ld\n", si.uptime);
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("clock_getres %ld\n", res.tv_nsec);
  sleep_for(2, 500000000);

  unsigned char b[16];
  if (getrandom(b, sizeof b, 0) == sizeof b) hex("getrandom", b, sizeof b);
  hex("AT_RANDOM", (const unsigned char *)getauxval(AT_RANDOM), 16);
  int u = open("/dev/urandom", O_RDONLY);
  if (u >= 0 && read(u, b, sizeof b) == sizeof b) hex("urandom", b, sizeof b);
  close(u);

  gid_t groups[64];
  int n = getgroups(64, groups);
  printf("uid %u gid %u groups %d first %u pid %d ppid %d\n", getuid(), getgid(), n, n > 0 ? groups[0] : 0,
         getpid(), getppid());
  struct utsname un;
  uname(&un);
  printf("uname %s %s %s %s\n", un.sysname, un.nodename, un.release, un.machine);

  listing(dir);
  a_file_changed();

  struct statfs sf;
  if (statfs(".", &sf) == 0) {
    printf("statfs type=%lx bsize=%ld blocks=%llu bfree=%llu files=%llu\n", (unsigned long)sf.f_type,
           (long)sf.f_bsize, (unsigned long long)sf.f_blocks, (unsigned long long)sf.f_bfree,
           (unsigned long long)sf.f_files);
  }
  return 0;
}
