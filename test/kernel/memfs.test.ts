// The in-memory /tmp and /dev/shm (vfs/memfs.ts, mem-file.ts, mem-ops.ts) through the Vfs, as the
// syscalls reach it: opening and creating, data and holes, metadata, the directory operations with
// Linux's errors, permissions and the sticky bit, O_TMPFILE, memfd and seals, the memory limit, and
// how it sits among the mounts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { DT, FS_MAGIC, O, RENAME, S, SEEK } from "../../src/abi/fs.js";
import { Vfs, type VfsConfig } from "../../src/kernel/vfs/vfs.js";
import type { PathCtx } from "../../src/kernel/vfs/namespace.js";
import type { OpenFile } from "../../src/kernel/vfs/open-file.js";
import type { Timespec } from "../../src/kernel/vfs/stat.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { addSeals, getSeals } from "../../src/kernel/syscalls/memfd.js";
import { SEAL } from "../../src/kernel/vfs/memfs.js";

let host: string;
const ctx: PathCtx = { cwd: "/tmp", exe: "/prog" };
/** A clock the tests move by hand: times must come from it, never from the host. */
let clock = 1000n;
const now = (): Timespec => ({ sec: clock, nsec: 0 });

function makeVfs(extra: Partial<VfsConfig> = {}): Vfs {
  return new Vfs({
    mounts: [{ host, guest: "/host", readOnly: false }],
    exeHostPath: "",
    exeGuestPath: "",
    hostHasTty: false,
    memoryFs: ["/tmp", "/dev/shm"],
    cred: { uid: 0, gid: 0 },
    now,
    ...extra,
  });
}

function open(v: Vfs, p: string, flags: number, mode = 0o666, umask = 0o022, c: PathCtx = ctx): OpenFile {
  const f = v.open(c, p, flags, mode, umask);
  if (typeof f === "number") throw new Error(`open ${p}: ${f}`);
  f.refs = 1;
  return f;
}

function write(f: OpenFile, s: string): number {
  return f.write(Buffer.from(s, "latin1")) as number;
}

function readAll(f: OpenFile, at = 0): string {
  const buf = new Uint8Array(1 << 16);
  const n = f.pread(buf, at) as number;
  if (n < 0) throw new Error(`read: ${n}`);
  return Buffer.from(buf.subarray(0, n)).toString("latin1");
}

function names(v: Vfs, p: string): string[] {
  const d = open(v, p, O.RDONLY | O.DIRECTORY);
  const out: string[] = [];
  for (;;) {
    const r = d.getdents(4096);
    if (typeof r === "number") throw new Error(`getdents ${r}`);
    if (r.length === 0) break;
    const dv = new DataView(r.buffer, r.byteOffset, r.byteLength);
    for (let off = 0; off < r.length; off += dv.getUint16(off + 16, true)) {
      let end = off + 19;
      while (r[end] !== 0) end++;
      out.push(Buffer.from(r.subarray(off + 19, end)).toString("latin1") + (r[off + 18] === DT.DIR ? "/" : ""));
    }
  }
  d.close();
  return out;
}

function st(v: Vfs, p: string, follow = true) {
  const s = v.stat(ctx, p, follow);
  if (typeof s === "number") throw new Error(`stat ${p}: ${s}`);
  return s;
}

beforeAll(() => {
  host = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-memfs-")));
});

afterAll(() => {
  fs.rmSync(host, { recursive: true, force: true });
});

describe("the private /tmp", () => {
  it("is an empty tmpfs directory, mode 1777 owned by root, and /dev/shm another one", () => {
    const v = makeVfs();
    const t = st(v, "/tmp");
    expect(t.mode).toBe(S.IFDIR | 0o1777);
    expect([t.uid, t.gid, t.nlink]).toEqual([0, 0, 2]);
    expect(t.mountRoot).toBe(true);
    expect(names(v, "/tmp")).toEqual(["./", "../"]);
    const shm = st(v, "/dev/shm");
    expect(shm.mode).toBe(S.IFDIR | 0o1777);
    expect(shm.dev).not.toBe(t.dev);
    const fsinfo = v.statfs(ctx, "/tmp");
    if (typeof fsinfo === "number") throw new Error(String(fsinfo));
    expect(fsinfo.type).toBe(FS_MAGIC.TMPFS);
    expect(fsinfo.type).toBe(0x01021994);
    // Nothing of it reaches the host.
    open(v, "/tmp/x", O.WRONLY | O.CREAT);
    expect(fs.readdirSync(host)).toEqual([]);
  });

  it("is per Vfs: another run starts empty", () => {
    const a = makeVfs();
    open(a, "/tmp/only-in-a", O.WRONLY | O.CREAT);
    expect(names(makeVfs(), "/tmp")).toEqual(["./", "../"]);
  });

  it("creates with the umask, honours O_EXCL, O_TRUNC and O_APPEND", () => {
    const v = makeVfs();
    clock = 2000n;
    const f = open(v, "/tmp/f", O.RDWR | O.CREAT | O.EXCL, 0o666, 0o027);
    expect(write(f, "hello world")).toBe(11);
    const s = st(v, "/tmp/f");
    expect(s.mode).toBe(S.IFREG | 0o640);
    expect(s.size).toBe(11n);
    expect(s.mtime.sec).toBe(2000n);
    expect(s.blocks).toBe(8n);
    expect(s.nlink).toBe(1);
    expect(v.open(ctx, "/tmp/f", O.RDWR | O.CREAT | O.EXCL, 0o666, 0)).toBe(-E.EEXIST);
    expect(v.open(ctx, "/tmp/nope", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
    expect(v.open(ctx, "/tmp/f/", O.RDONLY, 0, 0)).toBe(-E.ENOTDIR);
    expect(v.open(ctx, "/tmp/new/", O.RDWR | O.CREAT, 0, 0)).toBe(-E.EISDIR);
    expect(v.open(ctx, "/tmp", O.RDWR, 0, 0)).toBe(-E.EISDIR);
    const app = open(v, "/tmp/f", O.WRONLY | O.APPEND);
    expect(write(app, "!")).toBe(1);
    expect(readAll(f)).toBe("hello world!");
    clock = 2100n;
    open(v, "/tmp/f", O.WRONLY | O.TRUNC);
    expect(readAll(f)).toBe("");
    expect(st(v, "/tmp/f").mtime.sec).toBe(2100n);
    expect(st(v, "/tmp/f").blocks).toBe(0n);
  });

  it("reads holes as zeros and finds them with SEEK_DATA and SEEK_HOLE", () => {
    const v = makeVfs();
    const f = open(v, "/tmp/sparse", O.RDWR | O.CREAT);
    expect(f.pwrite(Buffer.from("end"), 3 * 4096)).toBe(3);
    expect(st(v, "/tmp/sparse").size).toBe(3n * 4096n + 3n);
    expect(st(v, "/tmp/sparse").blocks).toBe(8n);
    const buf = new Uint8Array(5);
    buf.fill(7);
    expect(f.pread(buf, 4094)).toBe(5);
    expect([...buf]).toEqual([0, 0, 0, 0, 0]);
    expect(f.seek(0, SEEK.DATA)).toBe(3 * 4096);
    expect(f.seek(0, SEEK.HOLE)).toBe(0);
    expect(f.seek(3 * 4096, SEEK.HOLE)).toBe(3 * 4096 + 3);
    expect(f.seek(3 * 4096 + 3, SEEK.DATA)).toBe(-E.ENXIO);
    expect(f.seek(-1, SEEK.SET)).toBe(-E.EINVAL);
    expect(f.seek(10, SEEK.END)).toBe(3 * 4096 + 13);
    // Truncating into the page zeroes its tail; growing again shows zeros, not the old bytes.
    expect(f.truncate(3 * 4096 + 1)).toBe(0);
    expect(f.truncate(3 * 4096 + 3)).toBe(0);
    expect(readAll(f, 3 * 4096)).toBe("e\0\0");
    expect(v.truncate(ctx, "/tmp/sparse", 0)).toBe(0);
    expect(st(v, "/tmp/sparse").size).toBe(0n);
    expect(v.truncate(ctx, "/tmp", 0)).toBe(-E.EISDIR);
  });

  it("makes and removes directories with Linux's errors, keeping nlink and sizes", () => {
    const v = makeVfs();
    expect(v.mkdir(ctx, "/tmp/d", 0o777, 0o022)).toBe(0);
    expect(st(v, "/tmp/d").mode).toBe(S.IFDIR | 0o755);
    expect(v.mkdir(ctx, "/tmp/d", 0o777, 0)).toBe(-E.EEXIST);
    expect(v.mkdir(ctx, "/tmp/d/e", 0o777, 0)).toBe(0);
    expect(v.mkdir(ctx, "/tmp/no/e", 0o777, 0)).toBe(-E.ENOENT);
    expect(st(v, "/tmp").nlink).toBe(3);
    expect(st(v, "/tmp/d").nlink).toBe(3);
    expect(st(v, "/tmp/d").size).toBe(60n);
    open(v, "/tmp/d/e/file", O.WRONLY | O.CREAT);
    expect(v.unlink(ctx, "/tmp/d", true)).toBe(-E.ENOTEMPTY);
    expect(v.unlink(ctx, "/tmp/d/e/file", true)).toBe(-E.ENOTDIR);
    expect(v.unlink(ctx, "/tmp/d/e", false)).toBe(-E.EISDIR);
    expect(v.unlink(ctx, "/tmp/d/e/file/", false)).toBe(-E.ENOTDIR);
    expect(v.unlink(ctx, "/tmp/d/e/.", true)).toBe(-E.EINVAL);
    expect(v.unlink(ctx, "/tmp/d/e/file", false)).toBe(0);
    expect(v.unlink(ctx, "/tmp/d/e/file", false)).toBe(-E.ENOENT);
    expect(v.unlink(ctx, "/tmp/d/e", true)).toBe(0);
    expect(st(v, "/tmp/d").nlink).toBe(2);
    // /tmp itself is a mount point in the read-only synthetic root: EROFS comes first, as on Linux.
    expect(v.unlink(ctx, "/tmp", true)).toBe(-E.EROFS);
    expect(v.chdir(ctx, "d")).toBe("/tmp/d");
  });

  it("lists entries sorted by name, with mounts inside it", () => {
    const v = makeVfs({ mounts: [{ host, guest: "/tmp/hostdir", readOnly: false }] });
    for (const n of ["zeta", "Alpha", "beta"]) open(v, `/tmp/${n}`, O.WRONLY | O.CREAT);
    v.mkdir(ctx, "/tmp/mid", 0o755, 0);
    expect(names(v, "/tmp")).toEqual(["./", "../", "Alpha", "beta", "hostdir/", "mid/", "zeta"]);
    // The mount inside it cannot be removed, nor shadowed.
    expect(v.unlink(ctx, "/tmp/hostdir", true)).toBe(-E.EBUSY);
    expect(v.mkdir(ctx, "/tmp/hostdir", 0o755, 0)).toBe(-E.EEXIST);
  });

  it("renames: over files, NOREPLACE, EXCHANGE, into itself, across mounts", () => {
    const v = makeVfs();
    write(open(v, "/tmp/a", O.WRONLY | O.CREAT), "A");
    write(open(v, "/tmp/b", O.WRONLY | O.CREAT), "B");
    v.mkdir(ctx, "/tmp/d", 0o755, 0);
    v.mkdir(ctx, "/tmp/d/sub", 0o755, 0);
    v.mkdir(ctx, "/tmp/e", 0o755, 0);
    expect(v.rename(ctx, "/tmp/a", ctx, "/tmp/b", RENAME.NOREPLACE)).toBe(-E.EEXIST);
    expect(v.rename(ctx, "/tmp/a", ctx, "/tmp/b", RENAME.EXCHANGE)).toBe(0);
    expect(readAll(open(v, "/tmp/a", O.RDONLY))).toBe("B");
    expect(v.rename(ctx, "/tmp/a", ctx, "/tmp/zz", RENAME.EXCHANGE)).toBe(-E.ENOENT);
    expect(v.rename(ctx, "/tmp/a", ctx, "/tmp/b", 0)).toBe(0);
    expect(readAll(open(v, "/tmp/b", O.RDONLY))).toBe("B");
    expect(v.stat(ctx, "/tmp/a", true)).toBe(-E.ENOENT);
    expect(v.rename(ctx, "/tmp/b", ctx, "/tmp/d", 0)).toBe(-E.EISDIR);
    expect(v.rename(ctx, "/tmp/d", ctx, "/tmp/b", 0)).toBe(-E.ENOTDIR);
    expect(v.rename(ctx, "/tmp/d", ctx, "/tmp/d/sub/x", 0)).toBe(-E.EINVAL);
    expect(v.rename(ctx, "/tmp/e", ctx, "/tmp/d", 0)).toBe(-E.ENOTEMPTY);
    expect(v.rename(ctx, "/tmp/b/", ctx, "/tmp/c", 0)).toBe(-E.ENOTDIR);
    // A directory moved carries its ".." link: the old parent loses one, the new one gains it.
    expect(v.rename(ctx, "/tmp/d/sub", ctx, "/tmp/e/sub2", 0)).toBe(0);
    expect([st(v, "/tmp/d").nlink, st(v, "/tmp/e").nlink]).toEqual([2, 3]);
    expect(names(v, "/tmp/e/sub2/..")).toEqual(["./", "../", "sub2/"]);
    // Another file system: EXDEV, either way, and /tmp to /dev/shm too.
    expect(v.rename(ctx, "/tmp/b", ctx, "/host/b", 0)).toBe(-E.EXDEV);
    fs.writeFileSync(path.join(host, "h"), "h");
    expect(v.rename(ctx, "/host/h", ctx, "/tmp/h", 0)).toBe(-E.EXDEV);
    expect(v.rename(ctx, "/tmp/b", ctx, "/dev/shm/b", 0)).toBe(-E.EXDEV);
    expect(v.link(ctx, "/tmp/b", ctx, "/dev/shm/b", false)).toBe(-E.EXDEV);
    fs.rmSync(path.join(host, "h"));
  });

  it("links and symlinks, and follows symlinks in the guest namespace", () => {
    const v = makeVfs();
    write(open(v, "/tmp/orig", O.WRONLY | O.CREAT), "data");
    expect(v.link(ctx, "/tmp/orig", ctx, "/tmp/hard", false)).toBe(0);
    expect(st(v, "/tmp/orig").nlink).toBe(2);
    expect(st(v, "/tmp/hard").ino).toBe(st(v, "/tmp/orig").ino);
    expect(v.link(ctx, "/tmp/orig", ctx, "/tmp/hard", false)).toBe(-E.EEXIST);
    v.mkdir(ctx, "/tmp/dir", 0o755, 0);
    expect(v.link(ctx, "/tmp/dir", ctx, "/tmp/dir2", false)).toBe(-E.EPERM);
    expect(v.symlink("hard", ctx, "/tmp/soft")).toBe(0);
    expect(v.symlink("/host", ctx, "/tmp/tohost")).toBe(0);
    expect(v.readlink(ctx, "/tmp/soft")).toBe("hard");
    expect(v.readlink(ctx, "/tmp/orig")).toBe(-E.EINVAL);
    expect(st(v, "/tmp/soft", false).mode).toBe(S.IFLNK | 0o777);
    expect(st(v, "/tmp/soft", false).size).toBe(4n);
    expect(readAll(open(v, "/tmp/soft", O.RDONLY))).toBe("data");
    expect(v.open(ctx, "/tmp/soft", O.RDONLY | O.NOFOLLOW, 0, 0)).toBe(-E.ELOOP);
    expect(st(v, "/tmp/tohost/").mode & S.IFMT).toBe(S.IFDIR);
    expect(v.unlink(ctx, "/tmp/orig", false)).toBe(0);
    expect(st(v, "/tmp/hard").nlink).toBe(1);
    expect(readAll(open(v, "/tmp/hard", O.RDONLY))).toBe("data");
  });

  it("changes modes, owners and times, from the run's clock", () => {
    const v = makeVfs();
    open(v, "/tmp/f", O.WRONLY | O.CREAT);
    clock = 5000n;
    expect(v.chmod(ctx, "/tmp/f", 0o4711)).toBe(0);
    expect(st(v, "/tmp/f").mode).toBe(S.IFREG | 0o4711);
    expect(st(v, "/tmp/f").ctime.sec).toBe(5000n);
    expect(v.utimes(ctx, "/tmp/f", { sec: 10n, nsec: 5 }, "omit", true)).toBe(0);
    expect(st(v, "/tmp/f").atime).toEqual({ sec: 10n, nsec: 5 });
    clock = 6000n;
    expect(v.utimes(ctx, "/tmp/f", "now", "now", true)).toBe(0);
    expect(st(v, "/tmp/f").mtime.sec).toBe(6000n);
    clock = 6500n;
    const fd = open(v, "/tmp/f", O.RDONLY);
    expect(v.utimesFile(fd, "omit", "now")).toBe(0);
    expect(st(v, "/tmp/f").mtime.sec).toBe(6500n);
    const dir = open(v, "/tmp", O.RDONLY | O.DIRECTORY);
    expect(v.utimesFile(dir, "now", "now")).toBe(0);
    expect(st(v, "/tmp").atime.sec).toBe(6500n);
    expect(dir.chmod(0o1770)).toBe(0);
    expect(st(v, "/tmp").mode).toBe(S.IFDIR | 0o1770);
    const f = open(v, "/tmp/f", O.RDONLY);
    expect(f.chown(123, 456)).toBe(0);
    const s = st(v, "/tmp/f");
    expect([s.uid, s.gid]).toEqual([123, 456]);
    // chown clears set-user-ID.
    expect(s.mode & 0o7777).toBe(0o711);
    expect(v.access(ctx, "/tmp/f", 7, true)).toBe(0);
  });

  it("checks permissions for a guest that is not root, and the sticky bit of /tmp", () => {
    const root = makeVfs();
    const v = makeVfs({ cred: { uid: 1000, gid: 1000 } });
    void root;
    const f = open(v, "/tmp/mine", O.WRONLY | O.CREAT, 0o600);
    expect(st(v, "/tmp/mine").uid).toBe(1000);
    expect(f.chmod(0o400)).toBe(0);
    expect(v.open(ctx, "/tmp/mine", O.WRONLY, 0, 0)).toBe(-E.EACCES);
    expect(v.access(ctx, "/tmp/mine", 2, true)).toBe(-E.EACCES);
    expect(v.access(ctx, "/tmp/mine", 4, true)).toBe(0);
    expect(f.chown(0, -1)).toBe(-E.EPERM);
    expect(f.chown(-1, 1000)).toBe(0);
    // A file owned by someone else in the sticky /tmp: neither removed nor renamed over.
    expect(f.chown(1000, 1000)).toBe(0);
    v.mkdir(ctx, "/tmp/locked", 0o500, 0);
    expect(v.open(ctx, "/tmp/locked/x", O.WRONLY | O.CREAT, 0o600, 0)).toBe(-E.EACCES);
    expect(v.mkdir(ctx, "/tmp/locked/x", 0o700, 0)).toBe(-E.EACCES);
    v.mkdir(ctx, "/tmp/noexec", 0o600, 0);
    expect(v.stat(ctx, "/tmp/noexec/x", true)).toBe(-E.EACCES);
    expect(v.chdir(ctx, "/tmp/noexec")).toBe(-E.EACCES);
  });

  it("the sticky bit: only the owner of the entry or of the directory may remove it", () => {
    // Root makes a file in the sticky /tmp and gives it away; then a guest with another uid tries.
    let uid = 0;
    const cred = {
      get uid() {
        return uid;
      },
      get gid() {
        return uid;
      },
    };
    const v = makeVfs({ cred });
    const f = open(v, "/tmp/theirs", O.WRONLY | O.CREAT, 0o666, 0);
    expect(f.chown(2000, 2000)).toBe(0);
    uid = 1000;
    expect(v.unlink(ctx, "/tmp/theirs", false)).toBe(-E.EPERM);
    expect(v.rename(ctx, "/tmp/theirs", ctx, "/tmp/mine", 0)).toBe(-E.EPERM);
    write(open(v, "/tmp/mine", O.WRONLY | O.CREAT, 0o666, 0), "x");
    expect(v.rename(ctx, "/tmp/mine", ctx, "/tmp/theirs", 0)).toBe(-E.EPERM);
    expect(v.chmod(ctx, "/tmp/theirs", 0o777)).toBe(-E.EPERM);
    expect(v.utimes(ctx, "/tmp/theirs", { sec: 1n, nsec: 0 }, "omit", true)).toBe(-E.EPERM);
    // Mode 666: anyone may write it, so anyone may set its times to now.
    expect(v.utimes(ctx, "/tmp/theirs", "now", "now", true)).toBe(0);
    expect(v.unlink(ctx, "/tmp/mine", false)).toBe(0);
  });

  it("O_TMPFILE: an unnamed file that linkat may name through /proc/self/fd unless O_EXCL", () => {
    const v = makeVfs();
    expect(v.open(ctx, "/tmp", O.TMPFILE | O.RDONLY, 0o600, 0)).toBe(-E.EINVAL);
    expect(v.open(ctx, "/tmp", O.TMPFILE_BIT | O.RDWR, 0o600, 0)).toBe(-E.EINVAL);
    expect(v.open(ctx, "/host", O.TMPFILE | O.RDWR, 0o600, 0)).toBe(-E.EOPNOTSUPP);
    const f = open(v, "/tmp", O.TMPFILE | O.RDWR, 0o600, 0);
    expect(names(v, "/tmp")).toEqual(["./", "../"]);
    write(f, "anon");
    expect(f.path).toMatch(/^\/tmp\/#\d+ \(deleted\)$/);
    const fds = { get: (n: number) => (n === 5 ? f : undefined), fds: () => [5] };
    const c: PathCtx = { ...ctx, fds };
    expect(v.readlink(c, "/proc/self/fd/5")).toBe(f.path);
    expect(v.link(c, "/proc/self/fd/5", c, "/tmp/named", true)).toBe(0);
    expect(readAll(open(v, "/tmp/named", O.RDONLY))).toBe("anon");
    expect(f.path).toMatch(/^\/tmp\/#\d+$/);
    const g = open(v, "/tmp", O.TMPFILE | O.RDWR | O.EXCL, 0o600, 0);
    const c2: PathCtx = { ...ctx, fds: { get: (n: number) => (n === 6 ? g : undefined), fds: () => [6] } };
    expect(v.link(c2, "/proc/self/fd/6", c2, "/tmp/never", true)).toBe(-E.ENOENT);
  });

  it("keeps an unlinked open file until its last close, and reopens it through /proc/self/fd", () => {
    const v = makeVfs();
    const f = open(v, "/tmp/gone", O.RDWR | O.CREAT);
    write(f, "still here");
    expect(v.unlink(ctx, "/tmp/gone", false)).toBe(0);
    expect(f.path).toBe("/tmp/gone (deleted)");
    expect(readAll(f)).toBe("still here");
    const c: PathCtx = { ...ctx, fds: { get: (n: number) => (n === 3 ? f : undefined), fds: () => [3] } };
    const again = open(v, "/proc/self/fd/3", O.RDONLY, 0, 0, c);
    expect(again).not.toBe(f);
    expect(readAll(again)).toBe("still here");
    expect(again.stat()).toEqual(f.stat());
    // Path calls that follow the link act on the file itself.
    expect(v.chmod(c, "/proc/self/fd/3", 0o600)).toBe(0);
    expect(v.truncate(c, "/proc/self/fd/3", 5)).toBe(0);
    expect(f.stat()).toMatchObject({ mode: S.IFREG | 0o600, size: 5n });
  });
});

describe("memory", () => {
  it("charges pages to the memory limit, fails with ENOSPC when full, and gives them back", () => {
    const memory = new MemoryBudget(10 * 4096);
    const v = makeVfs({ memory });
    const f = open(v, "/tmp/big", O.RDWR | O.CREAT);
    expect(f.pwrite(new Uint8Array(4 * 4096), 0)).toBe(4 * 4096);
    expect(memory.used).toBe(4 * 4096);
    const s = v.statfs(ctx, "/tmp");
    if (typeof s === "number") throw new Error(String(s));
    expect([s.blocks, s.bfree]).toEqual([10n, 6n]);
    // A write past what is left stops short; one that finds no room at all is ENOSPC.
    expect(f.pwrite(new Uint8Array(8 * 4096), 4 * 4096)).toBe(6 * 4096);
    expect(f.pwrite(new Uint8Array(1), 20 * 4096)).toBe(-E.ENOSPC);
    // Overwriting pages already held costs nothing more.
    expect(f.pwrite(new Uint8Array(4096).fill(1), 0)).toBe(4096);
    expect(f.truncate(4096)).toBe(0);
    expect(memory.used).toBe(4096);
    // Unlinked while open: the pages stay until the last close.
    expect(v.unlink(ctx, "/tmp/big", false)).toBe(0);
    expect(memory.used).toBe(4096);
    f.close();
    expect(memory.used).toBe(0);
  });

  it("memfd: /memfd:NAME (deleted), read-write, sealable only when asked", () => {
    const v = makeVfs();
    const m = v.memfd("jit", true);
    m.refs = 1;
    expect(m.path).toBe("/memfd:jit (deleted)");
    expect(write(m, "code")).toBe(4);
    expect(m.stat()).toMatchObject({ mode: S.IFREG | 0o777, nlink: 0, size: 4n });
    expect(getSeals(m)).toBe(0);
    expect(addSeals(m, SEAL.GROW | SEAL.SHRINK)).toBe(0);
    expect(m.truncate(1)).toBe(-E.EPERM);
    expect(m.truncate(10)).toBe(-E.EPERM);
    expect(m.pwrite(Buffer.from("xy"), 3)).toBe(1);
    expect(m.pwrite(Buffer.from("xy"), 4)).toBe(-E.EPERM);
    expect(addSeals(m, SEAL.WRITE | SEAL.SEAL)).toBe(0);
    expect(m.pwrite(Buffer.from("x"), 0)).toBe(-E.EPERM);
    expect(addSeals(m, SEAL.EXEC)).toBe(-E.EPERM);
    // F_SEAL_EXEC (MFD_NOEXEC_SEAL) freezes the x bits, and only them.
    const noexec = v.memfd("noexec", true);
    expect(addSeals(noexec, SEAL.EXEC)).toBe(0);
    expect(noexec.chmod(0o666)).toBe(-E.EPERM);
    expect(noexec.chmod(0o755)).toBe(0);
    const plain = v.memfd("plain", false);
    expect(getSeals(plain)).toBe(SEAL.SEAL);
    expect(addSeals(plain, SEAL.WRITE)).toBe(-E.EPERM);
    // A /tmp file has F_SEAL_SEAL; a host file has no seals at all.
    expect(getSeals(open(v, "/tmp/t", O.RDWR | O.CREAT))).toBe(SEAL.SEAL);
    fs.writeFileSync(path.join(host, "plain"), "");
    expect(getSeals(open(v, "/host/plain", O.RDWR))).toBe(-E.EINVAL);
    fs.rmSync(path.join(host, "plain"));
  });
});

describe("among the mounts", () => {
  it("a mount at /tmp wins over the in-memory one", () => {
    fs.writeFileSync(path.join(host, "from-host"), "h");
    const v = makeVfs({ mounts: [{ host, guest: "/tmp", readOnly: false }] });
    expect(names(v, "/tmp")).toEqual(["./", "../", "from-host"]);
    expect(st(v, "/dev/shm").mode).toBe(S.IFDIR | 0o1777);
    fs.rmSync(path.join(host, "from-host"));
  });

  it("covers a read-only root's /tmp", () => {
    const rootDir = fs.mkdtempSync(path.join(host, "root-"));
    fs.mkdirSync(path.join(rootDir, "tmp"));
    fs.writeFileSync(path.join(rootDir, "tmp", "stale"), "");
    const v = makeVfs({ mounts: [{ host: rootDir, guest: "/", readOnly: true }] });
    expect(names(v, "/tmp")).toEqual(["./", "../"]);
    expect(v.mkdir(ctx, "/tmp/ok", 0o700, 0)).toBe(0);
    expect(v.mkdir(ctx, "/elsewhere", 0o700, 0)).toBe(-E.EROFS);
  });

  it("without memoryFs there is no /tmp (unit tests of other parts see the old namespace)", () => {
    const v = makeVfs({ memoryFs: [] });
    expect(v.stat(ctx, "/tmp", true)).toBe(-E.ENOENT);
  });
});
