// What the /proc and /sys generators may know of the kernel: this narrow interface, which the
// kernel implements (kernel/proc-view.ts). The generators import nothing else of the kernel, so
// they can be tested with a plain object, and the kernel's insides stay free to change.
import type { FdView } from "../vfs/namespace.js";

/** One mapping as /proc/PID/maps shows it. */
export interface ProcMapping {
  start: number;
  end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC bits. */
  prot: number;
  shared: boolean;
  /** A file's guest path, [heap], [stack], [vdso], or "" for anonymous memory. */
  name: string;
}

/** Where the initial stack's strings and the break lie (the address fields of /proc/PID/stat). */
export interface ProcLayout {
  startCode: number;
  endCode: number;
  startStack: number;
  startBrk: number;
  brk: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
}

export interface ProcThread {
  tid: number;
  /** R running or runnable, S sleeping, T stopped, t traced (held by an engine), Z zombie. */
  state: string;
  /** The thread's name (comm), at most 15 bytes, as a byte string. */
  comm: string;
  /** CPU time used, ns. */
  cpuNs: bigint;
}

export interface ProcProcess {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  uid: number;
  gid: number;
  groups: readonly number[];
  nice: number;
  umask: number;
  /** The process's state as its threads make it (see ProcThread.state). */
  state: string;
  threads: ProcThread[];
  /** When it started, ns of CLOCK_MONOTONIC (boot time). */
  startNs: bigint;
  /** CPU time of all its threads, ns. */
  cpuNs: bigint;
  /** Guest path of its program (byte string), "" when it has none (a zombie). */
  exe: string;
  /** Guest path of its working directory (byte string). */
  cwd: string;
  /** The descriptor table. */
  fds: FdView;
  /** Signals: pending (thread and shared), blocked, ignored, caught, as 64-bit masks. */
  sigPending: bigint;
  sigShared: bigint;
  sigBlocked: bigint;
  sigIgnored: bigint;
  sigCaught: bigint;
  exitSignal: number;
  /** Argument and environment strings as the process's memory holds them now (NULs between). */
  cmdline(): Uint8Array;
  environ(): Uint8Array;
  /** The auxiliary vector the program started with: (type, value) u64 pairs, AT_NULL included. */
  auxv(): Uint8Array;
  mappings(): ProcMapping[];
  layout(): ProcLayout;
  /** [soft, hard] by RLIMIT_* number. */
  limits(): readonly (readonly [bigint, bigint])[];
  /** Renames a thread (writing /proc/PID/comm); false when it may not (not the caller's process). */
  setComm?(tid: number, name: Uint8Array): boolean;
}

/** A mount as /proc/PID/mountinfo and /proc/mounts show it (guest paths only). */
export interface ProcMount {
  id: number;
  parent: number;
  /** Guest path (byte string). */
  guest: string;
  readOnly: boolean;
  fstype: string;
  source: string;
}

export interface ProcSource {
  /** Pids of every process not yet reaped, ascending. */
  pids(): number[];
  process(pid: number): ProcProcess | null;
  /** The pid of the process a thread belongs to (null for no such thread): /proc/TID works for any thread. */
  threadOwner(tid: number): number | null;
  /** CLOCK_MONOTONIC now, ns (uptime). */
  uptimeNs(): bigint;
  /** CLOCK_REALTIME at boot, seconds (btime). */
  bootTimeSec(): number;
  /** Memory the guest may hold and holds, bytes. */
  memory(): { total: number; used: number };
  /** Tasks runnable now, tasks alive, the last pid given out. */
  load(): { running: number; total: number; lastPid: number };
  mounts(): ProcMount[];
  /** The ISA string of /proc/cpuinfo (rv64imafdc...). */
  isa: string;
  hostname: string;
  osrelease: string;
  version: string;
  pidMax: number;
}
