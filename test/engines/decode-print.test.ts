// Constants, flags, signals and descriptors as strace prints them, under -X abbrev|raw|verbose and
// -y. Expected texts were checked against strace 6.1 (`strace -Xraw`, `-Xverbose`, `-y`).
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, opts, AT_FDCWD } from "./decode-helpers.js";
import { flags, xval, signal, signame, sigset, mode, dirfd, fd, timeComment } from "../../src/engines/strace/decode/print.js";
import { WHENCE, ACCESS_MODES, STATX_MASKS, AT_FLAGS } from "../../src/abi/xlat/fs.js";
import { MMAP_PROT } from "../../src/abi/xlat/mem.js";
import { CLOCK_NAMES } from "../../src/abi/xlat/time.js";

const abbrev = opts();
const raw = opts({ constStyle: "raw" });
const verbose = opts({ constStyle: "verbose" });

describe("xval", () => {
  test("known values by name, unknown ones in hex with the default as a comment", () => {
    expect(xval(2n, WHENCE, "SEEK_???", abbrev)).toBe("SEEK_END");
    expect(xval(0x11n, WHENCE, "SEEK_???", abbrev)).toBe("0x11 /* SEEK_??? */");
    expect(xval(0xfffffffen, CLOCK_NAMES, "CLOCK_???", abbrev, { bits: 32 })).toBe("0xfffffffe /* CLOCK_??? */");
  });

  test("-X raw and -X verbose", () => {
    expect(xval(2n, WHENCE, "SEEK_???", raw)).toBe("0x2");
    expect(xval(0n, WHENCE, "SEEK_???", raw)).toBe("0");
    expect(xval(2n, WHENCE, "SEEK_???", verbose)).toBe("0x2 /* SEEK_END */");
    expect(xval(0n, WHENCE, "SEEK_???", verbose)).toBe("0 /* SEEK_SET */");
    expect(xval(0x11n, WHENCE, "SEEK_???", verbose)).toBe("0x11 /* SEEK_??? */");
  });
});

describe("flags", () => {
  test("names in table order, unknown bits last", () => {
    expect(flags(3n, MMAP_PROT, "PROT_???", abbrev)).toBe("PROT_READ|PROT_WRITE");
    expect(flags(0n, MMAP_PROT, "PROT_???", abbrev)).toBe("PROT_NONE");
    expect(flags(0xffn, MMAP_PROT, "PROT_???", abbrev)).toBe("PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM|0xf0");
    expect(flags(0x1fffn, STATX_MASKS, "STATX_???", abbrev)).toBe("STATX_ALL|STATX_MNT_ID");
    expect(flags(0x7ffn, STATX_MASKS, "STATX_???", abbrev)).toBe("STATX_BASIC_STATS");
    expect(flags(0x7000n, AT_FLAGS, "AT_???", abbrev)).toBe("AT_EMPTY_PATH|0x6000");
  });

  test("nothing named: the number with the default; zero as 0", () => {
    expect(flags(0x10n, ACCESS_MODES, "?_OK", abbrev)).toBe("0x10 /* ?_OK */");
    expect(flags(0n, AT_FLAGS, "AT_???", abbrev)).toBe("0");
    expect(flags(0n, AT_FLAGS, undefined, abbrev)).toBe("");
  });

  test("-X raw and -X verbose", () => {
    expect(flags(0x1fffn, STATX_MASKS, "STATX_???", raw)).toBe("0x1fff");
    expect(flags(0x1fffn, STATX_MASKS, "STATX_???", verbose)).toBe("0x1fff /* STATX_ALL|STATX_MNT_ID */");
    expect(flags(0x10000fffn, STATX_MASKS, "STATX_???", verbose)).toBe("0x10000fff /* STATX_ALL|0x10000000 */");
    expect(flags(0x10n, ACCESS_MODES, "?_OK", verbose)).toBe("0x10 /* ?_OK */");
  });
});

describe("signals", () => {
  test("names, real-time signals as strace names them, numbers otherwise", () => {
    expect(signame(9)).toBe("SIGKILL");
    expect(signame(32)).toBe("SIGRTMIN");
    expect(signame(33)).toBe("SIGRT_1");
    expect(signame(64)).toBe("SIGRT_32");
    expect(signal(65, abbrev)).toBe("65");
    expect(signal(0, abbrev)).toBe("0");
    expect(signal(-1, abbrev)).toBe("-1");
    expect(signal(10, raw)).toBe("10");
    expect(signal(10, verbose)).toBe("10 /* SIGUSR1 */");
  });

  test("signal sets, and their complement when at least half are in", () => {
    const set = (...sigs: number[]): Uint8Array => {
      let v = 0n;
      for (const s of sigs) v |= 1n << BigInt(s - 1);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, v, true);
      return b;
    };
    const all = (v: bigint): Uint8Array => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, v, true);
      return b;
    };
    expect(sigset(set(2, 15), abbrev)).toBe("[INT TERM]");
    expect(sigset(set(), abbrev)).toBe("[]");
    expect(sigset(set(31, 32, 33, 63, 64), abbrev)).toBe("[SYS RTMIN RT_1 RT_31 RT_32]");
    expect(sigset(all(~0n), abbrev)).toBe("~[]");
    expect(sigset(all(~(1n << 1n)), abbrev)).toBe("~[INT]");
    expect(sigset(all(~((1n << 31n) | (1n << 32n))), abbrev)).toBe("~[RTMIN RT_1]");
    expect(sigset(set(2, 15), raw)).toBe("[2 15]");
    expect(sigset(set(2, 15), verbose)).toBe("[2 /* INT */ 15 /* TERM */]");
  });
});

describe("numbers", () => {
  test("modes in %#03o", () => {
    expect(mode(0o644n)).toBe("0644");
    expect(mode(0n)).toBe("000");
    expect(mode(0o4755n)).toBe("04755");
    expect(mode(0o22n)).toBe("022");
  });

  test("time comments are UTC, with nanoseconds when there are any", () => {
    expect(timeComment(1700000000n, 123n, 9)).toBe(" /* 2023-11-14T22:13:20.000000123+0000 */");
    expect(timeComment(5n, 0n, 9)).toBe(" /* 1970-01-01T00:00:05+0000 */");
    expect(timeComment(-1n, 0n, 9)).toBe(" /* 1969-12-31T23:59:59+0000 */");
    expect(timeComment(0n, 0n, 9)).toBe("");
    expect(timeComment(100000000n, 1000000000n, 9)).toBe("");
  });
});

describe("-y", () => {
  const paths: Record<number, string> = { 3: "/etc/passwd", 4: "/tmp/p/z", 5: "/tmp/a<b>" };
  const y = opts({ decodeFds: true, fdPath: (n) => paths[n], cwd: () => "/tmp/p" });

  test("descriptors with their paths; AT_FDCWD with the working directory", () => {
    expect(fd(3n, y)).toBe("3</etc/passwd>");
    expect(fd(7n, y)).toBe("7");
    expect(fd(BigInt.asUintN(64, -1n), y)).toBe("-1");
    expect(fd(5n, y)).toBe("5</tmp/a\\74b\\76>");
    expect(dirfd(BigInt.asUintN(64, -100n), y)).toBe("AT_FDCWD</tmp/p>");
    expect(dirfd(BigInt.asUintN(64, -100n), abbrev)).toBe("AT_FDCWD");
    expect(dirfd(BigInt.asUintN(64, -100n), raw)).toBe("-100");
    expect(dirfd(BigInt.asUintN(64, -100n), verbose)).toBe("-100 /* AT_FDCWD */");
  });

  test("in call lines, including returned descriptors", () => {
    const m = new FakeMemory();
    const yo = { decodeFds: true, fdPath: (n: number) => paths[n], cwd: () => "/tmp/p" };
    expect(trace(m, "openat", [AT_FDCWD, m.str("/etc/passwd"), 0x80000], 3, { o: yo }))
      .toBe('openat(AT_FDCWD</tmp/p>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>');
    expect(trace(m, "lseek", [3, 0, 2], 1221, { o: yo })).toBe("lseek(3</etc/passwd>, 0, SEEK_END) = 1221");
    expect(trace(m, "close", [3], 0, { o: yo })).toBe("close(3</etc/passwd>) = 0");
    expect(trace(m, "read", [-100, 0x7ffd0, 1], -9, { o: yo })).toBe("read(-100, 0x7ffd0, 1) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "dup", [3], 4, { o: yo })).toBe("dup(3</etc/passwd>) = 4</tmp/p/z>");
  });
});

describe("-X in call lines", () => {
  const m = new FakeMemory();
  const p = m.str("/etc/passwd");
  test("raw", () => {
    expect(trace(m, "openat", [AT_FDCWD, p, 0x80000], 3, { o: { constStyle: "raw" } })).toBe('openat(-100, "/etc/passwd", 0x80000) = 3');
    expect(trace(m, "openat", [AT_FDCWD, p, 0x41, 0o644], 4, { o: { constStyle: "raw" } })).toBe('openat(-100, "/etc/passwd", 0x41, 0644) = 4');
    expect(trace(m, "lseek", [3, 0, 2], 1221, { o: { constStyle: "raw" } })).toBe("lseek(3, 0, 0x2) = 1221");
    expect(trace(m, "mmap", [0, 4096, 1, 2, 3, 0], 0x7f0000, { o: { constStyle: "raw" } })).toBe("mmap(NULL, 4096, 0x1, 0x2, 3, 0) = 0x7f0000");
    expect(trace(m, "kill", [999999, 32], -3, { o: { constStyle: "raw" } })).toBe("kill(999999, 32) = -1 ESRCH (No such process)");
  });
  test("verbose", () => {
    expect(trace(m, "openat", [AT_FDCWD, p, 0x80000], 3, { o: { constStyle: "verbose" } }))
      .toBe('openat(-100 /* AT_FDCWD */, "/etc/passwd", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3');
    expect(trace(m, "openat", [AT_FDCWD, p, 0], 3, { o: { constStyle: "verbose" } }))
      .toBe('openat(-100 /* AT_FDCWD */, "/etc/passwd", 0 /* O_RDONLY */) = 3');
    expect(trace(m, "mmap", [0, 4096, 1, 2, 3, 0], 0x7f0000, { o: { constStyle: "verbose" } }))
      .toBe("mmap(NULL, 4096, 0x1 /* PROT_READ */, 0x2 /* MAP_PRIVATE */, 3, 0) = 0x7f0000");
    expect(trace(m, "kill", [999999, 32], -3, { o: { constStyle: "verbose" } })).toBe("kill(999999, 32 /* SIGRTMIN */) = -1 ESRCH (No such process)");
  });
});
