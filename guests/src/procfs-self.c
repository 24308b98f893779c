// /proc/self as a program reads it: checks what /proc/self/{maps,status,stat,statm,cmdline,environ,
// auxv,fd,fdinfo,comm,limits,task}, readlink of /proc/self, /proc/self/exe and /proc/self/cwd say
// against what the program knows of itself (its pid, argv, environment, auxv, descriptors, the
// address of a local variable, of its code, of heap and mmap memory and of a mapped file). Prints
// one line per check, "ok" or what differed, and nothing that depends on the machine, the host or
// the architecture (no pids, addresses or sizes), so the output is the same under the host kernel
// (its golden) and under rvtrace.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int failures;

static void check(const char *what, int ok, const char *detail) {
  if (ok) {
    printf("%s: ok\n", what);
  } else {
    printf("%s: BAD (%s)\n", what, detail ? detail : "");
    failures++;
  }
}

/** Reads a whole file into a NUL-terminated buffer (len set); NULL on error. */
static char *slurp(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  for (;;) {
    if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      close(fd);
      free(buf);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

/** The value after "Key:\t" in a status-like text, copied into out. */
static int field(const char *text, const char *key, char *out, size_t size) {
  size_t k = strlen(key);
  for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, key, k) == 0 && p[k] == ':') {
      const char *v = p + k + 1;
      while (*v == '\t' || *v == ' ') v++;
      size_t n = strcspn(v, "\n");
      if (n >= size) n = size - 1;
      memcpy(out, v, n);
      out[n] = 0;
      return 1;
    }
  }
  return 0;
}

/** The name column of the maps line whose range holds addr ("" for none, "?" if no line). */
static void mapping_of(const char *maps, uintptr_t addr, char *name, size_t size) {
  strcpy(name, "?");
  for (const char *p = maps; *p; ) {
    const char *eol = strchr(p, '\n');
    if (!eol) break;
    unsigned long lo, hi;
    int off = 0;
    if (sscanf(p, "%lx-%lx %*s %*s %*s %*s%n", &lo, &hi, &off) >= 2 && addr >= lo && addr < hi) {
      const char *n = p + off;
      while (n < eol && *n == ' ') n++;
      size_t len = (size_t)(eol - n);
      if (len >= size) len = size - 1;
      memcpy(name, n, len);
      name[len] = 0;
      return;
    }
    p = eol + 1;
  }
}

static int ends_with(const char *s, const char *tail) {
  size_t a = strlen(s), b = strlen(tail);
  return a >= b && strcmp(s + a - b, tail) == 0;
}

static void check_links(const char *argv0) {
  char exe[PATH_MAX], real[PATH_MAX], cwd[PATH_MAX], link[PATH_MAX], self[64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n < 0 ? 0 : n] = 0;
  check("readlink /proc/self/exe is the program", n > 0 && realpath(argv0, real) && strcmp(exe, real) == 0, exe);
  n = readlink("/proc/self/cwd", link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  check("readlink /proc/self/cwd is getcwd()", n > 0 && getcwd(cwd, sizeof cwd) && strcmp(link, cwd) == 0, link);
  n = readlink("/proc/self", link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  snprintf(self, sizeof self, "%d", (int)getpid());
  check("readlink /proc/self is the pid", n > 0 && strcmp(link, self) == 0, link);
  n = readlink("/proc/self/root", link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  check("readlink /proc/self/root is /", n == 1 && link[0] == '/', link);
}

static void check_maps(void) {
  char *maps = slurp("/proc/self/maps", NULL);
  check("/proc/self/maps reads", maps != NULL, strerror(errno));
  if (!maps) return;
  int local = 0;
  char name[PATH_MAX], exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n < 0 ? 0 : n] = 0;
  mapping_of(maps, (uintptr_t)&local, name, sizeof name);
  check("a local variable lies in [stack]", strcmp(name, "[stack]") == 0, name);
  mapping_of(maps, (uintptr_t)&check_maps, name, sizeof name);
  check("the code lies in the program's mapping", strcmp(name, exe) == 0, name);
  char *small = malloc(64);
  mapping_of(maps = (free(maps), slurp("/proc/self/maps", NULL)), (uintptr_t)small, name, sizeof name);
  check("a small malloc lies in [heap]", strcmp(name, "[heap]") == 0, name);
  void *anon = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int fd = open("data/poem.txt", O_RDONLY);
  void *file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  free(maps);
  maps = slurp("/proc/self/maps", NULL);
  mapping_of(maps, (uintptr_t)anon + 4096, name, sizeof name);
  check("anonymous mmap memory has no name", name[0] == 0, name);
  mapping_of(maps, (uintptr_t)file, name, sizeof name);
  check("a mapped file is named by its path", ends_with(name, "/data/poem.txt"), name);
  // Permissions of the file mapping: r--p.
  char perms[8] = "";
  for (const char *p = maps; *p; p = strchr(p, '\n') + 1) {
    unsigned long lo, hi;
    if (sscanf(p, "%lx-%lx %7s", &lo, &hi, perms) == 3 && (uintptr_t)file >= lo && (uintptr_t)file < hi) break;
    if (!strchr(p, '\n')) break;
  }
  check("the file mapping is r--p", strcmp(perms, "r--p") == 0, perms);
  munmap(anon, 1 << 20);
  munmap(file, 4096);
  free(small);
  free(maps);
}

static void check_status(const char *argv0) {
  char *st = slurp("/proc/self/status", NULL);
  check("/proc/self/status reads", st != NULL, strerror(errno));
  if (!st) return;
  char v[256], want[64];
  const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
  snprintf(want, sizeof want, "%.15s", base);
  check("status Name is the program's name", field(st, "Name", v, sizeof v) && strcmp(v, want) == 0, v);
  check("status State is R (running)", field(st, "State", v, sizeof v) && strcmp(v, "R (running)") == 0, v);
  snprintf(want, sizeof want, "%d", (int)getpid());
  check("status Pid is getpid()", field(st, "Pid", v, sizeof v) && strcmp(v, want) == 0, v);
  check("status Tgid is getpid()", field(st, "Tgid", v, sizeof v) && strcmp(v, want) == 0, v);
  snprintf(want, sizeof want, "%d", (int)getppid());
  check("status PPid is getppid()", field(st, "PPid", v, sizeof v) && strcmp(v, want) == 0, v);
  snprintf(want, sizeof want, "%d\t%d\t%d\t%d", (int)getuid(), (int)geteuid(), (int)getuid(), (int)getuid());
  check("status Uid is getuid() four times", field(st, "Uid", v, sizeof v) && strcmp(v, want) == 0, v);
  check("status Threads is 1", field(st, "Threads", v, sizeof v) && strcmp(v, "1") == 0, v);
  check("status VmStk is there", field(st, "VmStk", v, sizeof v) && ends_with(v, " kB"), v);
  umask(027);
  free(st);
  st = slurp("/proc/self/status", NULL);
  check("status Umask follows umask()", st && field(st, "Umask", v, sizeof v) && strcmp(v, "0027") == 0, v);
  umask(022);
  free(st);
}

static void check_stat(const char *argv0) {
  char *st = slurp("/proc/self/stat", NULL);
  check("/proc/self/stat reads", st != NULL, strerror(errno));
  if (!st) return;
  int pid = 0, ppid = 0;
  char comm[64] = "", state = '?', want[64];
  const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
  int got = sscanf(st, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
  snprintf(want, sizeof want, "%.15s", base);
  check("stat: pid (comm) state ppid", got == 4 && pid == getpid() && strcmp(comm, want) == 0 && state == 'R' && ppid == getppid(), st);
  // Field 20 is num_threads: count from after the ')'.
  const char *p = strrchr(st, ')') + 2;
  long fields[60];
  int count = 0;
  while (count < 60 && *p && *p != '\n') {
    if (count == 0) {
      fields[count++] = 0; // the state letter
      p += 2;
      continue;
    }
    fields[count++] = strtol(p, (char **)&p, 10);
    while (*p == ' ') p++;
  }
  check("stat has at least 44 fields after the comm", count >= 42, st);
  check("stat num_threads is 1", count > 17 && fields[17] == 1, st);
  free(st);
  char *statm = slurp("/proc/self/statm", NULL);
  long f[7];
  int n = statm ? sscanf(statm, "%ld %ld %ld %ld %ld %ld %ld", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]) : 0;
  check("statm: 7 page counts, size >= resident > 0", n == 7 && f[0] >= f[1] && f[1] > 0, statm);
  free(statm);
}

static void check_strings(int argc, char **argv) {
  size_t len = 0;
  char *cmd = slurp("/proc/self/cmdline", &len);
  size_t want = 0;
  for (int i = 0; i < argc; i++) want += strlen(argv[i]) + 1;
  int same = cmd && len == want;
  size_t at = 0;
  for (int i = 0; same && i < argc; i++) {
    same = strcmp(cmd + at, argv[i]) == 0;
    at += strlen(argv[i]) + 1;
  }
  check("cmdline is argv, NUL-separated", same, cmd);
  free(cmd);
  char *env = slurp("/proc/self/environ", &len);
  want = 0;
  for (char **e = environ; *e; e++) want += strlen(*e) + 1;
  same = env && len == want;
  at = 0;
  for (char **e = environ; same && *e; e++) {
    same = strcmp(env + at, *e) == 0;
    at += strlen(*e) + 1;
  }
  check("environ is the environment, NUL-separated", same, env);
  free(env);
}

static void check_auxv(void) {
  size_t len = 0;
  char *raw = slurp("/proc/self/auxv", &len);
  check("auxv reads whole (type, value) pairs", raw && len > 0 && len % 16 == 0, "");
  if (!raw) return;
  const unsigned long *a = (const unsigned long *)raw;
  size_t pairs = len / 16;
  int ends = pairs > 0 && a[2 * (pairs - 1)] == AT_NULL;
  int page = 0, entry = 0, random = 0, uid = 0;
  for (size_t i = 0; i < pairs; i++) {
    unsigned long t = a[2 * i], v = a[2 * i + 1];
    if (t == AT_PAGESZ) page = v == 4096;
    if (t == AT_ENTRY) entry = v == getauxval(AT_ENTRY);
    if (t == AT_RANDOM) random = v == getauxval(AT_RANDOM);
    if (t == AT_UID) uid = v == getuid();
  }
  check("auxv ends with AT_NULL", ends, "");
  check("auxv AT_PAGESZ is 4096", page, "");
  check("auxv AT_ENTRY is getauxval(AT_ENTRY)", entry, "");
  check("auxv AT_RANDOM is getauxval(AT_RANDOM)", random, "");
  check("auxv AT_UID is getuid()", uid, "");
  free(raw);
}

static void check_fds(void) {
  int file = open("data/poem.txt", O_RDONLY | O_CLOEXEC);
  int pipefd[2];
  if (pipe(pipefd) != 0) pipefd[0] = pipefd[1] = -1;
  DIR *d = opendir("/proc/self/fd");
  check("/proc/self/fd opens", d != NULL, strerror(errno));
  if (!d) return;
  // Descriptors inherited from whoever started the program may be listed too: not checked.
  int seen[64] = {0};
  struct dirent *e;
  int ordered = 1, last = -1;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    int n = atoi(e->d_name);
    if (n <= last) ordered = 0;
    last = n;
    if (n >= 0 && n < 64) seen[n] = 1;
  }
  int listed = seen[0] && seen[1] && seen[2] && seen[file] && seen[pipefd[0]] && seen[pipefd[1]] && seen[dirfd(d)];
  check("fd lists 0, 1, 2, the file, the pipe and the directory itself", listed, "");
  check("fd lists descriptors in increasing order", ordered, "");
  closedir(d);
  char path[64], link[PATH_MAX];
  snprintf(path, sizeof path, "/proc/self/fd/%d", file);
  ssize_t n = readlink(path, link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  check("fd link of the file ends with /data/poem.txt", ends_with(link, "/data/poem.txt"), link);
  snprintf(path, sizeof path, "/proc/self/fd/%d", pipefd[0]);
  n = readlink(path, link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  check("fd link of a pipe is pipe:[N]", strncmp(link, "pipe:[", 6) == 0 && ends_with(link, "]"), link);
  // Opening the link opens the same file, at its own offset 0.
  snprintf(path, sizeof path, "/proc/self/fd/%d", file);
  int again = open(path, O_RDONLY);
  char a[16] = "", b[16] = "";
  ssize_t ra = read(file, a, 15), rb = read(again, b, 15);
  check("opening the fd link reads the same file", again >= 0 && ra == 15 && rb == 15 && memcmp(a, b, 15) == 0, "");
  close(again);
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", file);
  char *info = slurp(path, NULL);
  char v[64] = "";
  check("fdinfo pos is the offset", info && field(info, "pos", v, sizeof v) && strcmp(v, "15") == 0, v);
  unsigned long flags = 0;
  check("fdinfo flags show O_CLOEXEC", info && field(info, "flags", v, sizeof v) && sscanf(v, "%lo", &flags) == 1 && (flags & O_CLOEXEC) && (flags & O_ACCMODE) == O_RDONLY, v);
  free(info);
  close(file);
  close(pipefd[0]);
  close(pipefd[1]);
}

static void check_comm_and_limits(const char *argv0) {
  char *c = slurp("/proc/self/comm", NULL);
  char want[64];
  const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
  snprintf(want, sizeof want, "%.15s\n", base);
  check("comm is the program's name and a newline", c && strcmp(c, want) == 0, c);
  free(c);
  int fd = open("/proc/self/comm", O_WRONLY);
  ssize_t w = fd >= 0 ? write(fd, "renamed", 7) : -1;
  if (fd >= 0) close(fd);
  char name[17] = "";
  prctl(PR_GET_NAME, name);
  c = slurp("/proc/self/comm", NULL);
  check("writing comm renames the thread", w == 7 && strcmp(name, "renamed") == 0 && c && strcmp(c, "renamed\n") == 0, c);
  free(c);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  char *lim = slurp("/proc/self/limits", NULL);
  char line[128];
  snprintf(line, sizeof line, "Max open files            %-20lu %-20lu files", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
  check("limits shows getrlimit(RLIMIT_NOFILE)", lim && strstr(lim, line) != NULL, line);
  check("limits starts with its header", lim && strncmp(lim, "Limit                     Soft Limit           Hard Limit           Units", 70) == 0, lim);
  free(lim);
}

static void check_task(void) {
  char path[64], v[64], want[32];
  snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)syscall(SYS_gettid));
  char *st = slurp(path, NULL);
  snprintf(want, sizeof want, "%d", (int)syscall(SYS_gettid));
  check("task/TID/status has Pid TID", st && field(st, "Pid", v, sizeof v) && strcmp(v, want) == 0, v);
  free(st);
  struct stat a, b;
  check("/proc/self/task/TID is a directory", stat(path, &a) == 0 && (path[strlen(path) - 7] = 0, stat(path, &b) == 0) && S_ISDIR(b.st_mode), path);
}

int main(int argc, char **argv) {
  check_links(argv[0]);
  check_maps();
  check_status(argv[0]);
  check_stat(argv[0]);
  check_strings(argc, argv);
  check_auxv();
  check_fds();
  check_comm_and_limits(argv[0]);
  check_task();
  printf("%d failed\n", failures);
  return failures != 0;
}
