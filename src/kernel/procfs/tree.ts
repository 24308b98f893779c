// The /proc and /sys trees as generated directories (vfs/generated.ts) over a ProcSource: which
// names exist, what kind each is, and which generator makes its content. Directories are listed
// afresh at each listing; a file's content is made when it is opened.
import type { GenCaller, GenDir, GenEntry, GenFile, GenLink, GenRoot } from "../vfs/generated.js";
import { O } from "../../abi/fs.js";
import type { OpenFile } from "../vfs/open-file.js";
import type { ProcProcess, ProcSource, ProcThread } from "./source.js";
import { limitsText, mapsText, statText, statmText, statusText, type LimitName } from "./pid-files.js";
import {
  cpuinfoText,
  filesystemsText,
  loadavgText,
  meminfoText,
  mountinfoText,
  mountsText,
  statText as systemStatText,
  uptimeText,
} from "./system-files.js";

/** Who owns a generated file or directory. */
type Owner = { uid: number; gid: number };

/** A read-only file whose content is made at open: a byte string (guest paths in it are bytes). */
function textFile(make: () => string, mode = 0o444, owner?: { uid: number; gid: number }): GenFile {
  return { kind: "file", mode, owner, content: make };
}

function bytesFile(make: () => Uint8Array, mode: number, owner: { uid: number; gid: number }): GenFile {
  return { kind: "file", mode, owner, content: make };
}

function link(target: () => string | number): GenLink {
  return { kind: "link", target };
}

/** A directory of fixed names, each made when looked up. */
function fixedDir(entries: Record<string, () => GenEntry>, mode = 0o555, owner?: { uid: number; gid: number }): GenDir {
  const names = Object.keys(entries);
  return {
    kind: "dir",
    mode,
    owner,
    names: () => names,
    child: (name) => (Object.hasOwn(entries, name) ? entries[name]() : null),
  };
}

const NUMBER = /^[1-9][0-9]{0,9}$/;

export interface ProcTreeOptions {
  /** The names and units of the resource limits, in RLIMIT_* order (/proc/PID/limits). */
  limitNames: readonly LimitName[];
}

/** A directory with an entry per descriptor of a process, in numeric order (fd/, fdinfo/). */
function perFdDir(p: ProcProcess, entry: (fd: number, file: OpenFile, owner: Owner) => GenEntry): GenDir {
  const owner = { uid: p.uid, gid: p.gid };
  return {
    kind: "dir",
    mode: 0o500,
    owner,
    names: () => p.fds.fds().map(String),
    child: (name) => {
      if (!NUMBER.test(name) && name !== "0") return null;
      const fd = Number(name);
      const file = p.fds.get(fd);
      return file ? entry(fd, file, owner) : null;
    },
  };
}

/** The fd/ directory of a process: a magic link per descriptor. */
function fdDir(p: ProcProcess): GenDir {
  return perFdDir(p, (fd, file) => ({ kind: "fd", fd, file }));
}

/** fdinfo/N: the offset (where the file has one), the status flags in octal, mount and inode. */
function fdinfoText(p: ProcProcess, fd: number): string {
  const file = p.fds.get(fd);
  if (!file) return "";
  const pos = file.seek(0, 1 /* SEEK_CUR */);
  const st = file.stat();
  const ino = typeof st === "number" ? 0n : st.ino;
  const flags = file.flags | (p.fds.isCloexec?.(fd) ? O.CLOEXEC : 0);
  return `pos:\t${pos < 0 ? 0 : pos}\nflags:\t0${flags.toString(8).padStart(7, "0")}\nmnt_id:\t1\nino:\t${ino}\n`;
}

/** The fdinfo/ directory of a process: a text file per descriptor. */
function fdinfoDir(p: ProcProcess): GenDir {
  return perFdDir(p, (fd, _file, owner) => textFile(() => fdinfoText(p, fd), 0o400, owner));
}

/** The comm file: readable by all, writable by the process itself (its own thread names). */
function commFile(p: ProcProcess, thread: ProcThread, caller: GenCaller): GenFile {
  const owner = { uid: p.uid, gid: p.gid };
  // comm is a byte string: each char one byte.
  const file: GenFile = { kind: "file", mode: 0o644, owner, content: () => thread.comm + "\n" };
  if (caller.pid === p.pid && p.setComm) {
    const setComm = p.setComm.bind(p);
    file.write = (data) => (setComm(thread.tid, data) ? data.length : -22 /* EINVAL */);
  }
  return file;
}

/** The files a process directory and a task directory share. */
function pidEntries(src: ProcSource, p: ProcProcess, thread: ProcThread | null, caller: GenCaller, opts: ProcTreeOptions): Record<string, () => GenEntry> {
  const owner = { uid: p.uid, gid: p.gid };
  const t = thread ?? p.threads[0];
  const tty = -1;
  return {
    auxv: () => bytesFile(() => p.auxv(), 0o400, owner),
    cmdline: () => bytesFile(() => p.cmdline(), 0o444, owner),
    comm: () => (t ? commFile(p, t, caller) : textFile(() => "", 0o644, owner)),
    cwd: () => link(() => p.cwd),
    environ: () => bytesFile(() => p.environ(), 0o400, owner),
    exe: () => link(() => (p.exe === "" ? -2 /* ENOENT */ : p.exe)),
    fd: () => fdDir(p),
    fdinfo: () => fdinfoDir(p),
    limits: () => textFile(() => limitsText(p.limits(), opts.limitNames), 0o444, owner),
    maps: () => textFile(() => mapsText(p.mappings()), 0o444, owner),
    mountinfo: () => textFile(() => mountinfoText(src), 0o444, owner),
    mounts: () => textFile(() => mountsText(src), 0o444, owner),
    root: () => link(() => "/"),
    stat: () => textFile(() => statText(p, thread, tty), 0o444, owner),
    statm: () => textFile(() => statmText(p), 0o444, owner),
    status: () => textFile(() => statusText(p, thread), 0o444, owner),
  };
}

function taskDir(src: ProcSource, p: ProcProcess, caller: GenCaller, opts: ProcTreeOptions): GenDir {
  return {
    kind: "dir",
    mode: 0o555,
    owner: { uid: p.uid, gid: p.gid },
    names: () => p.threads.map((t) => String(t.tid)),
    child: (name) => {
      const t = p.threads.find((x) => String(x.tid) === name);
      return t ? fixedDir(pidEntries(src, p, t, caller, opts), 0o555, { uid: p.uid, gid: p.gid }) : null;
    },
  };
}

/** /proc/PID, or /proc/TID of a thread that does not lead its process (which Linux shows but does not list). */
function pidDir(src: ProcSource, p: ProcProcess, caller: GenCaller, opts: ProcTreeOptions, thread: ProcThread | null = null): GenDir {
  const entries = pidEntries(src, p, thread, caller, opts);
  entries.task = () => taskDir(src, p, caller, opts);
  return fixedDir(sortedEntries(entries), 0o555, { uid: p.uid, gid: p.gid });
}

/** The same entries, named in bytewise order (as Linux's tables of /proc/PID are close to). */
function sortedEntries(e: Record<string, () => GenEntry>): Record<string, () => GenEntry> {
  const out: Record<string, () => GenEntry> = {};
  for (const k of Object.keys(e).sort()) out[k] = e[k];
  return out;
}

/** /proc: its system files, self and thread-self, then a directory per process, pids ascending. */
export function procRoot(src: ProcSource, opts: ProcTreeOptions): GenRoot {
  return (caller) => {
    const kernelDir = fixedDir({
      hostname: () => textFile(() => src.hostname + "\n"),
      osrelease: () => textFile(() => src.osrelease + "\n"),
      ostype: () => textFile(() => "Linux\n"),
      pid_max: () => textFile(() => `${src.pidMax}\n`),
      version: () => textFile(() => src.version + "\n"),
    });
    const files: Record<string, () => GenEntry> = {
      cpuinfo: () => textFile(() => cpuinfoText(src)),
      filesystems: () => textFile(() => filesystemsText()),
      loadavg: () => textFile(() => loadavgText(src)),
      meminfo: () => textFile(() => meminfoText(src)),
      mounts: () => link(() => "self/mounts"),
      self: () => link(() => (caller.pid > 0 ? String(caller.pid) : -2)),
      stat: () => textFile(() => systemStatText(src)),
      // overcommit_memory 0: the heuristic overcommit --memory-limit follows (glibc's malloc reads it).
      sys: () => fixedDir({ kernel: () => kernelDir, vm: () => fixedDir({ overcommit_memory: () => textFile(() => "0\n") }) }),
      "thread-self": () => link(() => (caller.pid > 0 ? `${caller.pid}/task/${caller.tid}` : -2)),
      uptime: () => textFile(() => uptimeText(src)),
      version: () => textFile(() => `Linux version ${src.osrelease} (rvtrace) ${src.version}\n`),
    };
    const fixed = Object.keys(files);
    return {
      kind: "dir",
      mode: 0o555,
      names: () => [...fixed, ...src.pids().map(String)],
      child: (name) => {
        if (Object.hasOwn(files, name)) return files[name]();
        if (!NUMBER.test(name)) return null;
        const p = src.process(Number(name));
        if (p) return pidDir(src, p, caller, opts);
        const owner = src.threadOwner(Number(name));
        const q = owner === null ? null : src.process(owner);
        const t = q?.threads.find((x) => x.tid === Number(name));
        return q && t ? pidDir(src, q, caller, opts, t) : null;
      },
    };
  };
}

/** /sys/devices/system/cpu: one CPU, online. */
export function sysCpuRoot(): GenRoot {
  return () =>
    fixedDir({
      kernel_max: () => textFile(() => "0\n"),
      offline: () => textFile(() => "\n"),
      online: () => textFile(() => "0\n"),
      possible: () => textFile(() => "0\n"),
      present: () => textFile(() => "0\n"),
    });
}
