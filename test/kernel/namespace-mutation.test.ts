// The guest file namespace (src/kernel/vfs/namespace.ts) used directly, without the Vfs around it:
// what resolve returns for the edge cases of a path (its name, parent, trailing slash, the length
// limits), host errors met on the way, /proc/self/fd links to every kind of open file, the
// synthetic directories' stat and listings, and the order and inode numbers of directory entries.
// test/kernel/vfs.test.ts covers resolution through the Vfs; this file covers what it cannot see.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { DT, S } from "../../src/abi/fs.js";
import { Namespace, SYNTH_DEV, synthIno, type FdView, type Lookup, type Node, type PathCtx } from "../../src/kernel/vfs/namespace.js";
import type { OpenFile } from "../../src/kernel/vfs/open-file.js";
import { hostKey } from "../../src/kernel/vfs/stat.js";

const TIME = { sec: 1_700_000_000n, nsec: 0 };
let tmp: string;
let work: string;
/** A host directory whose path is close to PATH_MAX, so a long name inside it is too long for the host. */
let deep: string;
const LONG_NAME = "n".repeat(250);

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-ns-")));
  work = path.join(tmp, "work");
  fs.mkdirSync(path.join(work, "sub", "inner"), { recursive: true });
  fs.writeFileSync(path.join(work, "a.txt"), "a");
  fs.writeFileSync(path.join(work, "f"), "a file where the overlay wants a directory");
  fs.symlinkSync("sub", path.join(work, "to-sub"));
  fs.symlinkSync(Buffer.from("caf\xe9", "latin1"), path.join(work, "latin1-link")); // not UTF-8
  fs.symlinkSync("loop-b", path.join(tmp, "loop-a"));
  fs.symlinkSync("loop-a", path.join(tmp, "loop-b"));
  deep = tmp;
  while (deep.length < 3900) deep = path.join(deep, "d".repeat(200));
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, "short"), "");
  // Made from inside the directory: its full path is longer than the host accepts.
  execFileSync("touch", [LONG_NAME], { cwd: deep });
});

afterAll(() => {
  // rm walks the tree relative to each directory; Node's rmSync would need the over-long path.
  execFileSync("rm", ["-rf", tmp]);
});

const ctx: PathCtx = { cwd: "/", exe: "/bin/prog" };

function lookup(ns: Namespace, p: string, mode: "follow" | "nofollow" | "create" = "follow", c: PathCtx = ctx): Lookup {
  const r = ns.resolve(c, p, mode);
  if (typeof r === "number") throw new Error(`resolve ${p}: ${r}`);
  return r;
}

/** An open file as /proc/self/fd sees it: only its guest path and kind matter there. */
const openFile = (p: string, kind: string) => ({ path: p, kind }) as unknown as OpenFile;

function fdView(files: Record<number, OpenFile>): FdView {
  return {
    get: (fd) => files[fd],
    fds: () => Object.keys(files).map(Number),
  };
}

describe("synthIno", () => {
  it("differs between paths and is never zero", () => {
    const inos = ["/", "/a", "/b", "/dev/null", "/proc/self"].map(synthIno);
    expect(new Set(inos).size).toBe(5);
    for (const ino of inos) {
      expect(ino).toBeGreaterThan(0n);
      expect(ino).toBeLessThan(2n ** 48n);
    }
  });
});

describe("an empty namespace", () => {
  it("has a synthetic root that is busy and lists only . and ..", () => {
    const ns = new Namespace(TIME);
    expect(ns.isBusy("/")).toBe(true);
    expect(ns.isBusy("/x")).toBe(false);
    const root = lookup(ns, "/");
    expect(root.node).toEqual({ t: "synth" });
    const list = ns.listDir(root.node!, "/", ctx);
    expect(list).toEqual([
      { name: ".", ino: synthIno("/"), type: DT.DIR },
      { name: "..", ino: synthIno("/"), type: DT.DIR },
    ]);
  });

  it("a name longer than NAME_MAX is ENAMETOOLONG even where no host directory would say so", () => {
    const ns = new Namespace(TIME);
    expect(ns.resolve(ctx, "/" + "x".repeat(256), "follow")).toBe(-E.ENAMETOOLONG);
    expect(lookup(ns, "/" + "x".repeat(255)).node).toBeNull();
  });
});

describe("mounts and overlay entries", () => {
  it("numbers mounts 1, 2, 3, … and finds each at its guest path", () => {
    const ns = new Namespace(TIME);
    const a = ns.addMount(work, "/w", false);
    const b = ns.addMount(path.join(work, "sub"), "/s", true);
    const c = ns.addMount(path.join(work, "a.txt"), "/file", true);
    expect([a.id, b.id, c.id]).toEqual([1, 2, 3]);
    expect(ns.mountAt("/s")).toBe(b);
    expect(ns.mountAt("/w")).toBe(a);
    ns.addDevice("/dev/null", "null");
    expect(ns.mountAt("/dev/null")).toBeUndefined();
    expect(ns.mountAt("/nowhere")).toBeUndefined();
    expect(ns.mountAt("/w/sub")).toBeUndefined();
  });

  it("a host directory mounted at / is the root", () => {
    const ns = new Namespace(TIME);
    ns.addMount(work, "/", false);
    const root = lookup(ns, "/");
    expect(root.node?.t).toBe("host");
    expect(lookup(ns, "/a.txt").node?.t).toBe("host");
    // A mounted root is no synthetic directory: isBusy still holds, from the overlay.
    expect(ns.isBusy("/")).toBe(true);
  });

  it("a mount whose host path cannot be looked up gives that error, at the root too", () => {
    const notDir = path.join(work, "a.txt", "below-a-file");
    const ns = new Namespace(TIME);
    ns.addMount(notDir, "/m", false);
    expect(ns.resolve(ctx, "/m", "follow")).toBe(-E.ENOTDIR);
    // The listing of / leaves it out.
    expect((ns.listDir({ t: "synth" }, "/", ctx) as { name: string }[]).map((e) => e.name)).toEqual([".", ".."]);
    const rootNs = new Namespace(TIME);
    rootNs.addMount(notDir, "/", false);
    expect(rootNs.resolve(ctx, "/anything", "follow")).toBe(-E.ENOTDIR);
    // Another error than ENOTDIR, to tell it from what a non-directory root would give.
    const loopNs = new Namespace(TIME);
    loopNs.addMount(path.join(tmp, "loop-a", "x"), "/", false);
    expect(loopNs.resolve(ctx, "/anything", "follow")).toBe(-E.ELOOP);
  });

  it("a mount whose host path is missing: absent, unless something is mounted below it", () => {
    const ns = new Namespace(TIME);
    ns.addMount(path.join(tmp, "missing"), "/gone", false);
    ns.addMount(path.join(tmp, "missing"), "/half", false);
    ns.addDevice("/half/null", "null");
    expect(lookup(ns, "/gone").node).toBeNull();
    expect(lookup(ns, "/half").node).toEqual({ t: "synth" });
    expect(lookup(ns, "/half/null").node).toEqual({ t: "dev", dev: "null" });
    const names = (ns.listDir({ t: "synth" }, "/", ctx) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual([".", "..", "half"]);
  });

  it("an overlay path below a host file makes that name a synthetic directory", () => {
    const ns = new Namespace(TIME);
    ns.addMount(work, "/w", false);
    ns.addDevice("/w/f/null", "null");
    expect(lookup(ns, "/w/f").node).toEqual({ t: "synth" });
    expect(lookup(ns, "/w/f/null").node).toEqual({ t: "dev", dev: "null" });
    // Where the host has a directory, the host's directory stays.
    ns.addDevice("/w/sub/null", "null");
    expect(lookup(ns, "/w/sub").node?.t).toBe("host");
    expect(lookup(ns, "/w/sub/null").node).toEqual({ t: "dev", dev: "null" });
  });

  it("a mount deeper than the host's PATH_MAX is reached whole: the host sees short paths through descriptors", () => {
    const ns = new Namespace(TIME);
    ns.addMount(deep, "/deep", false);
    expect(lookup(ns, "/deep/short").node?.t).toBe("host");
    // As a host path string this name is past PATH_MAX (ENAMETOOLONG); from the held mount root it is not.
    expect(lookup(ns, `/deep/${LONG_NAME}`).node?.t).toBe("host");
    const node = lookup(ns, "/deep").node!;
    const names = (ns.listDir(node, "/deep", ctx) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual([".", "..", LONG_NAME, "short"]);
  });

  it("lookupChild in something that is not a directory is ENOTDIR", () => {
    const ns = new Namespace(TIME);
    expect(ns.lookupChild({ t: "dev", dev: "null" }, "/dev/null", "x", ctx)).toBe(-E.ENOTDIR);
    expect(ns.lookupChild({ t: "link", target: "/" }, "/l", "x", ctx)).toBe(-E.ENOTDIR);
  });
});

describe("readLink", () => {
  it("returns host link targets byte for byte, and EINVAL for what is not a link", () => {
    const ns = new Namespace(TIME);
    ns.addMount(work, "/w", false);
    const link = lookup(ns, "/w/latin1-link", "nofollow").node!;
    expect(ns.readLink(link)).toBe("caf\xe9");
    expect(ns.readLink(lookup(ns, "/w/a.txt").node!)).toBe(-E.EINVAL);
    expect(ns.readLink({ t: "synth" })).toBe(-E.EINVAL);
    expect(ns.readLink({ t: "dev", dev: "null" })).toBe(-E.EINVAL);
  });
});

describe("resolve: the parts of the answer", () => {
  const ns = new Namespace(TIME);
  beforeAll(() => {
    ns.addMount(work, "/w", false);
  });

  it("for /: no name, no parent, no trailing slash", () => {
    const r = lookup(ns, "/");
    expect([r.path, r.name, r.parent, r.parentPath, r.trailingSlash]).toEqual(["/", "", null, "/", false]);
    expect(lookup(ns, "//").trailingSlash).toBe(true);
  });

  it("the final component as written: . and .. even at the root", () => {
    expect(lookup(ns, "/.").name).toBe(".");
    expect(lookup(ns, "/..").name).toBe("..");
    expect(lookup(ns, "/w/..").name).toBe("..");
    expect(lookup(ns, "/w/.").name).toBe(".");
    expect(lookup(ns, "/w/sub").name).toBe("sub");
  });

  it("the parent node and path of a found name", () => {
    const r = lookup(ns, "/w/sub/inner");
    expect(r.path).toBe("/w/sub/inner");
    expect(r.parentPath).toBe("/w/sub");
    expect(r.parent?.t).toBe("host");
    expect((r.parent as { ref: { shown: string } }).ref.shown).toBe(path.join(work, "sub"));
    expect(lookup(ns, "/w").parent).toEqual({ t: "synth" });
  });

  it("PATH_MAX counts the NUL: 4095 bytes may be looked up, 4096 may not", () => {
    const p4095 = "/w/" + "./".repeat(2043) + "/a.txt";
    const p4096 = "/w/" + "./".repeat(2043) + "//a.txt";
    expect([p4095.length, p4096.length]).toEqual([4095, 4096]);
    expect(lookup(ns, p4095).path).toBe("/w/a.txt");
    expect(ns.resolve(ctx, p4096, "follow")).toBe(-E.ENAMETOOLONG);
  });

  it("a trailing slash follows a final symlink even with nofollow; create does not insist on a directory", () => {
    const r = lookup(ns, "/w/to-sub/", "nofollow");
    expect(r.node?.t).toBe("host");
    expect(r.path).toBe("/w/sub");
    expect(lookup(ns, "/w/to-sub", "nofollow").path).toBe("/w/to-sub");
    expect(ns.resolve(ctx, "/w/a.txt/", "follow")).toBe(-E.ENOTDIR);
    const c = lookup(ns, "/w/a.txt/", "create");
    expect([c.path, c.trailingSlash, c.node?.t]).toEqual(["/w/a.txt", true, "host"]);
    // create never follows the final link, trailing slash or not.
    const l = lookup(ns, "/w/to-sub/", "create");
    expect([l.path, l.node?.t]).toEqual(["/w/to-sub", "host"]);
    expect((l.node as { st: fs.BigIntStats }).st.isSymbolicLink()).toBe(true);
  });

  it("an empty symlink target is ENOENT", () => {
    const ns2 = new Namespace(TIME);
    ns2.addSymlink("/empty", "");
    expect(ns2.resolve(ctx, "/empty", "follow")).toBe(-E.ENOENT);
    expect(lookup(ns2, "/empty", "nofollow").node).toEqual({ t: "link", target: "" });
  });

  it("an absolute symlink target starts again from the root", () => {
    const ns2 = new Namespace(TIME);
    ns2.addMount(work, "/w", false);
    ns2.addSymlink("/w/sub/abs", "/w");
    const r = lookup(ns2, "/w/sub/abs/a.txt");
    expect([r.path, r.parentPath, r.name]).toEqual(["/w/a.txt", "/w", "a.txt"]);
    // The name is the last component walked: the target's.
    const top = lookup(ns2, "/w/sub/abs");
    expect([top.path, top.name]).toEqual(["/w", "w"]);
  });
});

describe("/proc/self/fd", () => {
  const ns = new Namespace(TIME);
  beforeAll(() => {
    ns.addMount(work, "/w", false);
    ns.addFdDir("/proc/self/fd");
  });
  const files: Record<number, OpenFile> = {
    0: openFile("pipe:[7]", "pipe"),
    1: openFile("/w/a.txt", "file"),
    2: openFile("/w/sub", "dir"),
    3: openFile("/w/sub/inner", "path"),
    4: openFile("/w/a.txt", "device"),
    5: openFile("/w/a.txt", "stdio"),
    6: openFile("anon_inode:[eventfd]", "file"),
    10: openFile("/w/a.txt", "file"),
    12: openFile("/w/sub", "dir"),
  };
  const withFds: PathCtx = { ...ctx, fds: fdView(files) };

  it("follows links to files, directories, O_PATH descriptors and devices opened by path", () => {
    expect(lookup(ns, "/proc/self/fd/1", "follow", withFds).path).toBe("/w/a.txt");
    expect(lookup(ns, "/proc/self/fd/2/inner", "follow", withFds).path).toBe("/w/sub/inner");
    expect(lookup(ns, "/proc/self/fd/3", "follow", withFds).path).toBe("/w/sub/inner");
    expect(lookup(ns, "/proc/self/fd/4", "follow", withFds).path).toBe("/w/a.txt");
    expect(lookup(ns, "/proc/self/fd/12", "follow", withFds).path).toBe("/w/sub");
  });

  it("a link to a pipe, stdio or an object without a path is the fd node itself", () => {
    for (const fd of [0, 5, 6]) {
      const r = lookup(ns, `/proc/self/fd/${fd}`, "follow", withFds);
      expect([fd, r.node?.t, r.path, r.name]).toEqual([fd, "fd", `/proc/self/fd/${fd}`, String(fd)]);
    }
    // ... and cannot be walked through.
    expect(ns.resolve(withFds, "/proc/self/fd/0/x", "follow")).toBe(-E.ENOTDIR);
  });

  it("only canonical decimal names are descriptors", () => {
    for (const name of ["01", "00", "1e1", "0x1", "1x", "x1", "-1", " 1", "12345678901"]) {
      expect([name, lookup(ns, `/proc/self/fd/${name}`, "nofollow", withFds).node]).toEqual([name, null]);
    }
    expect(lookup(ns, "/proc/self/fd/10", "nofollow", withFds).node?.t).toBe("fd");
  });

  it("without a descriptor table the directory is empty", () => {
    expect(lookup(ns, "/proc/self/fd/1", "nofollow").node).toBeNull();
    const dir = lookup(ns, "/proc/self/fd").node!;
    expect((ns.listDir(dir, "/proc/self/fd", ctx) as { name: string }[]).map((e) => e.name)).toEqual([".", ".."]);
  });

  it("lists descriptors in numeric order, as links, with .. the inode of /proc/self", () => {
    const dir = lookup(ns, "/proc/self/fd", "follow", withFds).node!;
    expect(dir).toEqual({ t: "fddir" });
    const list = ns.listDir(dir, "/proc/self/fd", withFds) as { name: string; ino: bigint; type: number }[];
    expect(list.map((e) => e.name)).toEqual([".", "..", "0", "1", "2", "3", "4", "5", "6", "10", "12"]);
    expect(list.slice(2).every((e) => e.type === DT.LNK)).toBe(true);
    expect(list[2].ino).toBe(synthIno("/proc/self/fd/0"));
    expect(list[0]).toEqual({ name: ".", ino: synthIno("/proc/self/fd"), type: DT.DIR });
    expect(list[1]).toEqual({ name: "..", ino: synthIno("/proc/self"), type: DT.DIR });
  });

  it("stat: the directory is dr-x------ with two links, a descriptor an lrwx------ of size 64", () => {
    const dir = ns.statNode({ t: "fddir" }, "/proc/self/fd");
    expect([dir.mode, dir.nlink, dir.dev, dir.ino]).toEqual([S.IFDIR | 0o500, 2, SYNTH_DEV.proc, synthIno("/proc/self/fd")]);
    const fd = ns.statNode({ t: "fd", fd: 1, file: files[1] }, "/proc/self/fd/1");
    expect([fd.mode, fd.size, fd.dev]).toEqual([S.IFLNK | 0o700, 64n, SYNTH_DEV.proc]);
  });
});

describe("synthetic directories: stat and listing", () => {
  const ns = new Namespace(TIME);
  beforeAll(() => {
    ns.addMount(work, "/w", false);
    ns.addDevice("/dev/null", "null");
    ns.addDevice("/dev/pts/0", "null");
    ns.addSymlink("/dev/stdin", "/proc/self/fd/0");
    ns.addFdDir("/proc/self/fd");
    ns.addExeLink("/proc/self/exe");
    ns.addMount(work, "/b", true);
    ns.addMount(work, "/B", true);
    ns.addMount(work, "/a", true);
  });

  it("nlink is 2 plus the synthetic subdirectories", () => {
    expect(ns.statNode({ t: "synth" }, "/dev").nlink).toBe(3); // pts
    expect(ns.statNode({ t: "synth" }, "/dev/pts").nlink).toBe(2);
    expect(ns.statNode({ t: "synth" }, "/").nlink).toBe(4); // dev, proc; the mounts are host directories
    expect(ns.statNode({ t: "synth" }, "/proc").nlink).toBe(3); // self
    const st = ns.statNode({ t: "synth" }, "/dev");
    expect([st.mode, st.dev, st.ino]).toEqual([S.IFDIR | 0o555, SYNTH_DEV.dirs, synthIno("/dev")]);
  });

  it("a mount root is marked as one, a directory inside it is not", () => {
    expect(ns.statNode(lookup(ns, "/w").node!, "/w").mountRoot).toBe(true);
    expect(ns.statNode(lookup(ns, "/w/sub").node!, "/w/sub").mountRoot).toBe(false);
  });

  it("entries are sorted bytewise and typed by what they are", () => {
    const list = ns.listDir({ t: "synth" }, "/dev", ctx) as { name: string; ino: bigint; type: number }[];
    expect(list.map((e) => [e.name, e.type])).toEqual([
      [".", DT.DIR], ["..", DT.DIR], ["null", DT.CHR], ["pts", DT.DIR], ["stdin", DT.LNK],
    ]);
    expect(list[2].ino).toBe(synthIno("/dev/null"));
    const self = ns.listDir({ t: "synth" }, "/proc/self", ctx) as { name: string; type: number }[];
    expect(self.map((e) => [e.name, e.type])).toEqual([[".", DT.DIR], ["..", DT.DIR], ["exe", DT.LNK], ["fd", DT.DIR]]);
    const root = ns.listDir({ t: "synth" }, "/", ctx) as { name: string }[];
    expect(root.map((e) => e.name)).toEqual([".", "..", "B", "a", "b", "dev", "proc", "w"]);
  });

  it("the .. entry has the inode of the parent directory", () => {
    const dev = ns.listDir({ t: "synth" }, "/dev", ctx) as { name: string; ino: bigint }[];
    expect(dev[1]).toEqual({ name: "..", ino: synthIno("/"), type: DT.DIR });
    const pts = ns.listDir({ t: "synth" }, "/dev/pts", ctx) as { name: string; ino: bigint }[];
    expect(pts[1].ino).toBe(synthIno("/dev"));
    const sub = lookup(ns, "/w/sub");
    const list = ns.listDir(sub.node!, "/w/sub", ctx) as { name: string; ino: bigint }[];
    const parentSt = fs.statSync(work, { bigint: true });
    // The .. entry carries its directory's identity too (--deterministic's view numbers it by that).
    expect(list[1]).toEqual({ name: "..", ino: parentSt.ino, type: DT.DIR, hostKey: hostKey(parentSt) });
    expect(list[0].ino).toBe(fs.statSync(path.join(work, "sub"), { bigint: true }).ino);
  });

  it("a host directory that went away gives its error", () => {
    const gone = path.join(work, "soon-gone");
    fs.mkdirSync(gone);
    const node: Node = lookup(ns, "/w/soon-gone").node!;
    fs.rmdirSync(gone);
    expect(ns.listDir(node, "/w/soon-gone", ctx)).toBe(-E.ENOENT);
  });
});
