// The generated trees in a Vfs: /proc and /proc/PID looked up, listed, opened and refused for
// writing; /proc/self per caller; /etc files as fallbacks under what a mount provides.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { E } from "../../../src/abi/gen/errno.js";
import { O, S } from "../../../src/abi/fs.js";
import { Vfs } from "../../../src/kernel/vfs/vfs.js";
import type { PathCtx } from "../../../src/kernel/vfs/namespace.js";
import type { OpenFile } from "../../../src/kernel/vfs/open-file.js";
import { procRoot, sysCpuRoot } from "../../../src/kernel/procfs/tree.js";
import { etcFiles } from "../../../src/kernel/procfs/etc.js";
import { RLIMIT_INFO } from "../../../src/kernel/rlimits.js";
import { fakeProcess, fakeSource } from "./fake-source.js";
import { createPipe } from "../../../src/kernel/vfs/pipe.js";

let tmp: string;
let vfs: Vfs;
const pipe = createPipe(0, { sec: 0n, nsec: 0 }, 0, 0, null, 7n) as [OpenFile, OpenFile];
const open1001 = new Map<number, OpenFile>([[0, pipe[0]], [4, pipe[1]]]);
let comm1001 = "other";
const procs = [
  fakeProcess(),
  fakeProcess({
    pid: 1001,
    threads: [
      { tid: 1001, state: "S", comm: "other", cpuNs: 0n },
      { tid: 1003, state: "R", comm: "worker", cpuNs: 0n },
    ],
    fds: { get: (fd) => open1001.get(fd), fds: () => [0, 4] },
    setComm: (_tid, name) => {
      comm1001 = Buffer.from(name).toString("latin1");
      return true;
    },
  }),
];
const src = fakeSource(procs);
const me: PathCtx = { cwd: "/", exe: "/bin/prog", caller: { pid: 1000, tid: 1000 } };
const other: PathCtx = { cwd: "/", exe: "/bin/prog", caller: { pid: 1001, tid: 1003 } };

function open(p: string, flags = O.RDONLY, c: PathCtx = me): OpenFile | number {
  return vfs.open(c, p, flags, 0, 0o022);
}

function read(p: string, c: PathCtx = me): string {
  const f = open(p, O.RDONLY, c);
  if (typeof f === "number") throw new Error(`open ${p}: ${f}`);
  const buf = new Uint8Array(1 << 16);
  const n = f.read(buf) as number;
  f.close();
  return Buffer.from(buf.subarray(0, n)).toString("latin1");
}

function list(p: string, c: PathCtx = me): string[] {
  const d = open(p, O.RDONLY | O.DIRECTORY, c);
  if (typeof d === "number") throw new Error(`opendir ${p}: ${d}`);
  const bytes = d.getdents(1 << 16) as Uint8Array;
  const names: string[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  for (let off = 0; off < bytes.length; off += v.getUint16(off + 16, true)) {
    let end = off + 19;
    while (bytes[end] !== 0) end++;
    names.push(Buffer.from(bytes.subarray(off + 19, end)).toString("latin1"));
  }
  return names;
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-procfs-")));
  fs.mkdirSync(path.join(tmp, "etc"));
  fs.writeFileSync(path.join(tmp, "etc", "passwd"), "own:x:1:1::/:/bin/sh\n");
  fs.writeFileSync(path.join(tmp, "hosts"), "10.0.0.1 mine\n");
  vfs = new Vfs({
    mounts: [
      { host: tmp, guest: "/", readOnly: true },
      { host: path.join(tmp, "hosts"), guest: "/etc/hosts", readOnly: true },
    ],
    exeHostPath: "",
    exeGuestPath: "",
    hostHasTty: false,
    syntheticTime: 1_700_000_000,
    generated: [
      { guest: "/proc", root: procRoot(src, { limitNames: RLIMIT_INFO }) },
      { guest: "/sys/devices/system/cpu", root: sysCpuRoot() },
      ...etcFiles({ uid: 1000, gid: 1000, user: "ann", hostname: "rvtrace", localtime: new Uint8Array([1, 2, 3]) }).map((f) => ({ ...f, fallback: true })),
    ],
  });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("/proc", () => {
  test("lists its files, then one directory per process in pid order", () => {
    const names = list("/proc");
    expect(names.slice(0, 2)).toEqual([".", ".."]);
    expect(names).toContain("meminfo");
    expect(names).toContain("self");
    expect(names.slice(-2)).toEqual(["1000", "1001"]);
  });

  test("self and thread-self are the caller's", () => {
    expect(vfs.readlink(me, "/proc/self")).toBe("1000");
    expect(vfs.readlink(other, "/proc/self")).toBe("1001");
    expect(vfs.readlink(other, "/proc/thread-self")).toBe("1001/task/1003");
    expect(read("/proc/self/stat", other).startsWith("1001 (other) R 1 ")).toBe(true);
    expect(read("/proc/thread-self/stat", other).startsWith("1003 (worker) R ")).toBe(true);
    // Nobody calling (rvtrace itself): no /proc/self.
    expect(vfs.stat({ cwd: "/", exe: "" }, "/proc/self/status", true)).toBe(-E.ENOENT);
  });

  test("a process directory: its files, links and the directories of its threads", () => {
    expect(list("/proc/1001")).toEqual([".", "..", "auxv", "cmdline", "comm", "cwd", "environ", "exe", "fd", "fdinfo", "limits", "maps", "mountinfo", "mounts", "root", "stat", "statm", "status", "task"]);
    expect(list("/proc/1001/task")).toEqual([".", "..", "1001", "1003"]);
    expect(vfs.readlink(me, "/proc/1001/exe")).toBe("/bin/prog");
    expect(vfs.readlink(me, "/proc/1001/cwd")).toBe("/work");
    expect(read("/proc/1000/cmdline")).toBe("prog\0-x\0");
    expect(read("/proc/1000/status").split("\n")[0]).toBe("Name:\tprog");
    expect(vfs.stat(me, "/proc/1002", true)).toBe(-E.ENOENT);
    // A thread's own directory is there, though /proc does not list it.
    expect(read("/proc/1003/status").split("\n").slice(0, 6)).toEqual(["Name:\tworker", "Umask:\t0022", "State:\tR (running)", "Tgid:\t1001", "Ngid:\t0", "Pid:\t1003"]);
    expect(list("/proc")).not.toContain("1003");
  });

  test("the process's files belong to its user, read-only but comm", () => {
    const st = vfs.stat(me, "/proc/1001/status", true);
    if (typeof st === "number") throw new Error(String(st));
    expect(st.mode).toBe(S.IFREG | 0o444);
    expect(st.uid).toBe(1000);
    const environ = vfs.stat(me, "/proc/1001/environ", true);
    expect(typeof environ !== "number" && environ.mode).toBe(S.IFREG | 0o400);
    const dir = vfs.stat(me, "/proc/1001", true);
    expect(typeof dir !== "number" && dir.mode).toBe(S.IFDIR | 0o555);
  });

  test("fd lists the descriptors; each is a link to its file, which opening reaches", () => {
    expect(list("/proc/1001/fd")).toEqual([".", "..", "0", "4"]);
    expect(vfs.readlink(me, "/proc/1001/fd/4")).toBe(pipe[1].path);
    expect(open("/proc/1001/fd/0")).toBe(pipe[0]);
    expect(read("/proc/1001/fdinfo/4")).toMatch(/^pos:\t0\nflags:\t0\d+\nmnt_id:\t1\nino:\t\d+\n$/);
    expect(vfs.stat(me, "/proc/1001/fd/3", false)).toBe(-E.ENOENT);
  });

  test("writing a generated file is EACCES; creating or removing in /proc is EROFS", () => {
    expect(open("/proc/meminfo", O.WRONLY)).toBe(-E.EACCES);
    expect(open("/proc/1000/status", O.RDWR)).toBe(-E.EACCES);
    expect(vfs.access(me, "/proc/meminfo", 2)).toBe(-E.EACCES);
    expect(open("/proc/new", O.WRONLY | O.CREAT)).toBe(-E.EROFS);
    expect(vfs.unlink(me, "/proc/meminfo", false)).toBe(-E.EROFS);
  });

  test("comm is writable by the process itself only", () => {
    expect(open("/proc/1001/comm", O.WRONLY, me)).toBe(-E.EACCES);
    const f = open("/proc/1001/comm", O.WRONLY, other);
    if (typeof f === "number") throw new Error(String(f));
    expect(f.write(new TextEncoder().encode("renamed"))).toBe(7);
    expect(comm1001).toBe("renamed");
  });

  test("content is made at open and stays fixed for that open file", () => {
    let used = 1024 * 1024;
    const moving = fakeSource(procs, { memory: () => ({ total: 64 * 1024 * 1024, used }) });
    const v = new Vfs({ mounts: [], exeHostPath: "", exeGuestPath: "", hostHasTty: false, generated: [{ guest: "/proc", root: procRoot(moving, { limitNames: RLIMIT_INFO }) }] });
    const f = v.open(me, "/proc/meminfo", O.RDONLY, 0, 0) as OpenFile;
    used = 2 * 1024 * 1024;
    const buf = new Uint8Array(4096);
    const n = f.pread(buf, 0) as number;
    expect(Buffer.from(buf.subarray(0, n)).toString()).toMatch(/^MemFree: +64512 kB$/m);
    const g = v.open(me, "/proc/meminfo", O.RDONLY, 0, 0) as OpenFile;
    const m = g.pread(buf, 0) as number;
    expect(Buffer.from(buf.subarray(0, m)).toString()).toMatch(/^MemFree: +63488 kB$/m);
  });

  test("/proc/sys/kernel and /sys/devices/system/cpu", () => {
    expect(read("/proc/sys/kernel/osrelease")).toBe("6.1.0\n");
    expect(read("/proc/sys/kernel/hostname")).toBe("rvtrace\n");
    expect(read("/proc/sys/kernel/pid_max")).toBe("4194304\n");
    expect(read("/proc/sys/vm/overcommit_memory")).toBe("0\n");
    expect(read("/sys/devices/system/cpu/online")).toBe("0\n");
    expect(read("/sys/devices/system/cpu/possible")).toBe("0\n");
  });

  test("/proc/mounts is self/mounts", () => {
    expect(vfs.readlink(me, "/proc/mounts")).toBe("self/mounts");
    expect(read("/proc/mounts")).toBe(read("/proc/1000/mounts"));
  });
});

describe("/etc", () => {
  test("a file the mounts provide wins over the generated one: in a mounted /etc, or mounted itself", () => {
    expect(read("/etc/passwd")).toBe("own:x:1:1::/:/bin/sh\n");
    expect(read("/etc/hosts")).toBe("10.0.0.1 mine\n");
  });

  test("the others are generated, with their size shown by stat", () => {
    expect(read("/etc/group")).toBe("root:x:0:\nann:x:1000:\nnogroup:x:65534:\n");
    expect(read("/etc/hostname")).toBe("rvtrace\n");
    const st = vfs.stat(me, "/etc/localtime", true);
    expect(typeof st !== "number" && st.size).toBe(3n);
    expect(list("/etc")).toEqual([".", "..", "group", "hostname", "hosts", "localtime", "nsswitch.conf", "passwd"]);
  });
});
