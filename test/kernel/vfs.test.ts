// The sandboxed namespace: resolution, escapes, read-only mounts, synthetic directories, devices,
// getdents order, and the stat / statx / statfs encodings.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { Vfs } from "../../src/kernel/vfs/vfs.js";
import { DT, O, S, SIZEOF, makedev, devMajor, devMinor } from "../../src/abi/fs.js";
import type { PathCtx } from "../../src/kernel/vfs/namespace.js";
import type { OpenFile } from "../../src/kernel/vfs/open-file.js";
import { encodeStat, encodeStatx, encodeStatfs, type StatInfo } from "../../src/kernel/vfs/stat.js";
import { direntSize } from "../../src/kernel/vfs/dir.js";

let tmp: string;
let vfs: Vfs;
const ctx: PathCtx = { cwd: "/home/u/work", exe: "/home/u/prog" };
const rootCtx: PathCtx = { cwd: "/", exe: "/home/u/prog" };

function mustOpen(p: string, flags: number = O.RDONLY, mode = 0o644, c: PathCtx = ctx): OpenFile {
  const f = vfs.open(c, p, flags, mode, 0o022);
  if (typeof f === "number") throw new Error(`open ${p}: ${f}`);
  f.refs = 1;
  return f;
}

function readAll(f: OpenFile): string {
  const buf = new Uint8Array(4096);
  const n = f.read(buf);
  if (typeof n !== "number" || n < 0) throw new Error(`read: ${String(n)}`);
  return Buffer.from(buf.subarray(0, n)).toString("latin1");
}

interface Dirent {
  ino: bigint;
  off: bigint;
  reclen: number;
  type: number;
  name: string;
}

function parseDirents(bytes: Uint8Array): Dirent[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Dirent[] = [];
  for (let off = 0; off < bytes.length; ) {
    const reclen = v.getUint16(off + 16, true);
    let end = off + 19;
    while (bytes[end] !== 0) end++;
    out.push({
      ino: v.getBigUint64(off, true),
      off: v.getBigInt64(off + 8, true),
      reclen,
      type: bytes[off + 18],
      name: Buffer.from(bytes.subarray(off + 19, end)).toString("latin1"),
    });
    off += reclen;
  }
  return out;
}

function listNames(p: string, c: PathCtx = ctx): string[] {
  const d = mustOpen(p, O.RDONLY | O.DIRECTORY, 0, c);
  const names: string[] = [];
  for (;;) {
    const r = d.getdents(4096);
    if (typeof r === "number") throw new Error(`getdents: ${r}`);
    if (r.length === 0) break;
    names.push(...parseDirents(r).map((e) => e.name));
  }
  d.close();
  return names;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-vfs-")));
  const work = path.join(tmp, "work");
  fs.mkdirSync(path.join(work, "sub"), { recursive: true });
  fs.writeFileSync(path.join(work, "a.txt"), "hello");
  fs.writeFileSync(path.join(work, "sub", "b.txt"), "bee");
  fs.symlinkSync("/etc/passwd", path.join(work, "link-abs-out"));
  fs.symlinkSync("../secret/s.txt", path.join(work, "link-rel-out"));
  fs.symlinkSync("sub/b.txt", path.join(work, "link-rel-in"));
  fs.symlinkSync("/home/u/work/a.txt", path.join(work, "link-abs-in"));
  fs.symlinkSync(tmp + "/secret/s.txt", path.join(work, "link-host-abs"));
  fs.symlinkSync("loop2", path.join(work, "loop1"));
  fs.symlinkSync("loop1", path.join(work, "loop2"));
  fs.symlinkSync("nothere", path.join(work, "dangling"));
  fs.symlinkSync("sub", path.join(work, "link-dir"));
  fs.symlinkSync("..", path.join(work, "link-up"));
  fs.symlinkSync("/home/u/prog", path.join(work, "link-to-prog"));
  fs.mkdirSync(path.join(tmp, "secret"));
  fs.writeFileSync(path.join(tmp, "secret", "s.txt"), "secret");
  fs.mkdirSync(path.join(tmp, "ro"));
  fs.writeFileSync(path.join(tmp, "ro", "c.txt"), "sea");
  fs.symlinkSync("c.txt", path.join(tmp, "ro", "c-link"));
  fs.writeFileSync(path.join(tmp, "prog"), "\x7fELF");
  fs.chmodSync(path.join(tmp, "prog"), 0o755);
  vfs = new Vfs({
    mounts: [
      { host: work, guest: "/home/u/work", readOnly: false },
      { host: path.join(tmp, "ro"), guest: "/opt/ro", readOnly: true },
    ],
    exeHostPath: path.join(tmp, "prog"),
    exeGuestPath: "/home/u/prog",
    hostHasTty: false,
    random: (b) => b.fill(0xab),
    syntheticTime: 1_700_000_000,
  });
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("resolution inside mounts", () => {
  it("opens relative and absolute paths", () => {
    expect(readAll(mustOpen("a.txt"))).toBe("hello");
    expect(readAll(mustOpen("/home/u/work/sub/b.txt"))).toBe("bee");
    expect(readAll(mustOpen("./sub/../a.txt"))).toBe("hello");
  });

  it("follows symlinks that stay inside the guest namespace", () => {
    expect(readAll(mustOpen("link-rel-in"))).toBe("bee");
    expect(readAll(mustOpen("link-abs-in"))).toBe("hello");
    expect(readAll(mustOpen("link-dir/b.txt"))).toBe("bee");
    expect(readAll(mustOpen("link-to-prog"))).toBe("\x7fELF");
  });

  it("resolves .. after a symlink from the link target, not lexically", () => {
    // link-dir -> sub, so link-dir/.. is work itself
    expect(readAll(mustOpen("link-dir/../a.txt"))).toBe("hello");
  });

  it("reports canonical paths of opened files", () => {
    expect(mustOpen("link-dir/./b.txt").path).toBe("/home/u/work/sub/b.txt");
  });

  it("gives ENOTDIR through a file and for a trailing slash on a file", () => {
    expect(vfs.open(ctx, "a.txt/x", O.RDONLY, 0, 0)).toBe(-E.ENOTDIR);
    expect(vfs.open(ctx, "a.txt/", O.RDONLY, 0, 0)).toBe(-E.ENOTDIR);
    expect(vfs.stat(ctx, "a.txt/.", true)).toBe(-E.ENOTDIR);
  });

  it("gives ENOENT for missing files and missing intermediate directories", () => {
    expect(vfs.open(ctx, "nope", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
    expect(vfs.open(ctx, "nope/x", O.RDONLY | O.CREAT, 0o644, 0)).toBe(-E.ENOENT);
    expect(vfs.open(ctx, "", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
  });
});

describe("escapes", () => {
  it("keeps .. at a mount root in the guest namespace", () => {
    expect(vfs.stat(ctx, "../secret/s.txt", true)).toBe(-E.ENOENT);
    expect(vfs.stat(ctx, "../../../../../../secret/s.txt", true)).toBe(-E.ENOENT);
    expect(vfs.open(ctx, "/home/u/work/../../../..", O.RDONLY, 0, 0)).not.toBeTypeOf("number");
    const up = mustOpen("..");
    expect(up.path).toBe("/home/u");
    // /.. is /
    expect(mustOpen("/../../..").path).toBe("/");
  });

  it("interprets absolute symlink targets in the guest namespace", () => {
    expect(vfs.open(ctx, "link-abs-out", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
    expect(vfs.open(ctx, "link-host-abs", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
  });

  it("does not let relative symlinks climb out of the mount", () => {
    expect(vfs.open(ctx, "link-rel-out", O.RDONLY, 0, 0)).toBe(-E.ENOENT);
    expect(mustOpen("link-up").path).toBe("/home/u");
    expect(vfs.stat(ctx, "link-up/secret", true)).toBe(-E.ENOENT);
  });

  it("stops symlink loops with ELOOP", () => {
    expect(vfs.open(ctx, "loop1", O.RDONLY, 0, 0)).toBe(-E.ELOOP);
    expect(vfs.stat(ctx, "loop1/x", true)).toBe(-E.ELOOP);
  });

  it("allows 40 links in a chain but not 41", () => {
    const work = path.join(tmp, "work");
    fs.mkdirSync(path.join(work, "chain"));
    fs.writeFileSync(path.join(work, "chain", "end"), "x");
    fs.symlinkSync("end", path.join(work, "chain", "l0"));
    for (let i = 1; i <= 40; i++) fs.symlinkSync(`l${i - 1}`, path.join(work, "chain", `l${i}`));
    expect(readAll(mustOpen("chain/l39"))).toBe("x"); // 40 links
    expect(vfs.open(ctx, "chain/l40", O.RDONLY, 0, 0)).toBe(-E.ELOOP); // 41 links
  });

  it("refuses O_NOFOLLOW on a final symlink with ELOOP but follows intermediate ones", () => {
    expect(vfs.open(ctx, "link-rel-in", O.RDONLY | O.NOFOLLOW, 0, 0)).toBe(-E.ELOOP);
    expect(readAll(mustOpen("link-dir/b.txt", O.RDONLY | O.NOFOLLOW))).toBe("bee");
  });

  it("creates through a dangling symlink, as Linux does, but not with O_EXCL", () => {
    expect(vfs.open(ctx, "dangling", O.WRONLY | O.CREAT | O.EXCL, 0o644, 0o022)).toBe(-E.EEXIST);
    const f = mustOpen("dangling", O.WRONLY | O.CREAT, 0o640);
    expect(f.path).toBe("/home/u/work/nothere");
    expect(fs.existsSync(path.join(tmp, "work", "nothere"))).toBe(true);
    expect(fs.statSync(path.join(tmp, "work", "nothere")).mode & 0o777).toBe(0o640);
  });

  it("limits paths to 4095 bytes and components to 255", () => {
    expect(vfs.stat(ctx, "x".repeat(256), true)).toBe(-E.ENAMETOOLONG);
    expect(vfs.stat(ctx, "x".repeat(255), true)).toBe(-E.ENOENT);
    const long = "/" + "a/".repeat(2048);
    expect(long.length).toBeGreaterThanOrEqual(4096);
    expect(vfs.stat(ctx, long, true)).toBe(-E.ENAMETOOLONG);
    expect(vfs.stat(ctx, "./".repeat(2047) + "a.txt", true)).toBe(-E.ENAMETOOLONG);
  });

  it("keeps non-UTF-8 names byte-exact", () => {
    const name = "caf\xe9-\xff"; // latin1 bytes, invalid UTF-8
    const f = mustOpen(name, O.WRONLY | O.CREAT, 0o644);
    expect(f.path).toBe("/home/u/work/" + name);
    const onHost = fs.readdirSync(path.join(tmp, "work"), { encoding: "buffer" }).map((b) => b.toString("latin1"));
    expect(onHost).toContain(name);
    expect(listNames(".")).toContain(name);
  });
});

describe("read-only mounts and synthetic directories", () => {
  it("reads a read-only mount and refuses changes with EROFS", () => {
    expect(readAll(mustOpen("/opt/ro/c.txt"))).toBe("sea");
    expect(vfs.open(ctx, "/opt/ro/c.txt", O.WRONLY, 0, 0)).toBe(-E.EROFS);
    expect(vfs.open(ctx, "/opt/ro/c.txt", O.RDONLY | O.TRUNC, 0, 0)).toBe(-E.EROFS);
    expect(vfs.open(ctx, "/opt/ro/new", O.WRONLY | O.CREAT, 0o644, 0)).toBe(-E.EROFS);
    // O_CREAT on an existing file opened read-only is fine
    expect(readAll(mustOpen("/opt/ro/c.txt", O.RDONLY | O.CREAT))).toBe("sea");
    expect(vfs.mkdir(ctx, "/opt/ro/d", 0o755, 0)).toBe(-E.EROFS);
    expect(vfs.mkdir(ctx, "/opt/ro/c.txt", 0o755, 0)).toBe(-E.EEXIST);
    expect(vfs.unlink(ctx, "/opt/ro/c.txt", false)).toBe(-E.EROFS);
    expect(vfs.unlink(ctx, "/opt/ro/missing", false)).toBe(-E.EROFS);
    expect(vfs.rename(ctx, "/opt/ro/c.txt", ctx, "/opt/ro/d.txt", 0)).toBe(-E.EROFS);
    expect(vfs.symlink("x", ctx, "/opt/ro/l")).toBe(-E.EROFS);
    expect(vfs.chmod(ctx, "/opt/ro/c.txt", 0o600)).toBe(-E.EROFS);
    expect(vfs.truncate(ctx, "/opt/ro/c.txt", 0)).toBe(-E.EROFS);
    expect(vfs.access(ctx, "/opt/ro/c.txt", 2, true)).toBe(-E.EROFS);
    expect(vfs.access(ctx, "/opt/ro/c.txt", 4, true)).toBe(0);
    expect(readAll(mustOpen("/opt/ro/c-link"))).toBe("sea");
  });

  it("mounts the program file read-only at its guest path", () => {
    expect(readAll(mustOpen("/home/u/prog"))).toBe("\x7fELF");
    expect(vfs.open(ctx, "/home/u/prog", O.RDWR, 0, 0)).toBe(-E.EROFS);
    expect(vfs.unlink(ctx, "/home/u/prog", false)).toBe(-E.EROFS);
    const st = vfs.stat(ctx, "/home/u/prog", true) as StatInfo;
    expect(st.mode & S.IFMT).toBe(S.IFREG);
    expect(st.mountRoot).toBe(true);
  });

  it("does not shadow a program the guest already sees through a mount", () => {
    const work = path.join(tmp, "work");
    fs.writeFileSync(path.join(work, "own-prog"), "\x7fELF");
    const v = new Vfs({
      mounts: [{ host: work, guest: "/w", readOnly: false }],
      exeHostPath: path.join(work, "own-prog"),
      exeGuestPath: "/w/own-prog",
      hostHasTty: false,
    });
    const c: PathCtx = { cwd: "/w", exe: "/w/own-prog" };
    expect(v.ns.mounts.length).toBe(1);
    expect(v.readlink(c, "/proc/self/exe")).toBe("/w/own-prog");
    expect(v.unlink(c, "own-prog", false)).toBe(0);
  });

  it("lists synthetic directories with only the mounted children", () => {
    expect(listNames("/")).toEqual([".", "..", "dev", "home", "opt", "proc"]);
    expect(listNames("/home/u")).toEqual([".", "..", "prog", "work"]);
    expect(listNames("/dev")).toEqual([".", "..", "fd", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"]);
    expect(listNames("/proc/self")).toEqual([".", "..", "exe", "fd"]);
    expect(listNames("/proc/self/fd")).toEqual([".", ".."]); // no descriptor table in this context
  });

  it("stats synthetic directories with stable made-up values", () => {
    const a = vfs.stat(ctx, "/home", true) as StatInfo;
    const b = vfs.stat(rootCtx, "home", true) as StatInfo;
    expect(a.mode).toBe(S.IFDIR | 0o555);
    expect(a.ino).toBe(b.ino);
    expect(a.uid).toBe(0);
    expect(a.mtime.sec).toBe(1_700_000_000n);
    expect(a.nlink).toBe(3); // 2 + the subdirectory u
  });

  it("refuses creation in synthetic directories", () => {
    expect(vfs.mkdir(ctx, "/newdir", 0o755, 0)).toBe(-E.EROFS);
    expect(vfs.mkdir(ctx, "/home", 0o755, 0)).toBe(-E.EEXIST);
    expect(vfs.open(ctx, "/home/x", O.CREAT | O.WRONLY, 0o644, 0)).toBe(-E.EROFS);
    expect(vfs.unlink(ctx, "/dev/null", false)).toBe(-E.EROFS);
    expect(vfs.unlink(ctx, "/home", true)).toBe(-E.EROFS);
    expect(vfs.open(ctx, "/home", O.WRONLY, 0, 0)).toBe(-E.EISDIR);
    expect(vfs.access(ctx, "/home", 1, true)).toBe(0);
    expect(vfs.access(ctx, "/home", 2, true)).toBe(-E.EROFS);
  });

  it("shows nothing that is not mounted", () => {
    expect(vfs.stat(ctx, "/etc/passwd", true)).toBe(-E.ENOENT);
    expect(vfs.stat(ctx, "/tmp", true)).toBe(-E.ENOENT);
    expect(vfs.stat(ctx, "/home/other", true)).toBe(-E.ENOENT);
    expect(vfs.stat(ctx, tmp, true)).toBe(-E.ENOENT);
  });

  it("returns EXDEV across mounts and EBUSY for removing or renaming a mount point", () => {
    expect(vfs.rename(ctx, "a.txt", ctx, "/opt/ro/a.txt", 0)).toBe(-E.EXDEV);
    const work = path.join(tmp, "work");
    const nested = new Vfs({
      mounts: [
        { host: work, guest: "/w", readOnly: false },
        { host: path.join(tmp, "ro"), guest: "/w/sub", readOnly: true },
      ],
      exeHostPath: "",
      exeGuestPath: "",
      hostHasTty: false,
    });
    const c: PathCtx = { cwd: "/w", exe: "" };
    expect(nested.unlink(c, "sub", true)).toBe(-E.EBUSY);
    expect(nested.rename(c, "sub", c, "sub2", 0)).toBe(-E.EBUSY);
    expect(nested.rename(c, "a.txt", c, "sub", 0)).toBe(-E.EBUSY);
    // the mount shows the read-only tree, not the host's work/sub
    expect(nested.stat(c, "sub/c.txt", true)).not.toBeTypeOf("number");
    expect(nested.stat(c, "sub/b.txt", true)).toBe(-E.ENOENT);
    expect(nested.stat(c, "/w/sub/../a.txt", true)).not.toBeTypeOf("number");
  });
});

describe("devices and /proc/self/exe", () => {
  it("reads and writes /dev/null, /dev/zero, /dev/urandom", () => {
    const n = mustOpen("/dev/null", O.RDWR);
    expect(n.read(new Uint8Array(10))).toBe(0);
    expect(n.write(new Uint8Array(7))).toBe(7);
    const z = mustOpen("/dev/zero");
    const buf = new Uint8Array(8).fill(1);
    expect(z.read(buf)).toBe(8);
    expect([...buf]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const r = mustOpen("/dev/urandom");
    expect(r.read(buf)).toBe(8);
    expect(buf[0]).toBe(0xab); // the configured random source
    const st = n.stat() as StatInfo;
    expect(st.mode).toBe(S.IFCHR | 0o666);
    expect(st.rdev).toBe(makedev(1, 3));
  });

  it("resolves /proc/self/exe to the program's guest path", () => {
    expect(vfs.readlink(ctx, "/proc/self/exe")).toBe("/home/u/prog");
    expect(vfs.readlink({ ...ctx, exe: "/other" }, "/proc/self/exe")).toBe("/other");
    expect(readAll(mustOpen("/proc/self/exe"))).toBe("\x7fELF");
    const l = vfs.stat(ctx, "/proc/self/exe", false) as StatInfo;
    expect(l.mode).toBe(S.IFLNK | 0o777);
    expect(l.size).toBe(BigInt("/home/u/prog".length));
  });

  it("has no /dev/tty without a host tty", () => {
    expect(vfs.stat(ctx, "/dev/tty", true)).toBe(-E.ENOENT);
  });
});

describe("directory listing", () => {
  it("lists a host directory sorted, with . and .., and overlay mounts merged in", () => {
    const work = path.join(tmp, "work", "ls");
    fs.mkdirSync(work);
    for (const n of ["zeta", "Alpha", "beta", "_x"]) fs.writeFileSync(path.join(work, n), "");
    fs.mkdirSync(path.join(work, "dir"));
    const d = mustOpen("ls", O.RDONLY | O.DIRECTORY);
    const bytes = d.getdents(4096) as Uint8Array;
    const ents = parseDirents(bytes);
    expect(ents.map((e) => e.name)).toEqual([".", "..", "Alpha", "_x", "beta", "dir", "zeta"]);
    expect(ents.map((e) => e.type)).toEqual([DT.DIR, DT.DIR, DT.REG, DT.REG, DT.REG, DT.DIR, DT.REG]);
    expect(ents.map((e) => e.off)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    for (const e of ents) {
      expect(e.reclen % 8).toBe(0);
      expect(e.reclen).toBe(direntSize(e.name.length));
    }
    expect(ents[2].ino).toBe(fs.statSync(path.join(work, "Alpha"), { bigint: true }).ino);
    expect(ents[1].ino).toBe(fs.statSync(path.join(tmp, "work"), { bigint: true }).ino);
    expect(d.getdents(4096)).toEqual(new Uint8Array(0));
    // rewind and read again in small pieces
    expect(d.seek(0, 0)).toBe(0);
    const small = d.getdents(direntSize(1) + direntSize(2));
    expect(parseDirents(small as Uint8Array).map((e) => e.name)).toEqual([".", ".."]);
    expect(d.getdents(8)).toBe(-E.EINVAL);
    // seekdir to a d_off
    expect(d.seek(5, 0)).toBe(5);
    expect(parseDirents(d.getdents(4096) as Uint8Array).map((e) => e.name)).toEqual(["dir", "zeta"]);
  });

  it("shows .. of a mount root as the guest parent", () => {
    const d = mustOpen(".", O.RDONLY | O.DIRECTORY);
    const ents = parseDirents(d.getdents(4096) as Uint8Array);
    const u = vfs.stat(ctx, "/home/u", true) as StatInfo;
    expect(ents[1].name).toBe("..");
    expect(ents[1].ino).toBe(u.ino);
  });

  it("read on a directory is EISDIR and getdents on a file ENOTDIR", () => {
    expect(mustOpen("sub").read(new Uint8Array(4))).toBe(-E.EISDIR);
    expect(mustOpen("a.txt").getdents(4096)).toBe(-E.ENOTDIR);
  });
});

describe("changes in a read-write mount", () => {
  it("mkdir, rmdir, unlink, symlink, link, rename with Linux errors", () => {
    expect(vfs.mkdir(ctx, "m", 0o777, 0o022)).toBe(0);
    expect(fs.statSync(path.join(tmp, "work", "m")).mode & 0o777).toBe(0o755);
    expect(vfs.mkdir(ctx, "m", 0o777, 0)).toBe(-E.EEXIST);
    expect(vfs.mkdir(ctx, "m2/", 0o777, 0)).toBe(0);
    expect(vfs.mkdir(ctx, "dangling", 0o777, 0)).toBe(-E.EEXIST);
    expect(vfs.unlink(ctx, "m", false)).toBe(-E.EISDIR);
    expect(vfs.unlink(ctx, "a.txt", true)).toBe(-E.ENOTDIR);
    expect(vfs.unlink(ctx, "a.txt/", false)).toBe(-E.ENOTDIR);
    expect(vfs.unlink(ctx, "m/.", true)).toBe(-E.EINVAL);
    expect(vfs.unlink(ctx, "m/..", true)).toBe(-E.ENOTEMPTY);
    expect(vfs.unlink(ctx, "sub", true)).toBe(-E.ENOTEMPTY);
    expect(vfs.unlink(ctx, "m", true)).toBe(0);
    expect(vfs.unlink(ctx, "m2", true)).toBe(0);
    expect(vfs.unlink(ctx, "/home/u/work", true)).toBe(-E.EROFS); // its parent is synthetic
    expect(vfs.symlink("a.txt", ctx, "sl")).toBe(0);
    expect(vfs.readlink(ctx, "sl")).toBe("a.txt");
    expect(vfs.readlink(ctx, "a.txt")).toBe(-E.EINVAL);
    expect(vfs.symlink("a.txt", ctx, "sl")).toBe(-E.EEXIST);
    expect(vfs.symlink("", ctx, "sl2")).toBe(-E.ENOENT);
    expect(vfs.link(ctx, "a.txt", ctx, "hl", false)).toBe(0);
    expect((vfs.stat(ctx, "hl", true) as StatInfo).nlink).toBe(2);
    expect(vfs.link(ctx, "sub", ctx, "hl2", false)).toBe(-E.EPERM);
    expect(vfs.link(ctx, "/opt/ro/c.txt", ctx, "hl3", false)).toBe(-E.EXDEV);
    expect(vfs.link(ctx, "/dev/null", ctx, "hl4", false)).toBe(-E.EXDEV);
    expect(vfs.rename(ctx, "hl", ctx, "sl", 1 /* NOREPLACE */)).toBe(-E.EEXIST);
    expect(vfs.rename(ctx, "hl", ctx, "sl", 2 /* EXCHANGE */)).toBe(-E.EINVAL);
    expect(vfs.rename(ctx, "hl", ctx, "sub", 0)).toBe(-E.EISDIR);
    expect(vfs.rename(ctx, "hl/", ctx, "x", 0)).toBe(-E.ENOTDIR);
    expect(vfs.rename(ctx, "missing", ctx, "x", 0)).toBe(-E.ENOENT);
    expect(vfs.rename(ctx, "hl", ctx, "hl-moved", 0)).toBe(0);
    expect(vfs.unlink(ctx, "hl-moved", false)).toBe(0);
    expect(vfs.unlink(ctx, "sl", false)).toBe(0);
    expect(vfs.unlink(ctx, "/home/u/work", false)).toBe(-E.EROFS);
  });

  it("open flags: O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, EISDIR", () => {
    const f = mustOpen("t.txt", O.RDWR | O.CREAT | O.EXCL, 0o600);
    expect(f.write(Buffer.from("abcdef"))).toBe(6);
    expect(vfs.open(ctx, "t.txt", O.RDWR | O.CREAT | O.EXCL, 0o600, 0)).toBe(-E.EEXIST);
    expect(vfs.open(ctx, "t.txt", O.RDONLY | O.DIRECTORY, 0, 0)).toBe(-E.ENOTDIR);
    expect(vfs.open(ctx, "sub", O.RDONLY | O.CREAT, 0o644, 0)).toBe(-E.EISDIR);
    expect(vfs.open(ctx, "newdir/", O.RDWR | O.CREAT, 0o644, 0)).toBe(-E.EISDIR);
    expect(vfs.open(ctx, "x", O.CREAT | O.DIRECTORY, 0o644, 0)).toBe(-E.EINVAL);
    const a = mustOpen("t.txt", O.WRONLY | O.APPEND);
    expect(a.write(Buffer.from("XY"))).toBe(2);
    expect(fs.readFileSync(path.join(tmp, "work", "t.txt"), "latin1")).toBe("abcdefXY");
    expect(f.flags & O.ACCMODE).toBe(O.RDWR);
    expect(f.flags & (O.CREAT | O.EXCL)).toBe(0);
    expect(f.flags & O.LARGEFILE).toBe(O.LARGEFILE);
    const tr = mustOpen("t.txt", O.WRONLY | O.TRUNC);
    expect((tr.stat() as StatInfo).size).toBe(0n);
  });

  it("seek, pread, pwrite, truncate on host files", () => {
    const f = mustOpen("p.txt", O.RDWR | O.CREAT, 0o644);
    expect(f.pwrite(Buffer.from("0123456789"), 0)).toBe(10);
    expect(f.seek(0, 2)).toBe(10);
    expect(f.seek(-3, 1)).toBe(7);
    expect(readAll(f)).toBe("789");
    expect(f.seek(-1, 0)).toBe(-E.EINVAL);
    const b = new Uint8Array(3);
    expect(f.pread(b, 2)).toBe(3);
    expect(Buffer.from(b).toString()).toBe("234");
    expect(f.truncate(4)).toBe(0);
    expect(f.seek(0, 2)).toBe(4);
    expect(f.seek(2, 3 /* SEEK_DATA */)).toBe(2);
    expect(f.seek(1, 4 /* SEEK_HOLE */)).toBe(4);
    expect(f.seek(9, 3)).toBe(-E.ENXIO);
  });

  it("O_PATH opens name a node without I/O", () => {
    const p = mustOpen("link-rel-in", O.PATH | O.NOFOLLOW);
    expect(p.kind).toBe("path");
    expect(p.read(new Uint8Array(1))).toBe(-E.EBADF);
    expect(((p.stat() as StatInfo).mode & S.IFMT)).toBe(S.IFLNK);
    const d = mustOpen("sub", O.PATH);
    expect(((d.stat() as StatInfo).mode & S.IFMT)).toBe(S.IFDIR);
  });

  it("chdir checks the target and returns its canonical path", () => {
    expect(vfs.chdir(ctx, "link-dir")).toBe("/home/u/work/sub");
    expect(vfs.chdir(ctx, "a.txt")).toBe(-E.ENOTDIR);
    expect(vfs.chdir(ctx, "/")).toBe("/");
  });

  it("utimes sets times, omit keeps them", () => {
    const target = path.join(tmp, "work", "a.txt");
    expect(vfs.utimes(ctx, "a.txt", { sec: 1000n, nsec: 500_000_000 }, { sec: 2000n, nsec: 0 }, true)).toBe(0);
    let st = fs.statSync(target);
    expect(st.atimeMs).toBe(1_000_500);
    expect(st.mtimeMs).toBe(2_000_000);
    expect(vfs.utimes(ctx, "a.txt", "omit", { sec: 3000n, nsec: 0 }, true)).toBe(0);
    st = fs.statSync(target);
    expect(st.atimeMs).toBe(1_000_500);
    expect(st.mtimeMs).toBe(3_000_000);
    expect(vfs.utimes(ctx, "/opt/ro/c.txt", "now", "now", true)).toBe(-E.EROFS);
  });

  it("statfs reports the mount's read-only flag", () => {
    const rw = vfs.statfs(ctx, "a.txt");
    const ro = vfs.statfs(ctx, "/opt/ro/c.txt");
    if (typeof rw === "number" || typeof ro === "number") throw new Error("statfs failed");
    expect(rw.flags & 1).toBe(0);
    expect(ro.flags & 1).toBe(1);
    expect(rw.bsize).toBeGreaterThan(0n);
  });
});

describe("struct encodings", () => {
  const info: StatInfo = {
    dev: makedev(8, 1),
    ino: 0x1122334455667788n,
    mode: S.IFREG | 0o644,
    nlink: 3,
    uid: 1000,
    gid: 100,
    rdev: makedev(136, 300),
    size: 12345n,
    blksize: 4096,
    blocks: 24n,
    atime: { sec: 1_600_000_000n, nsec: 1 },
    mtime: { sec: 1_600_000_001n, nsec: 2 },
    ctime: { sec: -5n, nsec: 999_999_999 },
    btime: { sec: 7n, nsec: 8 },
    mountRoot: true,
  };

  it("encodes struct stat with the asm-generic layout", () => {
    const b = encodeStat(info);
    const v = new DataView(b.buffer);
    expect(b.length).toBe(SIZEOF.stat);
    expect(v.getBigUint64(0, true)).toBe(0x801n);
    expect(v.getBigUint64(8, true)).toBe(0x1122334455667788n);
    expect(v.getUint32(16, true)).toBe(S.IFREG | 0o644);
    expect(v.getUint32(20, true)).toBe(3);
    expect(v.getUint32(24, true)).toBe(1000);
    expect(v.getUint32(28, true)).toBe(100);
    expect(v.getBigUint64(32, true)).toBe(makedev(136, 300));
    expect(v.getBigInt64(48, true)).toBe(12345n);
    expect(v.getInt32(56, true)).toBe(4096);
    expect(v.getBigInt64(64, true)).toBe(24n);
    expect(v.getBigInt64(72, true)).toBe(1_600_000_000n);
    expect(v.getBigUint64(80, true)).toBe(1n);
    expect(v.getBigInt64(88, true)).toBe(1_600_000_001n);
    expect(v.getBigUint64(96, true)).toBe(2n);
    expect(v.getBigInt64(104, true)).toBe(-5n);
    expect(v.getBigUint64(112, true)).toBe(999_999_999n);
  });

  it("encodes struct statx", () => {
    const b = encodeStatx(info);
    const v = new DataView(b.buffer);
    expect(b.length).toBe(SIZEOF.statx);
    expect(v.getUint32(0x00, true)).toBe(0xfff); // basic stats + btime
    expect(v.getUint32(0x04, true)).toBe(4096);
    expect(v.getBigUint64(0x08, true)).toBe(0x2000n); // STATX_ATTR_MOUNT_ROOT
    expect(v.getUint32(0x10, true)).toBe(3);
    expect(v.getUint32(0x14, true)).toBe(1000);
    expect(v.getUint32(0x18, true)).toBe(100);
    expect(v.getUint16(0x1c, true)).toBe(S.IFREG | 0o644);
    expect(v.getBigUint64(0x20, true)).toBe(0x1122334455667788n);
    expect(v.getBigUint64(0x28, true)).toBe(12345n);
    expect(v.getBigUint64(0x30, true)).toBe(24n);
    expect(v.getBigInt64(0x40, true)).toBe(1_600_000_000n);
    expect(v.getUint32(0x48, true)).toBe(1);
    expect(v.getBigInt64(0x50, true)).toBe(7n);
    expect(v.getBigInt64(0x60, true)).toBe(-5n);
    expect(v.getBigInt64(0x70, true)).toBe(1_600_000_001n);
    expect(v.getUint32(0x80, true)).toBe(136);
    expect(v.getUint32(0x84, true)).toBe(300);
    expect(v.getUint32(0x88, true)).toBe(8);
    expect(v.getUint32(0x8c, true)).toBe(1);
  });

  it("encodes device numbers as Linux does", () => {
    expect(makedev(1, 3)).toBe(0x103n);
    expect(makedev(136, 300)).toBe(0x10882cn);
    expect(devMajor(makedev(4095, 0xfffff))).toBe(4095);
    expect(devMinor(makedev(4095, 0xfffff))).toBe(0xfffff);
  });

  it("encodes struct statfs as eleven longs", () => {
    const b = encodeStatfs({ type: 0xef53, bsize: 4096n, blocks: 10n, bfree: 5n, bavail: 4n, files: 100n, ffree: 50n, namelen: 255, flags: 0x21 });
    const v = new DataView(b.buffer);
    expect(b.length).toBe(120);
    expect(v.getBigInt64(0, true)).toBe(0xef53n);
    expect(v.getBigInt64(8, true)).toBe(4096n);
    expect(v.getBigInt64(48, true)).toBe(50n);
    expect(v.getBigInt64(64, true)).toBe(255n);
    expect(v.getBigInt64(72, true)).toBe(4096n);
    expect(v.getBigInt64(80, true)).toBe(0x21n);
  });
});
