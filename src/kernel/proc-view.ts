// The kernel as /proc sees it: an implementation of procfs/source.ts's ProcSource over the kernel's
// tables, and the generated trees (/proc, /sys/devices/system/cpu, the sandbox's /etc files) the Vfs
// is built with. Only what this file hands over reaches the generators.
import type { Kernel } from "./kernel.js";
import type { Process } from "./process.js";
import type { Task } from "./task.js";
import { PROT_READ } from "../mem/address-space.js";
import { SIG_DFL, SIG_IGN } from "../abi/signals.js";
import { sigbit } from "./signals.js";
import { prctlState, TASK_COMM_LEN } from "./prctl-state.js";
import { limitsOf, RLIMIT_INFO } from "./rlimits.js";
import { imageRecord, startOf } from "./proc-image.js";
import { getCwd } from "./syscalls/fs-common.js";
import { toBytePath, bytesToPath } from "./vfs/paths.js";
import { UTSNAME } from "./uts.js";
import { INSNS } from "../cpu/isa/table.js";
import type { ProcMapping, ProcMount, ProcProcess, ProcSource, ProcThread } from "./procfs/source.js";
import { procRoot, sysCpuRoot } from "./procfs/tree.js";
import { etcFiles, type EtcInfo } from "./procfs/etc.js";
import type { GenRoot } from "./vfs/generated.js";

/** Memory the machine shows when there is no --memory-limit (sysinfo says the same). */
export const DEFAULT_MEMORY = 4 * 1024 ** 3;

/**
 * Memory the guest may hold, and holds: the budget's when there is a limit, else the bytes mapped
 * with some access (reservations made PROT_NONE, as Go's heap arenas and glibc's thread arenas, hold
 * nothing).
 */
export function memoryFigures(k: Kernel): { total: number; used: number } {
  const total = k.options.memoryLimit ?? DEFAULT_MEMORY;
  if (k.memory) return { total, used: Math.min(total, k.memory.used) };
  const spaces = new Set<Process["mem"]>();
  for (const p of k.processes.values()) if (p.alive) spaces.add(p.mem);
  let used = 0;
  for (const m of spaces) for (const r of m.listMappings()) if (r.prot !== 0) used += r.end - r.start;
  return { total, used: Math.min(total, used) };
}

/** The ISA string of the instruction tables: rv64 and the single-letter extensions, c, then the Z ones. */
export function isaString(): string {
  const exts = new Set(INSNS.map((r) => r.ext));
  const letters = [..."imafd"].filter((c) => exts.has(c.toUpperCase() as never)).join("");
  const z = [...exts].filter((e) => e.startsWith("Z")).map((e) => e.toLowerCase()).sort();
  return ["rv64" + letters + "c", ...z].join("_");
}

function threadState(t: Task): string {
  if (t.state === "dead") return "Z";
  if (t.process.jobStopped && !t.killed) return "T";
  if (t.state === "stopped") return "t";
  return t.state === "blocked" ? "S" : "R";
}

function processState(p: Process): string {
  if (!p.alive) return "Z";
  const states = p.tasks.filter((t) => t.state !== "dead").map(threadState);
  for (const s of ["R", "T", "t", "S"]) if (states.includes(s)) return s;
  return "Z";
}

function commOf(t: Task): string {
  const c = prctlState(t).comm;
  const end = c.indexOf(0);
  return bytesToPath(c.subarray(0, end < 0 ? c.length : end));
}

/** The bytes of [from, to) in the process's memory, as far as they are readable (Linux stops there too). */
function readRange(p: Process, from: number, to: number): Uint8Array {
  if (to <= from) return new Uint8Array(0);
  const m = p.mem;
  let end = from;
  while (end < to) {
    const map = m.findMapping(end);
    if (!map || !(map.prot & PROT_READ)) break;
    end = Math.min(to, map.end);
  }
  return end > from ? m.read(from, end - from).slice() : new Uint8Array(0);
}

function processView(k: Kernel, p: Process): ProcProcess {
  const live = p.tasks.filter((t) => !t.reaped);
  const leader = p.tasks[0];
  let sigPending = 0n;
  for (const t of live) for (const s of t.pendingSignals) sigPending |= sigbit(s.signo);
  let sigShared = 0n;
  for (const s of p.sharedPending) sigShared |= sigbit(s.signo);
  let sigIgnored = 0n;
  let sigCaught = 0n;
  p.sigactions.forEach((a, n) => {
    if (n === 0) return;
    if (a.handler === SIG_IGN) sigIgnored |= sigbit(n);
    else if (a.handler !== SIG_DFL) sigCaught |= sigbit(n);
  });
  const threads: ProcThread[] = live.map((t) => ({ tid: t.tid, state: threadState(t), comm: commOf(t), cpuNs: k.world.cpuNs(p, t) }));
  const world = k.world;
  return {
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    sid: p.sid,
    uid: world.uid,
    gid: world.gid,
    groups: world.groups(),
    nice: p.nice,
    umask: p.umask,
    state: processState(p),
    threads,
    startNs: startOf(p),
    cpuNs: world.cpuNs(p, null),
    exe: p.alive ? toBytePath(p.exePath) : "",
    cwd: getCwd(p),
    fds: p.fds,
    sigPending,
    sigShared,
    sigBlocked: leader?.sigmask ?? 0n,
    sigIgnored,
    sigCaught,
    exitSignal: p.exitSignal,
    cmdline: () => {
      const r = imageRecord(p);
      return r && p.alive ? readRange(p, r.layout.argStart, r.layout.argEnd) : new Uint8Array(0);
    },
    environ: () => {
      const r = imageRecord(p);
      return r && p.alive ? readRange(p, r.layout.envStart, r.layout.envEnd) : new Uint8Array(0);
    },
    auxv: () => imageRecord(p)?.auxv ?? new Uint8Array(0),
    mappings: (): ProcMapping[] =>
      p.alive ? p.mem.listMappings().map((m) => ({ start: m.start, end: m.end, prot: m.prot, shared: m.shared !== undefined, name: m.name })) : [],
    layout: () => {
      const r = imageRecord(p);
      const base = r?.layout ?? { startCode: 0, endCode: 0, startStack: 0, argStart: 0, argEnd: 0, envStart: 0, envEnd: 0 };
      return { ...base, startBrk: p.mem.brkStart, brk: p.mem.brk };
    },
    limits: () => limitsOf(p),
    setComm: (tid, name) => {
      const t = p.tasks.find((x) => x.tid === tid && !x.reaped);
      if (!t) return false;
      const comm = new Uint8Array(TASK_COMM_LEN);
      comm.set(name.subarray(0, TASK_COMM_LEN - 1));
      prctlState(t).comm = comm;
      return true;
    },
  };
}

/** The mounts as the guest sees them: guest paths and made-up sources, never a host path. */
function mountsOf(k: Kernel): ProcMount[] {
  const out: ProcMount[] = [];
  const host = k.vfs.ns.mounts.filter((m) => m.rootFd >= 0);
  const parentOf = (guest: string): number => {
    let best = out[0];
    for (const m of out) if (m.guest !== guest && (guest.startsWith(m.guest.endsWith("/") ? m.guest : m.guest + "/")) && m.guest.length >= best.guest.length) best = m;
    return best.id;
  };
  const add = (guest: string, readOnly: boolean, fstype: string, source: string): void => {
    const id = 21 + out.length;
    out.push({ id, parent: out.length === 0 ? 1 : parentOf(guest), guest, readOnly, fstype, source });
  };
  if (!host.some((m) => m.guest === "/")) add("/", true, "rootfs", "rootfs");
  for (const m of host) add(m.guest, m.readOnly, "ext4", "rvtrace");
  add("/dev", false, "devtmpfs", "devtmpfs");
  // The private /tmp and /dev/shm, unless a host mount took that very path.
  for (const m of k.vfs.ns.memMounts) if (!host.some((h) => h.guest === m.guest)) add(m.guest, false, "tmpfs", "tmpfs");
  add("/proc", false, "proc", "proc");
  add("/sys", true, "sysfs", "sysfs");
  return out;
}

export function procSource(k: Kernel): ProcSource {
  return {
    pids: () => [...k.processes.keys()].filter((pid) => !k.processes.get(pid)!.reaped).sort((a, b) => a - b),
    process: (pid) => {
      const p = k.processes.get(pid);
      return p && !p.reaped ? processView(k, p) : null;
    },
    threadOwner: (tid) => {
      const t = k.tasks.get(tid);
      return t && !t.reaped ? t.process.pid : null;
    },
    uptimeNs: () => k.world.monotonicNs(),
    bootTimeSec: () => Number((k.world.realtimeNs() - k.world.monotonicNs()) / 1_000_000_000n),
    memory: () => memoryFigures(k),
    load: () => {
      let running = 0;
      for (const t of k.tasks.values()) if (t.state === "runnable") running++;
      return { running, total: k.tasks.size, lastPid: k.lastId };
    },
    mounts: () => mountsOf(k),
    isa: isaString(),
    hostname: UTSNAME.nodename,
    osrelease: UTSNAME.release,
    version: UTSNAME.version,
    pidMax: 4_194_304,
  };
}

/** The generated trees of a kernel's file system. */
export function generatedTrees(k: Kernel, etc: EtcInfo): { guest: string; root: GenRoot; fallback?: boolean }[] {
  const src = procSource(k);
  return [
    { guest: "/proc", root: procRoot(src, { limitNames: RLIMIT_INFO }) },
    { guest: "/sys/devices/system/cpu", root: sysCpuRoot() },
    ...etcFiles(etc).map((f) => ({ ...f, fallback: true })),
  ];
}
