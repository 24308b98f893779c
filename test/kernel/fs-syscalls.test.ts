// The fs syscall handlers through registers and guest memory, on a fake task (a real Hart,
// AddressSpace, FdTable and Vfs; a minimal stand-in for Process and Kernel).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GuestFault, type AddressSpace } from "../../src/mem/address-space.js";
import { E } from "../../src/abi/gen/errno.js";
import type { SyscallName } from "../../src/abi/gen/syscall-numbers.js";
import { fsSyscalls } from "../../src/kernel/syscalls/fs.js";
import { memfdSyscalls } from "../../src/kernel/syscalls/memfd.js";
import { AT, F, IOCTL, O, S } from "../../src/abi/fs.js";
import { Vfs } from "../../src/kernel/vfs/vfs.js";
import { Blocked } from "../../src/kernel/wait-queue.js";
import { FakeTask, type FakeProcess } from "./fake-task.js";

let tmp: string;
let vfs: Vfs;
const BASE = 0x10000;
const SIZE = 0x40000;
let rig: FakeTask;
let mem: AddressSpace;
let proc: FakeProcess;
let brokenPipes = 0;

const sys = (name: SyscallName, ...args: (number | bigint)[]) => rig.sys(name, ...args);
const alloc = (size: number, content?: Uint8Array) => rig.alloc(size, content);
const cstr = (s: string) => rig.cstr(s);
const str = (p: number, n: number) => rig.str(p, n);

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-fs-")));
  fs.mkdirSync(path.join(tmp, "d"));
  fs.writeFileSync(path.join(tmp, "hello.txt"), "hello, world\n");
  fs.writeFileSync(path.join(tmp, "d", "inner"), "in");
  fs.symlinkSync("hello.txt", path.join(tmp, "ln"));
  vfs = new Vfs({
    mounts: [{ host: tmp, guest: "/w", readOnly: false }],
    exeHostPath: "",
    exeGuestPath: "",
    hostHasTty: false,
  });
  vfs.onBrokenPipe = () => brokenPipes++;
  rig = new FakeTask(vfs, [...fsSyscalls, ...memfdSyscalls], BASE, SIZE);
  mem = rig.mem;
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  rig.reset();
  proc = rig.proc;
});

describe("open, read, write, close", () => {
  it("opens relative to the working directory and reads into guest memory", () => {
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(fd).toBe(0);
    const buf = alloc(64);
    expect(sys("read", fd, buf, 64)).toBe(13);
    expect(str(buf, 13)).toBe("hello, world\n");
    expect(sys("read", fd, buf, 64)).toBe(0);
    expect(sys("lseek", fd, 7, 0)).toBe(7);
    expect(sys("read", fd, buf, 5)).toBe(5);
    expect(str(buf, 5)).toBe("world");
    expect(sys("write", fd, buf, 1)).toBe(-E.EBADF);
    expect(sys("close", fd)).toBe(0);
    expect(sys("close", fd)).toBe(-E.EBADF);
    expect(sys("read", 99, buf, 1)).toBe(-E.EBADF);
  });

  it("creates with the umask applied and writes", () => {
    const fd = sys("openat", AT.FDCWD, cstr("new.txt"), O.WRONLY | O.CREAT | O.TRUNC | O.CLOEXEC, 0o666) as number;
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(proc.fds.isCloexec(fd)).toBe(true);
    expect(sys("write", fd, cstr("data"), 4)).toBe(4);
    expect(fs.readFileSync(path.join(tmp, "new.txt"), "latin1")).toBe("data");
    expect(fs.statSync(path.join(tmp, "new.txt")).mode & 0o777).toBe(0o644);
    expect(sys("read", fd, alloc(4), 4)).toBe(-E.EBADF);
  });

  it("resolves relative to a directory descriptor and checks it", () => {
    const dfd = sys("openat", AT.FDCWD, cstr("d"), O.RDONLY | O.DIRECTORY, 0) as number;
    const fd = sys("openat", dfd, cstr("inner"), O.RDONLY, 0) as number;
    expect(fd).toBeGreaterThan(dfd);
    const ffd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(sys("openat", ffd, cstr("x"), O.RDONLY, 0)).toBe(-E.ENOTDIR);
    expect(sys("openat", 77, cstr("x"), O.RDONLY, 0)).toBe(-E.EBADF);
    // absolute paths ignore dirfd entirely
    expect(sys("openat", 77, cstr("/w/hello.txt"), O.RDONLY, 0)).toBeGreaterThanOrEqual(0);
  });

  it("turns bad pointers into GuestFault (EFAULT at the dispatcher) and long paths into ENAMETOOLONG", () => {
    expect(() => sys("openat", AT.FDCWD, 0, O.RDONLY, 0)).toThrow(GuestFault);
    const long = alloc(5000, new Uint8Array(5000).fill(0x61));
    expect(sys("openat", AT.FDCWD, long, O.RDONLY, 0)).toBe(-E.ENAMETOOLONG);
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(() => sys("read", fd, 0x1000, 4)).toThrow(GuestFault);
  });

  it("reads only as far as the buffer is mapped", () => {
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    // 4 bytes before the end of the mapping, count far larger
    expect(sys("read", fd, BASE + SIZE - 4, 1 << 20)).toBe(4);
  });
});

describe("vectors", () => {
  it("readv scatters and writev gathers", () => {
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    const a = alloc(5);
    const b = alloc(100);
    const iov = alloc(32);
    mem.writeU64(iov, BigInt(a));
    mem.writeU64(iov + 8, 5n);
    mem.writeU64(iov + 16, BigInt(b));
    mem.writeU64(iov + 24, 100n);
    expect(sys("readv", fd, iov, 2)).toBe(13);
    expect(str(a, 5)).toBe("hello");
    expect(str(b, 8)).toBe(", world\n");
    expect(sys("readv", fd, iov, 1025)).toBe(-E.EINVAL);
    expect(sys("readv", fd, iov, -1)).toBe(-E.EINVAL);

    const out = sys("openat", AT.FDCWD, cstr("vec.txt"), O.RDWR | O.CREAT, 0o644) as number;
    mem.writeU64(iov + 8, 3n);
    mem.writeU64(iov + 24, 2n);
    mem.write(b, Buffer.from("XY"));
    expect(sys("writev", out, iov, 2)).toBe(5);
    expect(fs.readFileSync(path.join(tmp, "vec.txt"), "latin1")).toBe("helXY");
    expect(sys("pwritev", out, iov, 1, 10)).toBe(3);
    expect(sys("preadv", out, iov, 1, 3)).toBe(3);
    expect(str(a, 3)).toBe("XY\0");
  });
});

describe("stat family", () => {
  it("newfstatat, fstat and statx agree; AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH", () => {
    const buf = alloc(256);
    expect(sys("newfstatat", AT.FDCWD, cstr("ln"), buf, 0)).toBe(0);
    expect(mem.readU32(buf + 16) & S.IFMT).toBe(S.IFREG);
    expect(mem.readU64(buf + 48)).toBe(13n);
    expect(sys("newfstatat", AT.FDCWD, cstr("ln"), buf, AT.SYMLINK_NOFOLLOW)).toBe(0);
    expect(mem.readU32(buf + 16) & S.IFMT).toBe(S.IFLNK);
    expect(sys("newfstatat", AT.FDCWD, cstr(""), buf, 0)).toBe(-E.ENOENT);
    expect(sys("newfstatat", AT.FDCWD, cstr("ln"), buf, 0x4)).toBe(-E.EINVAL);

    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(sys("newfstatat", fd, cstr(""), buf, AT.EMPTY_PATH)).toBe(0);
    const ino = mem.readU64(buf + 8);
    expect(ino).toBe(fs.statSync(path.join(tmp, "hello.txt"), { bigint: true }).ino);
    expect(sys("fstat", fd, buf)).toBe(0);
    expect(mem.readU64(buf + 8)).toBe(ino);
    expect(sys("statx", fd, cstr(""), AT.EMPTY_PATH, 0x7ff, buf)).toBe(0);
    expect(mem.readU64(buf + 0x20)).toBe(ino);
    expect(mem.readU64(buf + 0x28)).toBe(13n);
    expect(sys("statx", AT.FDCWD, cstr("hello.txt"), 0, 0x80000000, buf)).toBe(-E.EINVAL);
    expect(sys("newfstatat", AT.FDCWD, cstr(""), buf, AT.EMPTY_PATH)).toBe(0);
    expect(mem.readU32(buf + 16) & S.IFMT).toBe(S.IFDIR);
  });

  it("readlinkat truncates without a NUL; faccessat checks modes", () => {
    const buf = alloc(16).valueOf();
    expect(sys("readlinkat", AT.FDCWD, cstr("ln"), buf, 5)).toBe(5);
    expect(str(buf, 5)).toBe("hello");
    expect(sys("readlinkat", AT.FDCWD, cstr("ln"), buf, 0)).toBe(-E.EINVAL);
    expect(sys("readlinkat", AT.FDCWD, cstr("hello.txt"), buf, 16)).toBe(-E.EINVAL);
    expect(sys("faccessat", AT.FDCWD, cstr("hello.txt"), 4)).toBe(0);
    expect(sys("faccessat", AT.FDCWD, cstr("missing"), 0)).toBe(-E.ENOENT);
    expect(sys("faccessat", AT.FDCWD, cstr("hello.txt"), 8)).toBe(-E.EINVAL);
    expect(sys("faccessat2", AT.FDCWD, cstr("hello.txt"), 0, 0x1)).toBe(-E.EINVAL);
  });

  it("getdents64 fills guest memory and ends with 0", () => {
    const fd = sys("openat", AT.FDCWD, cstr("d"), O.RDONLY | O.DIRECTORY, 0) as number;
    const buf = alloc(1024);
    const n = sys("getdents64", fd, buf, 1024) as number;
    expect(n).toBe(24 + 24 + 32);
    expect(str(buf + 19, 1)).toBe(".");
    expect(str(buf + 48 + 19, 5)).toBe("inner");
    expect(sys("getdents64", fd, buf, 1024)).toBe(0);
    const file = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(sys("getdents64", file, buf, 1024)).toBe(-E.ENOTDIR);
  });
});

describe("descriptors", () => {
  it("pipe2, dup3, fcntl and FIONREAD", () => {
    const fdsPtr = alloc(8);
    expect(sys("pipe2", fdsPtr, O.CLOEXEC)).toBe(0);
    const r = mem.readU32(fdsPtr);
    const w = mem.readU32(fdsPtr + 4);
    expect([r, w]).toEqual([0, 1]);
    expect(sys("fcntl", r, F.GETFD)).toBe(1);
    expect(sys("fcntl", w, F.GETFL)).toBe(O.WRONLY);
    expect(sys("write", w, cstr("ping"), 4)).toBe(4);
    const n = alloc(4);
    expect(sys("ioctl", r, IOCTL.FIONREAD, n)).toBe(0);
    expect(mem.readU32(n)).toBe(4);
    expect(sys("ioctl", r, IOCTL.TCGETS, n)).toBe(-E.ENOTTY);
    expect(sys("dup3", w, 10, O.CLOEXEC)).toBe(10);
    expect(sys("dup3", w, w, 0)).toBe(-E.EINVAL);
    expect(sys("dup3", w, 11, 1)).toBe(-E.EINVAL);
    expect(sys("fcntl", w, F.DUPFD, 5)).toBe(5);
    expect(sys("fcntl", w, F.DUPFD_CLOEXEC, 5)).toBe(6);
    expect(sys("fcntl", 6, F.GETFD)).toBe(1);
    expect(sys("fcntl", w, F.SETFL, O.NONBLOCK | O.RDWR)).toBe(0);
    expect(sys("fcntl", w, F.GETFL)).toBe(O.WRONLY | O.NONBLOCK);
    expect(sys("dup", r)).toBe(2);
    expect(sys("fcntl", r, 9999)).toBe(-E.EINVAL);
    expect(sys("fcntl", r, F.GETPIPE_SZ)).toBe(65536);
    const buf = alloc(8);
    expect(sys("read", r, buf, 8)).toBe(4);
    expect(sys("read", r, buf, 8)).toBeInstanceOf(Blocked);
    // close every write end: EOF
    for (const fd of [w, 10, 5, 6]) expect(sys("close", fd)).toBe(0);
    expect(sys("read", r, buf, 8)).toBe(0);
    expect(sys("lseek", r, 0, 0)).toBe(-E.ESPIPE);
  });

  it("reports EPIPE to the kernel's hook", () => {
    const fdsPtr = alloc(8);
    sys("pipe2", fdsPtr, 0);
    const r = mem.readU32(fdsPtr);
    const w = mem.readU32(fdsPtr + 4);
    sys("close", r);
    const before = brokenPipes;
    expect(sys("write", w, cstr("x"), 1)).toBe(-E.EPIPE);
    expect(brokenPipes).toBe(before + 1);
  });

  it("keeps record locks: a process's own never conflict, OFD locks do", () => {
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    const other = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    const fl = alloc(32, new Uint8Array(32)); // l_whence SEEK_SET, l_start 0, l_len 0: the whole file
    mem.writeU16(fl, 1); // F_WRLCK
    expect(sys("fcntl", fd, F.GETLK, fl)).toBe(0);
    expect(mem.readU16(fl)).toBe(2);
    mem.writeU16(fl, 0); // F_RDLCK on a read-only fd: fine
    expect(sys("fcntl", fd, F.SETLK, fl)).toBe(0);
    mem.writeU16(fl, 1); // F_WRLCK needs a writable fd
    expect(sys("fcntl", fd, F.SETLKW, fl)).toBe(-E.EBADF);
    mem.writeU16(fl, 9);
    expect(sys("fcntl", fd, F.SETLK, fl)).toBe(-E.EINVAL);
    // The process's read lock is no conflict for itself, but is for an OFD write lock.
    mem.writeU16(fl, 1);
    expect(sys("fcntl", other, F.GETLK, fl)).toBe(0);
    expect(mem.readU16(fl)).toBe(2);
    mem.writeU16(fl, 1);
    expect(sys("fcntl", other, F.OFD_GETLK, fl)).toBe(0);
    expect(mem.readU16(fl)).toBe(0);
    expect(mem.readI32(fl + 24)).toBe(42);
    // Closing any descriptor of the file drops the process's locks.
    expect(sys("close", other)).toBe(0);
    mem.write(fl, new Uint8Array(32));
    mem.writeU16(fl, 1);
    expect(sys("fcntl", fd, F.OFD_GETLK, fl)).toBe(0);
    expect(mem.readU16(fl)).toBe(2);
  });

  it("keeps flock locks per open file description", () => {
    const a = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    const b = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(sys("flock", a, 2 | 4)).toBe(0); // LOCK_EX|LOCK_NB
    expect(sys("flock", b, 1 | 4)).toBe(-E.EWOULDBLOCK); // LOCK_SH|LOCK_NB
    expect(sys("close", a)).toBe(0);
    expect(sys("flock", b, 2 | 4)).toBe(0);
    expect(sys("flock", b, 0)).toBe(-E.EINVAL);
  });

  it("ftruncate and fsync", () => {
    const fd = sys("openat", AT.FDCWD, cstr("tr.txt"), O.RDWR | O.CREAT, 0o644) as number;
    sys("write", fd, cstr("abcdef"), 6);
    expect(sys("ftruncate", fd, 2)).toBe(0);
    expect(fs.readFileSync(path.join(tmp, "tr.txt"), "latin1")).toBe("ab");
    expect(sys("ftruncate", fd, -1)).toBe(-E.EINVAL);
    expect(sys("fsync", fd)).toBe(0);
    expect(sys("fdatasync", fd)).toBe(0);
    const ro = sys("openat", AT.FDCWD, cstr("tr.txt"), O.RDONLY, 0) as number;
    expect(sys("ftruncate", ro, 0)).toBe(-E.EINVAL);
  });

  it("close_range closes or marks a range", () => {
    for (let i = 0; i < 5; i++) sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0);
    expect(sys("close_range", 1, 2, 4)).toBe(0);
    expect(proc.fds.isCloexec(1)).toBe(true);
    expect(sys("close_range", 3, 0xffffffff, 0)).toBe(0);
    expect(proc.fds.fds()).toEqual([0, 1, 2]);
    expect(sys("close_range", 3, 1, 0)).toBe(-E.EINVAL);
  });
});

describe("memfd_create and seals", () => {
  it("checks flags and the name's length, sets FD_CLOEXEC, and seals through fcntl", () => {
    expect(sys("memfd_create", cstr("x"), 0x100)).toBe(-E.EINVAL);
    expect(sys("memfd_create", cstr("x"), 0x8 | 0x10)).toBe(-E.EINVAL); // MFD_NOEXEC_SEAL|MFD_EXEC
    expect(sys("memfd_create", cstr("x"), 0x4)).toBe(-E.EINVAL); // MFD_HUGETLB
    expect(sys("memfd_create", cstr("n".repeat(250)), 0)).toBe(-E.EINVAL);
    const long = sys("memfd_create", cstr("n".repeat(249)), 0) as number;
    expect(long).toBeGreaterThanOrEqual(0);
    expect(proc.fds.get(long)!.path).toBe(`/memfd:${"n".repeat(249)} (deleted)`);
    const fd = sys("memfd_create", cstr("s"), 0x1 | 0x2) as number; // MFD_CLOEXEC|MFD_ALLOW_SEALING
    expect(proc.fds.isCloexec(fd)).toBe(true);
    expect(proc.fds.isCloexec(long)).toBe(false);
    expect(sys("write", fd, cstr("data"), 4)).toBe(4);
    expect(sys("fcntl", fd, F.GET_SEALS)).toBe(0);
    expect(sys("fcntl", fd, F.ADD_SEALS, 8)).toBe(0); // F_SEAL_WRITE
    expect(sys("write", fd, cstr("more"), 4)).toBe(-E.EPERM);
    expect(sys("fcntl", fd, F.GET_SEALS)).toBe(8);
    expect(sys("fcntl", long, F.GET_SEALS)).toBe(1); // F_SEAL_SEAL
    // A read-only descriptor cannot add seals; a host file has none.
    const ro = sys("openat", AT.FDCWD, cstr(`/proc/self/fd/${fd}`), O.RDONLY, 0) as number;
    expect(sys("fcntl", ro, F.ADD_SEALS, 4)).toBe(-E.EPERM);
    const host = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDWR, 0) as number;
    expect(sys("fcntl", host, F.GET_SEALS)).toBe(-E.EINVAL);
    // The MFD_NOEXEC_SEAL file has no x bits and may not get them.
    const nx = sys("memfd_create", cstr("nx"), 0x8) as number;
    expect(proc.fds.get(nx)!.stat()).toMatchObject({ mode: S.IFREG | 0o666 });
    expect(sys("fcntl", nx, F.GET_SEALS)).toBe(0x20);
    expect(sys("fchmod", nx, 0o777)).toBe(-E.EPERM);
  });
});

describe("/proc/self/fd and /dev/std*", () => {
  it("reopens pipes through /dev/stdout as the same open file", () => {
    const fdsPtr = alloc(8);
    sys("pipe2", fdsPtr, 0); // 0, 1
    const fd = sys("openat", AT.FDCWD, cstr("/dev/stdout"), O.WRONLY, 0) as number;
    expect(fd).toBe(2);
    expect(proc.fds.get(2)).toBe(proc.fds.get(1));
    expect(sys("openat", AT.FDCWD, cstr("/dev/stdout"), O.RDONLY, 0)).toBe(-E.EACCES);
    expect(sys("openat", AT.FDCWD, cstr("/dev/stdin"), O.RDONLY, 0)).toBe(3);
    expect(sys("openat", AT.FDCWD, cstr("/proc/self/fd/9"), O.RDONLY, 0)).toBe(-E.ENOENT);
    const buf = alloc(64);
    const n = sys("readlinkat", AT.FDCWD, cstr("/proc/self/fd/0"), buf, 64) as number;
    expect(str(buf, n)).toMatch(/^pipe:\[\d+\]$/);
    expect(sys("newfstatat", AT.FDCWD, cstr("/dev/stdin"), buf, 0)).toBe(0);
    expect(mem.readU32(buf + 16) & S.IFMT).toBe(S.IFIFO);
    expect(sys("newfstatat", AT.FDCWD, cstr("/proc/self/fd/0"), buf, AT.SYMLINK_NOFOLLOW)).toBe(0);
    expect(mem.readU32(buf + 16) & S.IFMT).toBe(S.IFLNK);
  });

  it("follows links of files opened by path, giving a new description", () => {
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    const buf = alloc(64);
    sys("read", fd, buf, 5);
    const n = sys("readlinkat", AT.FDCWD, cstr(`/proc/self/fd/${fd}`), buf, 64) as number;
    expect(str(buf, n)).toBe("/w/hello.txt");
    const again = sys("openat", AT.FDCWD, cstr(`/dev/fd/${fd}`), O.RDONLY, 0) as number;
    expect(proc.fds.get(again)).not.toBe(proc.fds.get(fd));
    expect(sys("read", again, buf, 5)).toBe(5);
    expect(str(buf, 5)).toBe("hello");
    const dfd = sys("openat", AT.FDCWD, cstr("/proc/self/fd"), O.RDONLY | O.DIRECTORY, 0) as number;
    const count = sys("getdents64", dfd, buf, 64) as number;
    expect(count).toBeGreaterThan(0);
  });
});

describe("paths and the working directory", () => {
  it("getcwd, chdir, fchdir, umask", () => {
    const buf = alloc(64);
    expect(sys("getcwd", buf, 64)).toBe(3);
    expect(str(buf, 3)).toBe("/w\0");
    expect(sys("getcwd", buf, 2)).toBe(-E.ERANGE);
    expect(sys("chdir", cstr("d"))).toBe(0);
    expect(proc.cwd).toBe("/w/d");
    expect(sys("openat", AT.FDCWD, cstr("inner"), O.RDONLY, 0)).toBeGreaterThanOrEqual(0);
    expect(sys("chdir", cstr("inner"))).toBe(-E.ENOTDIR);
    expect(sys("chdir", cstr(".."))).toBe(0);
    expect(proc.cwd).toBe("/w");
    expect(sys("chdir", cstr(".."))).toBe(0);
    expect(proc.cwd).toBe("/");
    const dfd = sys("openat", AT.FDCWD, cstr("/w/d"), O.RDONLY | O.DIRECTORY, 0) as number;
    expect(sys("fchdir", dfd)).toBe(0);
    expect(proc.cwd).toBe("/w/d");
    expect(sys("umask", 0o077)).toBe(0o022);
    expect(sys("umask", 0o022)).toBe(0o077);
  });

  it("keeps a non-UTF-8 working directory byte-exact", () => {
    fs.mkdirSync(Buffer.from(path.join(tmp, "dir-\xff"), "latin1"));
    expect(sys("chdir", cstr("dir-\xff"))).toBe(0);
    const buf = alloc(64);
    expect(sys("getcwd", buf, 64)).toBe(9);
    expect([...mem.read(buf, 9)]).toEqual([...Buffer.from("/w/dir-\xff\0", "latin1")]);
  });

  it("mkdirat, symlinkat, linkat, renameat2, unlinkat, fchmodat, utimensat", () => {
    expect(sys("mkdirat", AT.FDCWD, cstr("m"), 0o755)).toBe(0);
    expect(sys("symlinkat", cstr("m"), AT.FDCWD, cstr("m-link"))).toBe(0);
    expect(sys("linkat", AT.FDCWD, cstr("hello.txt"), AT.FDCWD, cstr("m/h"), 0)).toBe(0);
    expect(sys("linkat", AT.FDCWD, cstr("hello.txt"), AT.FDCWD, cstr("m/h2"), 0x8000)).toBe(-E.EINVAL);
    expect(sys("renameat2", AT.FDCWD, cstr("m/h"), AT.FDCWD, cstr("m/h3"), 0)).toBe(0);
    expect(sys("renameat2", AT.FDCWD, cstr("m/h3"), AT.FDCWD, cstr("m/h4"), 8)).toBe(-E.EINVAL);
    expect(sys("fchmodat", AT.FDCWD, cstr("m/h3"), 0o600)).toBe(0);
    expect(fs.statSync(path.join(tmp, "m", "h3")).mode & 0o777).toBe(0o600);
    const ts = alloc(32);
    mem.writeU64(ts, 1234n);
    mem.writeU64(ts + 8, 0n);
    mem.writeU64(ts + 16, 0n);
    mem.writeU64(ts + 24, BigInt((1 << 30) - 2)); // UTIME_OMIT
    expect(sys("utimensat", AT.FDCWD, cstr("m/h3"), ts, 0)).toBe(0);
    expect(fs.statSync(path.join(tmp, "m", "h3")).atimeMs).toBe(1234000);
    mem.writeU64(ts + 8, 1_000_000_000n);
    expect(sys("utimensat", AT.FDCWD, cstr("m/h3"), ts, 0)).toBe(-E.EINVAL);
    expect(sys("unlinkat", AT.FDCWD, cstr("m"), 0)).toBe(-E.EISDIR);
    expect(sys("unlinkat", AT.FDCWD, cstr("m"), AT.REMOVEDIR)).toBe(-E.ENOTEMPTY);
    expect(sys("unlinkat", AT.FDCWD, cstr("m/h3"), 0x1)).toBe(-E.EINVAL);
    expect(sys("unlinkat", AT.FDCWD, cstr("m/h3"), 0)).toBe(0);
    expect(sys("unlinkat", AT.FDCWD, cstr("m-link"), 0)).toBe(0);
    expect(sys("unlinkat", AT.FDCWD, cstr("m"), AT.REMOVEDIR)).toBe(0);
  });

  it("statfs and fstatfs write 120 bytes", () => {
    const buf = alloc(128);
    expect(sys("statfs", cstr("/w"), buf)).toBe(0);
    expect(mem.readU64(buf + 64)).toBe(255n);
    expect(sys("statfs", cstr("/"), buf)).toBe(0);
    expect(mem.readU64(buf + 80) & 1n).toBe(1n);
    const fd = sys("openat", AT.FDCWD, cstr("hello.txt"), O.RDONLY, 0) as number;
    expect(sys("fstatfs", fd, buf)).toBe(0);
  });

  it("every row has classes, and a note unless fully supported", () => {
    for (const row of fsSyscalls) {
      if (row.support !== "full") expect(row.note, row.name).toBeTruthy();
    }
    const names = fsSyscalls.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
