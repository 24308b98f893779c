// Resource limits (getrlimit, prlimit64, /proc/PID/limits): each process's [soft, hard] pairs, from
// the defaults of a Linux user session until it sets its own (a fork inherits them). The run's
// options shape the defaults: --rlimit NAME=SOFT[:HARD] sets one, --max-fds caps RLIMIT_NOFILE's
// hard limit (no guest may raise it) and --max-procs is shown as RLIMIT_NPROC's.
import type { Process } from "./process.js";

export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

/** The resources in asm-generic/resource.h order, with the names /proc/PID/limits shows and their units. */
export const RLIMIT_INFO: readonly { name: string; shown: string; unit: string }[] = [
  { name: "CPU", shown: "Max cpu time", unit: "seconds" },
  { name: "FSIZE", shown: "Max file size", unit: "bytes" },
  { name: "DATA", shown: "Max data size", unit: "bytes" },
  { name: "STACK", shown: "Max stack size", unit: "bytes" },
  { name: "CORE", shown: "Max core file size", unit: "bytes" },
  { name: "RSS", shown: "Max resident set", unit: "bytes" },
  { name: "NPROC", shown: "Max processes", unit: "processes" },
  { name: "NOFILE", shown: "Max open files", unit: "files" },
  { name: "MEMLOCK", shown: "Max locked memory", unit: "bytes" },
  { name: "AS", shown: "Max address space", unit: "bytes" },
  { name: "LOCKS", shown: "Max file locks", unit: "locks" },
  { name: "SIGPENDING", shown: "Max pending signals", unit: "signals" },
  { name: "MSGQUEUE", shown: "Max msgqueue size", unit: "bytes" },
  { name: "NICE", shown: "Max nice priority", unit: "" },
  { name: "RTPRIO", shown: "Max realtime priority", unit: "" },
  { name: "RTTIME", shown: "Max realtime timeout", unit: "us" },
];

/**
 * The defaults: a Debian login session's. RLIMIT_NOFILE's soft limit is 1024 (select's FD_SETSIZE:
 * programs using select break past it), as Linux and systemd leave it; its hard limit is 1024 too
 * unless --rlimit or --max-fds says otherwise.
 */
const DEFAULTS: readonly [soft: bigint, hard: bigint][] = [
  [RLIM_INFINITY, RLIM_INFINITY], // CPU
  [RLIM_INFINITY, RLIM_INFINITY], // FSIZE
  [RLIM_INFINITY, RLIM_INFINITY], // DATA
  [8n * 1024n * 1024n, RLIM_INFINITY], // STACK
  [0n, RLIM_INFINITY], // CORE
  [RLIM_INFINITY, RLIM_INFINITY], // RSS
  [4096n, 4096n], // NPROC
  [1024n, 1024n], // NOFILE
  [8n * 1024n * 1024n, 8n * 1024n * 1024n], // MEMLOCK
  [RLIM_INFINITY, RLIM_INFINITY], // AS
  [RLIM_INFINITY, RLIM_INFINITY], // LOCKS
  [4096n, 4096n], // SIGPENDING
  [819200n, 819200n], // MSGQUEUE
  [0n, 0n], // NICE
  [0n, 0n], // RTPRIO
  [RLIM_INFINITY, RLIM_INFINITY], // RTTIME
];

export const RLIMIT_COUNT = DEFAULTS.length;
export const RLIMIT_NPROC = 6;
export const RLIMIT_NOFILE = 7;
/** fs.nr_open: the most RLIMIT_NOFILE may be. */
export const NR_OPEN = 1n << 20n;

/** What the run's options say of the limits (a subset of KernelOptions). */
export interface RlimitOptions {
  /** --rlimit: [soft, hard] by resource number. */
  rlimits?: Readonly<Record<number, readonly [bigint, bigint]>>;
  maxFds?: number;
  maxTasks?: number;
}

/** The limits a run's first process starts with. */
export function initialLimits(o: RlimitOptions): [soft: bigint, hard: bigint][] {
  const table = DEFAULTS.map(([s, h]): [bigint, bigint] => [s, h]);
  for (const [r, pair] of Object.entries(o.rlimits ?? {})) table[Number(r)] = [pair[0], pair[1]];
  // --max-fds and --max-procs are the hard limits (README "Limits"), unless --rlimit set a lower one.
  const given = o.rlimits ?? {};
  if (o.maxFds !== undefined) table[RLIMIT_NOFILE] = capped(table[RLIMIT_NOFILE], BigInt(o.maxFds), RLIMIT_NOFILE in given);
  if (o.maxTasks !== undefined) table[RLIMIT_NPROC] = capped(table[RLIMIT_NPROC], BigInt(o.maxTasks), RLIMIT_NPROC in given);
  return table;
}

/**
 * The pair with hard limit `max` (or the given hard limit when it is lower and was set by --rlimit),
 * the soft one no higher.
 */
function capped([soft, hard]: [bigint, bigint], max: bigint, keepLower: boolean): [bigint, bigint] {
  const h = keepLower && hard < max ? hard : max;
  return [soft < h ? soft : h, h];
}

/** Each process's limits (made from the run's options the first time they are asked for). */
export function limitsOf(p: Process): [soft: bigint, hard: bigint][] {
  return (p.rlimits ??= initialLimits(p.kernel.options));
}

/** RLIMIT_NOFILE's soft limit as the descriptor table's size at start. */
export function initialFdLimit(o: RlimitOptions): number {
  const soft = initialLimits(o)[RLIMIT_NOFILE][0];
  return soft > NR_OPEN ? Number(NR_OPEN) : Number(soft);
}
