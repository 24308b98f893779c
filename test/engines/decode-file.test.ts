// File-name syscalls. Each expectation is the line strace 6.1 prints for the same call (checked on a
// host strace with the same arguments, and with --inject to make it decode chosen memory).
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, statBytes, AT_FDCWD, E } from "./decode-helpers.js";

const m = new FakeMemory();
const passwd = m.str("/etc/passwd");
const x = m.str("/tmp/p/x");

describe("openat", () => {
  test("flags with the access mode first; mode only with O_CREAT or O_TMPFILE", () => {
    expect(trace(m, "openat", [AT_FDCWD, passwd, 0x80000], 3)).toBe('openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3');
    expect(trace(m, "openat", [AT_FDCWD, x, 0o1101, 0o644], 4)).toBe('openat(AT_FDCWD, "/tmp/p/x", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4');
    expect(trace(m, "openat", [AT_FDCWD, x, 0o20200002, 0o600], 5)).toBe('openat(AT_FDCWD, "/tmp/p/x", O_RDWR|O_TMPFILE, 0600) = 5');
    expect(trace(m, "openat", [AT_FDCWD, x, 0o20000000, 0], E.EINVAL))
      .toBe('openat(AT_FDCWD, "/tmp/p/x", O_RDONLY|__O_TMPFILE, 000) = -1 EINVAL (Invalid argument)');
    expect(trace(m, "openat", [3, m.str("rel"), 0o10600000], E.ENOENT))
      .toBe('openat(3, "rel", O_RDONLY|O_NOFOLLOW|O_PATH|O_DIRECTORY) = -1 ENOENT (No such file or directory)');
  });

  test("unknown bits after the names", () => {
    expect(trace(m, "openat", [-1, m.str("/nonexist"), 0x80000002], E.ENOENT))
      .toBe('openat(-1, "/nonexist", O_RDWR|0x80000000) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "openat", [AT_FDCWD, x, 0xffffffff, 0o777], E.ENOENT)).toBe(
      'openat(AT_FDCWD, "/tmp/p/x", O_ACCMODE|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|' +
      "O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c, 0777) = -1 ENOENT (No such file or directory)");
    expect(trace(m, "openat", [AT_FDCWD, x, 0x5000], 3)).toBe('openat(AT_FDCWD, "/tmp/p/x", O_RDONLY|O_DSYNC|O_DIRECT) = 3');
    expect(trace(m, "openat", [AT_FDCWD, x, 0x212000], 3)).toBe('openat(AT_FDCWD, "/tmp/p/x", O_RDONLY|O_PATH|O_DIRECTORY|FASYNC) = 3');
  });

  test("an unreadable file name is printed as its address", () => {
    expect(trace(m, "openat", [AT_FDCWD, 0x10, 0], E.EFAULT)).toBe("openat(AT_FDCWD, 0x10, O_RDONLY) = -1 EFAULT (Bad address)");
  });

  test("openat2 prints struct open_how", () => {
    const how = m.struct([[8, 0x80000], [8, 0], [8, 0]]);
    expect(trace(m, "openat2", [AT_FDCWD, x, how, 24], 3)).toBe('openat2(AT_FDCWD, "/tmp/p/x", {flags=O_RDONLY|O_CLOEXEC, resolve=0}, 24) = 3');
    const how2 = m.struct([[8, 0x41], [8, 0o644], [8, 3]]);
    expect(trace(m, "openat2", [AT_FDCWD, x, how2, 24], 3))
      .toBe('openat2(AT_FDCWD, "/tmp/p/x", {flags=O_WRONLY|O_CREAT, mode=0644, resolve=RESOLVE_NO_XDEV|RESOLVE_NO_MAGICLINKS}, 24) = 3');
    expect(trace(m, "openat2", [AT_FDCWD, x, 0, 24], E.EFAULT)).toBe('openat2(AT_FDCWD, "/tmp/p/x", NULL, 24) = -1 EFAULT (Bad address)');
  });
});

describe("stat family", () => {
  const reg = statBytes({
    dev: 0xfe00n, ino: 739n, mode: 0o100644, nlink: 1, size: 1221n, blocks: 8n,
    atime: [1795713908n, 392660691n], mtime: [1779294449n, 0n], ctime: [1779294449n, 0n],
  });
  const chr = statBytes({ dev: 6n, ino: 3n, mode: 0o20666, rdev: 0x103n });

  test("abbreviated: mode and size, or rdev for devices", () => {
    const buf = m.alloc(new Uint8Array(128));
    expect(trace(m, "newfstatat", [AT_FDCWD, passwd, buf, 0], 0, { during: () => m.write(buf, reg) }))
      .toBe('newfstatat(AT_FDCWD, "/etc/passwd", {st_mode=S_IFREG|0644, st_size=1221, ...}, 0) = 0');
    expect(trace(m, "newfstatat", [AT_FDCWD, m.str("/dev/null"), buf, 0], 0, { during: () => m.write(buf, chr) }))
      .toBe('newfstatat(AT_FDCWD, "/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0');
    expect(trace(m, "fstat", [3, buf], 0, { during: () => m.write(buf, reg) })).toBe("fstat(3, {st_mode=S_IFREG|0644, st_size=1221, ...}) = 0");
    expect(trace(m, "newfstatat", [3, m.str(""), buf, 0x1000], 0, { during: () => m.write(buf, reg) }))
      .toBe('newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0');
  });

  test("-v prints every field with time comments", () => {
    const buf = m.alloc(reg);
    expect(trace(m, "fstat", [3, buf], 0, { o: { verbose: true } })).toBe(
      "fstat(3, {st_dev=makedev(0xfe, 0), st_ino=739, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, " +
      "st_blksize=4096, st_blocks=8, st_size=1221, st_atime=1795713908 /* 2026-11-26T17:25:08.392660691+0000 */, " +
      "st_atime_nsec=392660691, st_mtime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_mtime_nsec=0, " +
      "st_ctime=1779294449 /* 2026-05-20T16:27:29+0000 */, st_ctime_nsec=0}) = 0");
    const dev = m.alloc(chr);
    expect(trace(m, "fstat", [3, dev], 0, { o: { verbose: true } })).toBe(
      "fstat(3, {st_dev=makedev(0, 0x6), st_ino=3, st_mode=S_IFCHR|0666, st_nlink=1, st_uid=0, st_gid=0, " +
      "st_blksize=4096, st_blocks=0, st_rdev=makedev(0x1, 0x3), st_atime=0, st_atime_nsec=0, st_mtime=0, " +
      "st_mtime_nsec=0, st_ctime=0, st_ctime_nsec=0}) = 0");
  });

  test("set-id bits, -X raw and -X verbose", () => {
    const dir = m.alloc(statBytes({ mode: 0o41777, size: 4096n }));
    expect(trace(m, "newfstatat", [AT_FDCWD, m.str("/tmp"), dir, 0x7000], 0))
      .toBe('newfstatat(AT_FDCWD, "/tmp", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}, AT_EMPTY_PATH|0x6000) = 0');
    const dev = m.alloc(chr);
    expect(trace(m, "fstat", [3, dev], 0, { o: { constStyle: "raw" } })).toBe("fstat(3, {st_mode=020666, st_rdev=0x103, ...}) = 0");
    expect(trace(m, "fstat", [3, dev], 0, { o: { constStyle: "verbose" } }))
      .toBe("fstat(3, {st_mode=020666 /* S_IFCHR|0666 */, st_rdev=0x103 /* makedev(0x1, 0x3) */, ...}) = 0");
  });

  test("a failed call's buffer is not read", () => {
    const buf = m.alloc(reg);
    expect(trace(m, "newfstatat", [AT_FDCWD, m.str("/nonexist"), buf, 0x100], E.ENOENT)).toBe(
      `newfstatat(AT_FDCWD, "/nonexist", 0x${buf.toString(16)}, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)`);
    expect(trace(m, "fstat", [99, buf], E.EBADF)).toBe(`fstat(99, 0x${buf.toString(16)}) = -1 EBADF (Bad file descriptor)`);
  });

  const statx = (mask: number): Uint8Array => pack([
    [4, mask], [4, 4096], [8, 0], [4, 1], [4, 0], [4, 0], [2, 0o100644], [2, 0], [8, 739], [8, 1221], [8, 8],
    [8, 0x303874], [8, 1795713908n], [4, 392660691], [4, 0], [8, 0], [4, 0], [4, 0], [8, 1779294449n], [4, 0], [4, 0],
    [8, 1779294449n], [4, 0], [4, 0], [4, 0], [4, 0], [4, 254], [4, 0], [8, 0x1a], [4, 0], [4, 0], [8, 0], [8, 0],
    [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0],
  ]);

  test("statx", () => {
    const buf = m.alloc(statx(0x1fff));
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0, 0xfff, buf], 0)).toBe(
      'statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, ' +
      "stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0");
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0x4100, 0x10000fff, buf], 0)).toBe(
      'statx(AT_FDCWD, "/etc/passwd", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, STATX_ALL|0x10000000, ' +
      "{stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1221, ...}) = 0");
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0x6000, 0x7ff, buf], 0)).toContain("AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC, STATX_BASIC_STATS, ");
    expect(trace(m, "statx", [1, m.str(""), 0x1000, 0x202, buf], 0)).toContain('statx(1, "", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_MODE|STATX_SIZE, ');
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0, 1, buf], E.ENOENT)).toBe(
      `statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_TYPE, 0x${buf.toString(16)}) = -1 ENOENT (No such file or directory)`);
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0x4100, 0xfff, buf], 0, { o: { constStyle: "verbose" } })).toContain(
      "0x4000 /* AT_STATX_DONT_SYNC */|0x100 /* AT_SYMLINK_NOFOLLOW */, 0xfff /* STATX_ALL */, {stx_mask=0x1fff /* STATX_ALL|STATX_MNT_ID */");
  });

  test("statx -v: times only for the fields the mask has", () => {
    const buf = m.alloc(statx(0x1fff));
    expect(trace(m, "statx", [AT_FDCWD, passwd, 0, 0xfff, buf], 0, { o: { verbose: true } })).toBe(
      'statx(AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_ALL|STATX_MNT_ID, stx_blksize=4096, ' +
      "stx_attributes=0, stx_nlink=1, stx_uid=0, stx_gid=0, stx_mode=S_IFREG|0644, stx_ino=739, stx_size=1221, stx_blocks=8, " +
      "stx_attributes_mask=STATX_ATTR_COMPRESSED|STATX_ATTR_IMMUTABLE|STATX_ATTR_APPEND|STATX_ATTR_NODUMP|STATX_ATTR_ENCRYPTED|" +
      "STATX_ATTR_AUTOMOUNT|STATX_ATTR_MOUNT_ROOT|STATX_ATTR_VERITY|STATX_ATTR_DAX, " +
      "stx_atime={tv_sec=1795713908, tv_nsec=392660691} /* 2026-11-26T17:25:08.392660691+0000 */, stx_btime={tv_sec=0, tv_nsec=0}, " +
      "stx_ctime={tv_sec=1779294449, tv_nsec=0} /* 2026-05-20T16:27:29+0000 */, " +
      "stx_mtime={tv_sec=1779294449, tv_nsec=0} /* 2026-05-20T16:27:29+0000 */, stx_rdev_major=0, stx_rdev_minor=0, " +
      "stx_dev_major=254, stx_dev_minor=0, stx_mnt_id=0x1a}) = 0");
    const partial = m.alloc(statx(0x173f));
    const line = trace(m, "statx", [AT_FDCWD, passwd, 0, 0x202, partial], 0, { o: { verbose: true } });
    expect(line).toContain("stx_atime={tv_sec=1795713908, tv_nsec=392660691} /* 2026-11-26T17:25:08.392660691+0000 */, stx_rdev_major=0");
    expect(line).not.toContain("stx_btime");
  });

  test("statfs and fstatfs", () => {
    const sfs = pack([[8, 0x858458f6], [8, 4096], [8, 100], [8, 50], [8, 40], [8, 1000], [8, 900], [4, 0], [4, 0],
      [8, 255], [8, 4096], [8, 0x21], [8, 0], [8, 0], [8, 0], [8, 0]]);
    const buf = m.alloc(sfs);
    const body = "{f_type=RAMFS_MAGIC, f_bsize=4096, f_blocks=100, f_bfree=50, f_bavail=40, f_files=1000, f_ffree=900, " +
      "f_fsid={val=[0, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RDONLY}";
    expect(trace(m, "statfs", [m.str("/"), buf], 0)).toBe(`statfs("/", ${body}) = 0`);
    expect(trace(m, "fstatfs", [3, buf], 0)).toBe(`fstatfs(3, ${body}) = 0`);
    const odd = m.alloc(pack([[8, 0x12345678], [8, 4096], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [4, 0xcd4dc567], [4, 0x23190837],
      [8, 255], [8, 4096], [8, 0xffffffff], [8, 0], [8, 0], [8, 0], [8, 0]]));
    expect(trace(m, "fstatfs", [3, odd], 0)).toBe(
      "fstatfs(3, {f_type=0x12345678, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, " +
      "f_fsid={val=[0xcd4dc567, 0x23190837]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RDONLY|ST_NOSUID|ST_NODEV|" +
      "ST_NOEXEC|ST_SYNCHRONOUS|ST_MANDLOCK|ST_NOATIME|ST_NODIRATIME|ST_RELATIME|ST_NOSYMFOLLOW|0xffffc380}) = 0");
  });
});

describe("names and links", () => {
  test("readlinkat and getcwd print the result whole, up to the return value", () => {
    const buf = m.alloc(new Uint8Array(256));
    expect(trace(m, "readlinkat", [AT_FDCWD, m.str("/proc/self/exe"), buf, 256], 9, {
      o: { stringLimit: 4 }, during: () => m.write(buf, new TextEncoder().encode("/tmp/p/p1")),
    })).toBe('readlinkat(AT_FDCWD, "/proc/self/exe", "/tmp/p/p1", 256) = 9');
    expect(trace(m, "readlinkat", [AT_FDCWD, m.str("/nonexist"), buf, 256], E.ENOENT))
      .toBe(`readlinkat(AT_FDCWD, "/nonexist", 0x${buf.toString(16)}, 256) = -1 ENOENT (No such file or directory)`);
    const cwd = m.alloc(new TextEncoder().encode("/tmp/p\0"));
    expect(trace(m, "getcwd", [cwd, 256], 7)).toBe('getcwd("/tmp/p", 256) = 7');
    expect(trace(m, "getcwd", [cwd, 1], -34)).toBe(`getcwd(0x${cwd.toString(16)}, 1) = -1 ERANGE (Numerical result out of range)`);
    expect(entryOnly(m, "getcwd", [cwd, 256])).toBe("getcwd(");
  });

  test("access modes: F_OK for zero, unknown bits", () => {
    expect(trace(m, "faccessat", [AT_FDCWD, passwd, 6], 0)).toBe('faccessat(AT_FDCWD, "/etc/passwd", R_OK|W_OK) = 0');
    expect(trace(m, "faccessat", [AT_FDCWD, passwd, 0], 0)).toBe('faccessat(AT_FDCWD, "/etc/passwd", F_OK) = 0');
    expect(trace(m, "faccessat", [AT_FDCWD, passwd, 0x10], E.EINVAL))
      .toBe('faccessat(AT_FDCWD, "/etc/passwd", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)');
    expect(trace(m, "faccessat2", [AT_FDCWD, passwd, 1, 0x300], -13))
      .toBe('faccessat2(AT_FDCWD, "/etc/passwd", X_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = -1 EACCES (Permission denied)');
    expect(trace(m, "faccessat2", [AT_FDCWD, m.str("a"), 0xffffffff, 0xffffffff], E.EINVAL))
      .toBe('faccessat2(AT_FDCWD, "a", R_OK|W_OK|X_OK|0xfffffff8, AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH|0xffffecff) = -1 EINVAL (Invalid argument)');
  });

  test("mkdirat, unlinkat, renameat2, symlinkat, linkat", () => {
    const d = m.str("/tmp/p/d");
    const a = m.str("/tmp/p/a");
    const b = m.str("/tmp/p/b");
    expect(trace(m, "mkdirat", [AT_FDCWD, d, 0o755], 0)).toBe('mkdirat(AT_FDCWD, "/tmp/p/d", 0755) = 0');
    expect(trace(m, "unlinkat", [AT_FDCWD, d, 0x200], 0)).toBe('unlinkat(AT_FDCWD, "/tmp/p/d", AT_REMOVEDIR) = 0');
    expect(trace(m, "unlinkat", [AT_FDCWD, m.str("/tmp/p/nope"), 0], E.ENOENT))
      .toBe('unlinkat(AT_FDCWD, "/tmp/p/nope", 0) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "renameat2", [AT_FDCWD, a, AT_FDCWD, b, 1], E.ENOENT))
      .toBe('renameat2(AT_FDCWD, "/tmp/p/a", AT_FDCWD, "/tmp/p/b", RENAME_NOREPLACE) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "renameat2", [AT_FDCWD, a, 3, b, 0], 0)).toBe('renameat2(AT_FDCWD, "/tmp/p/a", 3, "/tmp/p/b", 0) = 0');
    expect(trace(m, "symlinkat", [m.str("target"), AT_FDCWD, m.str("/tmp/p/l")], 0)).toBe('symlinkat("target", AT_FDCWD, "/tmp/p/l") = 0');
    expect(trace(m, "linkat", [AT_FDCWD, a, AT_FDCWD, b, 0x400], 0)).toBe('linkat(AT_FDCWD, "/tmp/p/a", AT_FDCWD, "/tmp/p/b", AT_SYMLINK_FOLLOW) = 0');
    expect(trace(m, "linkat", [AT_FDCWD, a, AT_FDCWD, b, 0xffffffff], E.EINVAL)).toBe(
      'linkat(AT_FDCWD, "/tmp/p/a", AT_FDCWD, "/tmp/p/b", AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|' +
      "AT_EMPTY_PATH|AT_RECURSIVE|0xffff60ff) = -1 EINVAL (Invalid argument)");
  });

  test("permissions and times", () => {
    expect(trace(m, "fchmod", [4, 0o644], 0)).toBe("fchmod(4, 0644) = 0");
    expect(trace(m, "fchmod", [4, 0o4755], 0)).toBe("fchmod(4, 04755) = 0");
    expect(trace(m, "fchmodat", [AT_FDCWD, x, 0o600], 0)).toBe('fchmodat(AT_FDCWD, "/tmp/p/x", 0600) = 0');
    expect(trace(m, "umask", [0o22], 0o22)).toBe("umask(022) = 022");
    expect(trace(m, "umask", [0o777], 0o22)).toBe("umask(0777) = 022");
    const UTIME_NOW = (1 << 30) - 1;
    const UTIME_OMIT = (1 << 30) - 2;
    const ts = m.struct([[8, 0], [8, UTIME_NOW], [8, 1700000000], [8, 123]]);
    expect(trace(m, "utimensat", [AT_FDCWD, x, ts, 0], 0)).toBe(
      'utimensat(AT_FDCWD, "/tmp/p/x", [UTIME_NOW, {tv_sec=1700000000, tv_nsec=123} /* 2023-11-14T22:13:20.000000123+0000 */], 0) = 0');
    const ts2 = m.struct([[8, 0], [8, UTIME_OMIT], [8, 5], [8, 0]]);
    expect(trace(m, "utimensat", [AT_FDCWD, x, ts2, 0x100], 0)).toBe(
      'utimensat(AT_FDCWD, "/tmp/p/x", [UTIME_OMIT, {tv_sec=5, tv_nsec=0} /* 1970-01-01T00:00:05+0000 */], AT_SYMLINK_NOFOLLOW) = 0');
    expect(trace(m, "utimensat", [4, 0, 0, 0], 0)).toBe("utimensat(4, NULL, NULL, 0) = 0");
    const both = m.struct([[8, 0], [8, UTIME_NOW], [8, 5], [8, UTIME_OMIT]]);
    expect(trace(m, "utimensat", [AT_FDCWD, m.str("a"), both, 0], 0, { o: { constStyle: "verbose" } })).toBe(
      'utimensat(-100 /* AT_FDCWD */, "a", [{tv_sec=0, tv_nsec=1073741823} /* UTIME_NOW */, {tv_sec=5, tv_nsec=1073741822} /* UTIME_OMIT */], 0) = 0');
    expect(trace(m, "utimensat", [AT_FDCWD, m.str("a"), both, 0], 0, { o: { constStyle: "raw" } }))
      .toBe('utimensat(-100, "a", [{tv_sec=0, tv_nsec=1073741823}, {tv_sec=5, tv_nsec=1073741822}], 0) = 0');
    const ts3 = m.struct([[8, -1], [8, 0], [8, 0], [8, 0xffffffff]]);
    expect(trace(m, "utimensat", [AT_FDCWD, m.str("a"), ts3, 0], 0)).toBe(
      'utimensat(AT_FDCWD, "a", [{tv_sec=-1, tv_nsec=0} /* 1969-12-31T23:59:59+0000 */, {tv_sec=0, tv_nsec=4294967295}], 0) = 0');
  });

  test("truncate, chdir, fchdir, mknodat, memfd_create", () => {
    expect(trace(m, "truncate", [x, 5], 0)).toBe('truncate("/tmp/p/x", 5) = 0');
    expect(trace(m, "chdir", [m.str("/tmp/p")], 0)).toBe('chdir("/tmp/p") = 0');
    expect(trace(m, "fchdir", [3], -20)).toBe("fchdir(3) = -1 ENOTDIR (Not a directory)");
    expect(trace(m, "mknodat", [AT_FDCWD, m.str("x"), 0o20660, 0x103], 0)).toBe('mknodat(AT_FDCWD, "x", S_IFCHR|0660, makedev(0x1, 0x3)) = 0');
    expect(trace(m, "mknodat", [AT_FDCWD, m.str("x"), 0o100644, 0], 0)).toBe('mknodat(AT_FDCWD, "x", S_IFREG|0644) = 0');
    expect(trace(m, "mknodat", [AT_FDCWD, m.str("x"), 0o644, 5], 0)).toBe('mknodat(AT_FDCWD, "x", 0644) = 0');
    expect(trace(m, "memfd_create", [m.str("x"), 5], 3)).toBe('memfd_create("x", MFD_CLOEXEC|MFD_HUGETLB) = 3');
    expect(trace(m, "memfd_create", [m.str("x"), 0x54000004], 3)).toBe('memfd_create("x", MFD_HUGETLB|21<<MFD_HUGE_SHIFT) = 3');
    expect(trace(m, "memfd_create", [m.str("x"), 0], 3)).toBe('memfd_create("x", 0) = 3');
  });
});
