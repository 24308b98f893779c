// Descriptor syscalls: I/O buffers, iovecs, lseek, getdents64, fcntl, ioctl, pipe2, flock, select
// and poll. Expectations are strace 6.1's lines for the same calls.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, E } from "./decode-helpers.js";

const m = new FakeMemory();
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("read and write", () => {
  test("read prints what was read, cut at -s; nothing when it failed", () => {
    const buf = m.alloc(new Uint8Array(1024));
    const data = enc("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin");
    expect(trace(m, "read", [3, buf, 1024], 60, { during: () => m.write(buf, data) }))
      .toBe('read(3, "root:x:0:0:root:/root:/bin/bash\\n"..., 1024) = 60');
    expect(trace(m, "read", [3, buf, 10], 10)).toBe('read(3, "root:x:0:0", 10) = 10');
    expect(trace(m, "read", [3, buf, 0], 0)).toBe('read(3, "", 0) = 0');
    expect(trace(m, "read", [99, buf, 10], E.EBADF)).toBe(`read(99, 0x${buf.toString(16)}, 10) = -1 EBADF (Bad file descriptor)`);
    expect(entryOnly(m, "read", [3, buf, 10])).toBe("read(3, ");
  });

  test("write prints its buffer at entry", () => {
    const data = m.alloc(enc("a\u0000b"));
    expect(trace(m, "write", [4, data, 3], 3)).toBe('write(4, "a\\0b", 3) = 3');
    expect(trace(m, "write", [1, m.alloc(enc("hello\n")), 6], 6)).toBe('write(1, "hello\\n", 6) = 6');
    expect(trace(m, "write", [4, 0x8, 10], E.EFAULT)).toBe("write(4, 0x8, 10) = -1 EFAULT (Bad address)");
    expect(entryOnly(m, "write", [1, data, 3])).toBe('write(1, "a\\0b", 3');
  });

  test("the buffer is snapshotted at entry", () => {
    const data = m.alloc(enc("before"));
    expect(trace(m, "write", [1, data, 6], 6, { during: () => m.write(data, enc("after!")) })).toBe('write(1, "before", 6) = 6');
  });

  test("pread64 and pwrite64", () => {
    const buf = m.alloc(enc("x:0:0:root"));
    expect(trace(m, "pread64", [3, buf, 10, 5], 10)).toBe('pread64(3, "x:0:0:root", 10, 5) = 10');
    expect(trace(m, "pwrite64", [4, m.alloc(enc("abc")), 3, 100], 3)).toBe('pwrite64(4, "abc", 3, 100) = 3');
  });
});

describe("iovecs", () => {
  const hello = m.alloc(enc("hello"));
  const world = m.alloc(enc("world!"));
  const iov = m.struct([[8, hello], [8, 5], [8, world], [8, 6]]);

  test("writev", () => {
    expect(trace(m, "writev", [4, iov, 2], 11)).toBe('writev(4, [{iov_base="hello", iov_len=5}, {iov_base="world!", iov_len=6}], 2) = 11');
    expect(trace(m, "pwritev", [4, iov, 1, 7], 5)).toBe('pwritev(4, [{iov_base="hello", iov_len=5}], 1, 7) = 5');
  });

  test("readv shows only what was read; addresses when it failed", () => {
    const a = m.alloc(enc("root:xxxxx"));
    const b = m.alloc(enc("x:0:0:root:/root:/bin/bash\ndaemon:x:1:1"));
    const rio = m.struct([[8, a], [8, 5], [8, b], [8, 100]]);
    expect(trace(m, "readv", [3, rio, 2], 105)).toBe(
      'readv(3, [{iov_base="root:", iov_len=5}, {iov_base="x:0:0:root:/root:/bin/bash\\ndaemo"..., iov_len=100}], 2) = 105');
    const three = m.struct([[8, a], [8, 3], [8, b], [8, 5], [8, b], [8, 4]]);
    expect(trace(m, "readv", [3, three, 3], 4)).toBe(
      'readv(3, [{iov_base="roo", iov_len=3}, {iov_base="x", iov_len=5}, {iov_base="", iov_len=4}], 3) = 4');
    expect(trace(m, "readv", [99, rio, 2], E.EBADF)).toBe(
      `readv(99, [{iov_base=0x${a.toString(16)}, iov_len=5}, {iov_base=0x${b.toString(16)}, iov_len=100}], 2) = -1 EBADF (Bad file descriptor)`);
    expect(trace(m, "preadv", [3, rio, 1, 7], 5)).toBe('preadv(3, [{iov_base="root:", iov_len=5}], 1, 7) = 5');
    expect(trace(m, "preadv2", [3, rio, 1, 7, 0, 8], 5)).toBe('preadv2(3, [{iov_base="root:", iov_len=5}], 1, 7, RWF_NOWAIT) = 5');
  });
});

describe("offsets, descriptors, pipes, locks", () => {
  test("lseek", () => {
    expect(trace(m, "lseek", [3, 0, 0], 0)).toBe("lseek(3, 0, SEEK_SET) = 0");
    expect(trace(m, "lseek", [3, -5, 17], E.EINVAL)).toBe("lseek(3, -5, 0x11 /* SEEK_??? */) = -1 EINVAL (Invalid argument)");
  });

  test("close, close_range, dup, dup3", () => {
    expect(trace(m, "close", [99], E.EBADF)).toBe("close(99) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "close_range", [100, 0xffffffff, 0], 0)).toBe("close_range(100, 4294967295, 0) = 0");
    expect(trace(m, "close_range", [100, 200, 4], 0)).toBe("close_range(100, 200, CLOSE_RANGE_CLOEXEC) = 0");
    expect(trace(m, "dup", [3], 6)).toBe("dup(3) = 6");
    expect(trace(m, "dup3", [3, 10, 0x80000], 10)).toBe("dup3(3, 10, O_CLOEXEC) = 10");
  });

  test("pipe2 prints the pair on success", () => {
    const fds = m.alloc(new Uint8Array(8));
    expect(trace(m, "pipe2", [fds, 0x80800], 0, { during: () => m.write(fds, pack([[4, 8], [4, 9]])) }))
      .toBe("pipe2([8, 9], O_NONBLOCK|O_CLOEXEC) = 0");
    expect(trace(m, "pipe2", [8, 0], E.EFAULT)).toBe("pipe2(0x8, 0) = -1 EFAULT (Bad address)");
    expect(trace(m, "pipe2", [0, 0xffffffff], E.EINVAL)).toBe(
      "pipe2(NULL, O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|" +
      "O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003f) = -1 EINVAL (Invalid argument)");
  });

  test("ftruncate, fsync, fdatasync, flock", () => {
    expect(trace(m, "ftruncate", [4, 100], 0)).toBe("ftruncate(4, 100) = 0");
    expect(trace(m, "fsync", [4], 0)).toBe("fsync(4) = 0");
    expect(trace(m, "fdatasync", [4], 0)).toBe("fdatasync(4) = 0");
    expect(trace(m, "flock", [4, 6], 0)).toBe("flock(4, LOCK_EX|LOCK_NB) = 0");
    expect(trace(m, "flock", [4, 0x80], E.EINVAL)).toBe("flock(4, LOCK_WRITE) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "flock", [0, 0xe0], 0)).toBe("flock(0, LOCK_MAND|LOCK_RW) = 0");
    expect(trace(m, "flock", [0, 0xffffffff], 0)).toBe("flock(0, LOCK_SH|LOCK_EX|LOCK_NB|LOCK_UN|LOCK_MAND|LOCK_RW|0xffffff10) = 0");
  });
});

describe("getdents64", () => {
  const dirent = (ino: number, off: bigint, type: number, name: string): [number, number | bigint][] => {
    const reclen = (19 + name.length + 1 + 7) & ~7;
    const fields: [number, number | bigint][] = [[8, ino], [8, off], [2, reclen], [1, type]];
    for (const c of enc(name)) fields.push([1, c]);
    for (let i = 19 + name.length; i < reclen; i++) fields.push([1, 0]);
    return fields;
  };
  const buf = m.alloc(pack([
    ...dirent(2156837, 3222642711288119079n, 4, "."),
    ...dirent(2156843, 6357504699377170974n, 8, "file2"),
    ...dirent(2146728, 7703682767179088511n, 4, ".."),
    ...dirent(2156842, 9223372036854775807n, 8, "file1"),
  ]));

  test("abbreviated: the address and the number of entries", () => {
    expect(trace(m, "getdents64", [3, buf, 4096], 112)).toBe(`getdents64(3, 0x${buf.toString(16)} /* 4 entries */, 4096) = 112`);
    expect(trace(m, "getdents64", [3, buf, 4096], 0)).toBe(`getdents64(3, 0x${buf.toString(16)} /* 0 entries */, 4096) = 0`);
    expect(trace(m, "getdents64", [99, buf, 256], E.EBADF)).toBe(`getdents64(99, 0x${buf.toString(16)}, 256) = -1 EBADF (Bad file descriptor)`);
  });

  test("-v: every entry", () => {
    expect(trace(m, "getdents64", [3, buf, 4096], 112, { o: { verbose: true } })).toBe(
      "getdents64(3, [{d_ino=2156837, d_off=3222642711288119079, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, " +
      "{d_ino=2156843, d_off=6357504699377170974, d_reclen=32, d_type=DT_REG, d_name=\"file2\"}, " +
      "{d_ino=2146728, d_off=7703682767179088511, d_reclen=24, d_type=DT_DIR, d_name=\"..\"}, " +
      "{d_ino=2156842, d_off=9223372036854775807, d_reclen=32, d_type=DT_REG, d_name=\"file1\"}], 4096) = 112");
    expect(trace(m, "getdents64", [3, buf, 4096], 0, { o: { verbose: true } })).toBe("getdents64(3, [], 4096) = 0");
  });
});

describe("fcntl", () => {
  test("commands without an argument, and their return texts", () => {
    expect(trace(m, "fcntl", [3, 1], 1)).toBe("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
    expect(trace(m, "fcntl", [3, 1], 0)).toBe("fcntl(3, F_GETFD) = 0");
    expect(trace(m, "fcntl", [3, 3], 0x8000)).toBe("fcntl(3, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)");
    expect(trace(m, "fcntl", [4, 3], 0x8001)).toBe("fcntl(4, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)");
    expect(trace(m, "fcntl", [3, 3], 0)).toBe("fcntl(3, F_GETFL) = 0 (flags O_RDONLY)");
    expect(trace(m, "fcntl", [3, 1025], 0)).toBe("fcntl(3, F_GETLEASE) = 0 (F_RDLCK)");
    expect(trace(m, "fcntl", [3, 1034], 10)).toBe("fcntl(3, F_GET_SEALS) = 0xa (seals F_SEAL_SHRINK|F_SEAL_WRITE)");
    expect(trace(m, "fcntl", [3, 11], 10)).toBe("fcntl(3, F_GETSIG) = 10 (SIGUSR1)");
    expect(trace(m, "fcntl", [3, 9], 0)).toBe("fcntl(3, F_GETOWN) = 0");
    expect(trace(m, "fcntl", [3, 1032], E.EBADF)).toBe("fcntl(3, F_GETPIPE_SZ) = -1 EBADF (Bad file descriptor)");
  });

  test("commands with an argument", () => {
    expect(trace(m, "fcntl", [3, 2, 1], 0)).toBe("fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
    expect(trace(m, "fcntl", [3, 4, 0x800], 0)).toBe("fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0");
    expect(trace(m, "fcntl", [3, 1030, 0], 7)).toBe("fcntl(3, F_DUPFD_CLOEXEC, 0) = 7");
    expect(trace(m, "fcntl", [3, 0, 20], 20)).toBe("fcntl(3, F_DUPFD, 20) = 20");
    expect(trace(m, "fcntl", [3, 1031, 4096], E.EBADF)).toBe("fcntl(3, F_SETPIPE_SZ, 4096) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "fcntl", [3, 1033, 9], -1)).toBe("fcntl(3, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_WRITE) = -1 EPERM (Operation not permitted)");
    expect(trace(m, "fcntl", [3, 8, 123], -3)).toBe("fcntl(3, F_SETOWN, 123) = -1 ESRCH (No such process)");
    expect(trace(m, "fcntl", [3, 10, 10], 0)).toBe("fcntl(3, F_SETSIG, SIGUSR1) = 0");
    expect(trace(m, "fcntl", [3, 1024, 0], 0)).toBe("fcntl(3, F_SETLEASE, F_RDLCK) = 0");
    expect(trace(m, "fcntl", [3, 1026, 0x80000002], -20)).toBe("fcntl(3, F_NOTIFY, DN_MODIFY|DN_MULTISHOT) = -1 ENOTDIR (Not a directory)");
    expect(trace(m, "fcntl", [3, 12345, 5], E.EINVAL)).toBe("fcntl(3, 0x3039 /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)");
  });

  test("locks", () => {
    const fl = m.alloc(pack([[2, 1], [2, 0], [4, 0], [8, 0], [8, 0], [4, 0], [4, 0]]));
    expect(trace(m, "fcntl", [4, 6, fl], 0)).toBe("fcntl(4, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = 0");
    expect(trace(m, "fcntl", [4, 38, fl], 0)).toBe("fcntl(4, F_OFD_SETLKW, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=0}) = 0");
    expect(trace(m, "fcntl", [4, 5, fl], 0, { during: () => m.write(fl, pack([[2, 2]])) }))
      .toBe("fcntl(4, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=0, l_pid=0}) = 0");
    const own = m.alloc(pack([[4, 1], [4, 12345]]));
    expect(trace(m, "fcntl", [3, 15, own], 0)).toBe("fcntl(3, F_SETOWN_EX, {type=F_OWNER_PID, pid=12345}) = 0");
  });
});

describe("ioctl", () => {
  test("terminal requests that fail on a non-terminal print the address", () => {
    expect(trace(m, "ioctl", [0, 0x5401, 0x7ffff2657e90n], E.ENOTTY)).toBe("ioctl(0, TCGETS, 0x7ffff2657e90) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x5413, 0x7ffff2657e88n], E.ENOTTY)).toBe("ioctl(0, TIOCGWINSZ, 0x7ffff2657e88) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x541b, 0x7ffff2657e84n], E.ENOTTY)).toBe("ioctl(0, FIONREAD, 0x7ffff2657e84) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x5401, 0], E.ENOTTY)).toBe("ioctl(0, TCGETS, NULL) = -1 ENOTTY (Inappropriate ioctl for device)");
  });

  test("TCGETS abbreviated and with -v", () => {
    const t = m.alloc(pack([[4, 0x4500], [4, 0x5], [4, 0xbf], [4, 0x8a3b], [1, 0],
      ...[0x03, 0x1c, 0x7f, 0x15, 0x04, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0].map((c): [number, number] => [1, c])]));
    expect(trace(m, "ioctl", [1, 0x5401, t], 0)).toBe(
      "ioctl(1, TCGETS, {c_iflag=ICRNL|IXON|IUTF8, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, " +
      "c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0");
    expect(trace(m, "ioctl", [1, 0x5401, t], 0, { o: { verbose: true } })).toBe(
      "ioctl(1, TCGETS, {c_iflag=ICRNL|IXON|IUTF8, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, " +
      "c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, " +
      "[VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, " +
      "[VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}) = 0");
  });

  test("TCSETS decodes at entry, with strace's sequencer-collision name", () => {
    const t = m.alloc(pack([[4, 0], [4, 0], [4, 0], [4, 0], [1, 0], ...Array.from({ length: 19 }, (): [number, number] => [1, 0])]));
    expect(trace(m, "ioctl", [0, 0x5402, t], 0)).toBe(
      "ioctl(0, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}) = 0");
    const all = m.alloc(pack([[4, 0xffffffff], [4, 0xffffffff], [4, 0xffffffff], [4, 0xffffffff], [1, 0], ...Array.from({ length: 19 }, (): [number, number] => [1, 0])]));
    expect(trace(m, "ioctl", [0, 0x5401, all], 0)).toBe(
      "ioctl(0, TCGETS, {c_iflag=IGNBRK|BRKINT|IGNPAR|PARMRK|INPCK|ISTRIP|INLCR|IGNCR|ICRNL|IUCLC|IXON|IXANY|IXOFF|IMAXBEL|IUTF8|0xffff8000, " +
      "c_oflag=NL1|CR3|XTABS|BS1|VT1|FF1|OPOST|OLCUC|ONLCR|OCRNL|ONOCR|ONLRET|OFILL|OFDEL|0xffff0000, " +
      "c_cflag=B4000000|B4000000<<IBSHIFT|CS8|CSTOPB|CREAD|PARENB|PARODD|HUPCL|CLOCAL|CMSPAR|CRTSCTS|0x2ff0e000, " +
      "c_lflag=ISIG|ICANON|XCASE|ECHO|ECHOE|ECHOK|ECHONL|NOFLSH|IEXTEN|ECHOCTL|ECHOPRT|ECHOKE|FLUSHO|PENDIN|TOSTOP|EXTPROC|0xfffe2000, ...}) = 0");
  });

  test("window sizes, ints, no-argument requests", () => {
    const ws = m.alloc(pack([[2, 24], [2, 80], [2, 0], [2, 0]]));
    expect(trace(m, "ioctl", [1, 0x5413, ws], 0)).toBe("ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0");
    expect(trace(m, "ioctl", [1, 0x5414, ws], E.ENOTTY)).toBe("ioctl(1, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = -1 ENOTTY (Inappropriate ioctl for device)");
    const n = m.alloc(pack([[4, 5]]));
    expect(trace(m, "ioctl", [0, 0x541b, n], 0)).toBe("ioctl(0, FIONREAD, [5]) = 0");
    expect(trace(m, "ioctl", [0, 0x5421, n], 0)).toBe("ioctl(0, FIONBIO, [5]) = 0");
    expect(trace(m, "ioctl", [0, 0x5452, n], E.ENOTTY)).toBe("ioctl(0, FIOASYNC, [5]) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x5410, n], E.ENOTTY)).toBe("ioctl(0, TIOCSPGRP, [5]) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x540f, n], 0)).toBe("ioctl(0, TIOCGPGRP, [5]) = 0");
    expect(trace(m, "ioctl", [0, 0x5451], 0)).toBe("ioctl(0, FIOCLEX) = 0");
    expect(trace(m, "ioctl", [0, 0x5450], 0)).toBe("ioctl(0, FIONCLEX) = 0");
    expect(trace(m, "ioctl", [0, 0x540a, 0], 0)).toBe("ioctl(0, TCXONC, TCOOFF) = 0");
    expect(trace(m, "ioctl", [0, 0x540b, 0], 0)).toBe("ioctl(0, TCFLSH, TCIFLUSH) = 0");
    expect(trace(m, "ioctl", [0, 0x5409, 0], 0)).toBe("ioctl(0, TCSBRK, 0) = 0");
  });

  test("unknown requests as _IOC(...)", () => {
    expect(trace(m, "ioctl", [0, 0x80047812, 0x7ffff2657e84n], E.ENOTTY))
      .toBe("ioctl(0, _IOC(_IOC_READ, 0x78, 0x12, 0x4), 0x7ffff2657e84) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x1234, 0x5678], E.ENOTTY)).toBe("ioctl(0, _IOC(_IOC_NONE, 0x12, 0x34, 0), 0x5678) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0xc12cabcd, 0], E.ENOTTY)).toBe("ioctl(0, _IOC(_IOC_READ|_IOC_WRITE, 0xab, 0xcd, 0x12c), 0) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x40049409, 3], E.ENOTTY)).toBe("ioctl(0, BTRFS_IOC_CLONE or FICLONE, 3) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "ioctl", [0, 0x5401, 0], 0, { o: { constStyle: "verbose" } })).toBe("ioctl(0, 0x5401 /* TCGETS */, NULL) = 0");
    expect(trace(m, "ioctl", [0, 0x5401, 0], 0, { o: { constStyle: "raw" } })).toBe("ioctl(0, 0x5401, NULL) = 0");
  });
});

describe("select and poll", () => {
  test("pselect6 with its result sets and remaining time", () => {
    const r = m.alloc(pack([[8, 3]]));
    const w = m.alloc(pack([[8, 2]]));
    const x = m.alloc(pack([[8, 1]]));
    const tmo = m.struct([[8, 0], [8, 1]]);
    expect(trace(m, "pselect6", [2, r, w, x, tmo, 0], 2))
      .toBe("pselect6(2, [0 1], [1], [0], {tv_sec=0, tv_nsec=1}, NULL) = 2 (in [0 1], left {tv_sec=0, tv_nsec=1})");
    const sig = m.struct([[8, 0], [8, 0xffffffff]]);
    expect(trace(m, "pselect6", [2, r, 0, x, tmo, sig], 0))
      .toBe("pselect6(2, [0 1], NULL, [0], {tv_sec=0, tv_nsec=1}, {sigmask=NULL, sigsetsize=4294967295}) = 0 (Timeout)");
  });

  test("ppoll", () => {
    const fds = m.alloc(pack([[4, 0], [2, 3], [2, 0], [4, 1], [2, 4], [2, 0]]));
    const tmo = m.struct([[8, 0], [8, 0]]);
    expect(trace(m, "ppoll", [fds, 2, tmo, 0, 8], 2, { during: () => m.write(fds, pack([[4, 0], [2, 3], [2, 1], [4, 1], [2, 4], [2, 4]])) }))
      .toBe("ppoll([{fd=0, events=POLLIN|POLLPRI}, {fd=1, events=POLLOUT}], 2, {tv_sec=0, tv_nsec=0}, NULL, 8) = 2 " +
        "([{fd=0, revents=POLLIN}, {fd=1, revents=POLLOUT}], left {tv_sec=0, tv_nsec=0})");
    const one = m.alloc(pack([[4, 0], [2, 1], [2, 0]]));
    expect(trace(m, "ppoll", [one, 1, 0, 0, 8], 0)).toBe("ppoll([{fd=0, events=POLLIN}], 1, NULL, NULL, 8) = 0 (Timeout)");
  });

  test("epoll_ctl", () => {
    const ev = m.alloc(pack([[4, 1], [4, 0], [8, 0xabcd00000000n]]));
    expect(trace(m, "epoll_ctl", [-1, 1, 3, ev], E.EBADF))
      .toBe("epoll_ctl(-1, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=0, u64=188896956645376}}) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "epoll_ctl", [-1, 4, 3, 0], E.EFAULT)).toBe("epoll_ctl(-1, 0x4 /* EPOLL_CTL_??? */, 3, NULL) = -1 EFAULT (Bad address)");
    // EPOLL_CTL_DEL takes no event: strace prints the pointer only.
    expect(trace(m, "epoll_ctl", [3, 2, 4, ev], 0)).toBe(`epoll_ctl(3, EPOLL_CTL_DEL, 4, 0x${ev.toString(16)}) = 0`);
  });
});
