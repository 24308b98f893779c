// The guest namespace (src/kernel/vfs/namespace.ts) with the node kinds other modules fill:
// in-memory file systems (memfs) and generated trees (procfs, /etc), used directly. What is checked
// is what the interfaces promise (vfs/generated.ts, the comments of namespace.ts) and what Linux
// shows: a mount point below an in-memory directory, a generated file under a directory the host
// does not have, the entries and stat of generated nodes, and the host calls and descriptors a
// lookup costs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DT, S } from "../../src/abi/fs.js";
import type { GenCaller, GenDir, GenEntry, GenFile } from "../../src/kernel/vfs/generated.js";
import { hostFsCalls } from "../../src/kernel/vfs/host-calls.js";
import { MemFs } from "../../src/kernel/vfs/memfs.js";
import { Namespace, SYNTH_DEV, synthIno, type Lookup, type PathCtx } from "../../src/kernel/vfs/namespace.js";

const TIME = { sec: 1_700_000_000n, nsec: 0 };
const ctx: PathCtx = { cwd: "/", exe: "/bin/prog" };
let tmp: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-nodes-")));
  fs.mkdirSync(path.join(tmp, "d"));
  fs.writeFileSync(path.join(tmp, "d", "one"), "1");
  fs.writeFileSync(path.join(tmp, "d", "two"), "2");
  fs.writeFileSync(path.join(tmp, "passwd"), "host's own\n");
  fs.symlinkSync("d/one", path.join(tmp, "link"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function lookup(ns: Namespace, p: string, mode: "follow" | "nofollow" = "follow", c: PathCtx = ctx): Lookup {
  const r = ns.resolve(c, p, mode);
  if (typeof r === "number") throw new Error(`resolve ${p}: ${r}`);
  return r;
}

const memFs = () => new MemFs(0x2an, () => TIME, { uid: 0, gid: 0 }, null);
const file = (text: string, extra: Partial<GenFile> = {}): GenFile => ({ kind: "file", content: () => text, ...extra });
function dir(entries: Record<string, GenEntry | null>, extra: Partial<GenDir> = {}): GenDir {
  return { kind: "dir", names: () => Object.keys(entries), child: (n) => entries[n] ?? null, ...extra };
}

describe("a mount point below an in-memory directory", () => {
  // As below a host directory: the in-memory directory's own subdirectory of that name is used;
  // a missing name or a non-directory there shows the synthetic directory leading to the mount.
  const ns = new Namespace(TIME);
  const m = memFs();
  beforeAll(() => {
    ns.addMemFs("/m", m);
    const f = m.newInode(S.IFREG | 0o644);
    m.addEntry(m.root, "file", f);
    const d = m.newInode(S.IFDIR | 0o755);
    m.addEntry(m.root, "dir", d);
    for (const name of ["file", "dir", "absent"]) ns.addSymlink(`/m/${name}/below`, "/");
  });

  it("a missing name is the synthetic directory", () => {
    expect(lookup(ns, "/m/absent").node).toEqual({ t: "synth" });
  });

  it("a file of that name gives way to the synthetic directory", () => {
    expect(lookup(ns, "/m/file").node).toEqual({ t: "synth" });
  });

  it("a directory of that name is the in-memory directory", () => {
    const n = lookup(ns, "/m/dir").node!;
    expect(n.t).toBe("mem");
    expect(ns.statNode(n, "/m/dir").dev).toBe(0x2an);
  });

  it("the . entry of an in-memory directory carries its own inode", () => {
    const root = lookup(ns, "/m").node!;
    const list = ns.listDir(root, "/m", ctx) as { name: string; ino: bigint; type: number }[];
    expect(list[0]).toEqual({ name: ".", ino: m.root.ino, type: DT.DIR });
    expect(list.map((e) => e.name)).toEqual([".", "..", "absent", "dir", "file"]);
  });
});

describe("generated trees", () => {
  it("a fallback generated file shows where no host mount has one: under a synthetic or in-memory directory", () => {
    const ns = new Namespace(TIME);
    ns.addGenerated("/etc/passwd", () => file("generated\n"), true);
    expect(lookup(ns, "/etc/passwd").node?.t).toBe("gen");
    ns.addMemFs("/run", memFs());
    ns.addGenerated("/run/utmp", () => file(""), true);
    expect(lookup(ns, "/run/utmp").node?.t).toBe("gen");
  });

  it("a fallback generated file gives way to the host's, a plain one does not", () => {
    const ns = new Namespace(TIME);
    ns.addMount(tmp, "/h", false);
    ns.addGenerated("/h/passwd", () => file("generated\n"), true);
    expect(lookup(ns, "/h/passwd").node?.t).toBe("host");
    ns.addGenerated("/h/d/one", () => file("generated\n"));
    expect(lookup(ns, "/h/d/one").node?.t).toBe("gen");
  });

  it("a caller-less lookup shows the tree to pid 0, tid 0 (rvtrace itself)", () => {
    const ns = new Namespace(TIME);
    const seen: GenCaller[] = [];
    ns.addGenerated("/proc", (caller) => {
      seen.push({ ...caller });
      return dir({});
    });
    lookup(ns, "/proc");
    lookup(ns, "/proc", "follow", { ...ctx, caller: { pid: 5, tid: 6 } });
    expect(seen).toEqual([{ pid: 0, tid: 0 }, { pid: 5, tid: 6 }]);
  });

  it("entries are typed by kind, and a name that looks up nothing is not listed", () => {
    const ns = new Namespace(TIME);
    ns.addGenerated("/g", () => dir({
      f: file("x"),
      l: { kind: "link", target: () => "/" },
      s: dir({}),
      gone: null,
      // A link with no target (as /proc/self for rvtrace itself): the name looks up to ENOENT.
      dangling: { kind: "link", target: () => -2 },
    }));
    const list = ns.listDir(lookup(ns, "/g").node!, "/g", ctx) as { name: string; type: number; ino: bigint }[];
    expect(list.map((e) => [e.name, e.type])).toEqual([[".", DT.DIR], ["..", DT.DIR], ["f", DT.REG], ["l", DT.LNK], ["s", DT.DIR]]);
    expect(list[2].ino).toBe(synthIno("/g/f"));
  });

  it("stat: directories are 0555 unless given, owned by root unless given; files have size 0 unless sized", () => {
    const ns = new Namespace(TIME);
    const plain = ns.statNode({ t: "gen", g: dir({}) }, "/p");
    expect([plain.mode, plain.uid, plain.gid, plain.nlink, plain.dev]).toEqual([S.IFDIR | 0o555, 0, 0, 2, SYNTH_DEV.proc]);
    const own = ns.statNode({ t: "gen", g: dir({}, { mode: 0o500, owner: { uid: 1000, gid: 1001 } }) }, "/p/1");
    expect([own.mode, own.uid, own.gid]).toEqual([S.IFDIR | 0o500, 1000, 1001]);
    const seq = ns.statNode({ t: "gen", g: file("MemTotal: 1 kB\n") }, "/p/meminfo");
    expect([seq.mode, seq.size, seq.uid, seq.gid]).toEqual([S.IFREG | 0o444, 0n, 0, 0]);
    const sized = ns.statNode({ t: "gen", g: file("root:x:0:0::/root:/bin/sh\n", { sized: true, mode: 0o644, owner: { uid: 7, gid: 8 } }) }, "/etc/passwd");
    expect([sized.mode, sized.size, sized.uid, sized.gid]).toEqual([S.IFREG | 0o644, 26n, 7, 8]);
  });
});

describe("what a lookup costs the host", () => {
  it("readlink of a host link is one host call; a listing is its readdir and one lstat per entry", () => {
    const ns = new Namespace(TIME);
    ns.addMount(tmp, "/h", false);
    const link = lookup(ns, "/h/link", "nofollow").node!;
    let before = hostFsCalls.count;
    expect(ns.readLink(link)).toBe("d/one");
    expect(hostFsCalls.count - before).toBe(1);
    // The mount root: its descriptor is held and its parent is the synthetic /, so the listing
    // makes no other host call.
    const root = lookup(ns, "/h").node!;
    before = hostFsCalls.count;
    const list = ns.listDir(root, "/h", ctx) as { name: string }[];
    expect(list.map((e) => e.name)).toEqual([".", "..", "d", "link", "passwd"]);
    expect(hostFsCalls.count - before).toBe(1 + 3);
  });

  it("a descriptor pinnedPath opened is held until releaseHandles closes it", () => {
    const ns = new Namespace(TIME);
    ns.addMount(tmp, "/h", false);
    const n = lookup(ns, "/h/d/one").node!;
    if (n.t !== "host") throw new Error("not a host node");
    const pinned = ns.pinnedPath(n) as string;
    const fd = Number(/^\/proc\/\d+\/fd\/(\d+)$/.exec(pinned)?.[1]);
    expect(fs.fstatSync(fd, { bigint: true }).ino).toBe(fs.statSync(path.join(tmp, "d", "one"), { bigint: true }).ino);
    ns.releaseHandles();
    expect(ns.handles.count).toBe(0);
    expect(() => fs.fstatSync(fd)).toThrow(expect.objectContaining({ code: "EBADF" }));
  });
});
