// The options that shape the sandbox a guest runs in (mounts, limits, determinism), shared by
// `rvtrace run` and `rvtrace trace`. Each is one row: its spelling, its help line, and how its value
// changes the KernelOptions the run is built from. main.ts turns the rows into commander options,
// trace.ts into strace-style ones, so an option added here exists in both commands at once.
import fs from "node:fs";
import path from "node:path";
import type { KernelOptions, Mount } from "../kernel/kernel.js";
import { RLIMIT_INFO, RLIM_INFINITY } from "../kernel/rlimits.js";

/** Thrown by option parsers: a bad option value, reported as one line. */
export class UsageError extends Error {}

export interface SandboxOption {
  /** The long spelling without the dashes. */
  long: string;
  /** A one-letter spelling without the dash (qemu's -L), if any. */
  short?: string;
  /** The value's name in --help; absent for a flag. */
  valueName?: string;
  help: string;
  /** Repeatable options accumulate; the others keep the last value given. */
  repeatable?: boolean;
  /** Applies the option to the kernel options being built; throws UsageError on a bad value. */
  apply(k: KernelOptions, value: string | undefined): void;
}

/** A positive integer option value (a count); `option` names the option in the error. */
export function parseCount(value: string, option = "--max-insns"): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${option} expects a positive integer, got '${value}'`);
  }
  return Number(value);
}

const BYTE_SUFFIXES: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** A size in bytes: digits with an optional K, M or G suffix (powers of 1024). */
export function parseBytes(value: string, option: string): number {
  const m = /^(\d+)([KMG]?)$/i.exec(value);
  const n = m ? Number(m[1]) * BYTE_SUFFIXES[m[2].toUpperCase()] : NaN;
  if (!m || n < 1 || !Number.isSafeInteger(n)) {
    throw new UsageError(`${option} expects a positive size in bytes (a K, M or G suffix allowed), got '${value}'`);
  }
  return n;
}

/** setTimeout's longest delay: 2^31 - 1 ms, about 24.8 days. */
const LONGEST_TIMEOUT_S = (2 ** 31 - 1) / 1000;

/** A positive number of seconds (fractions allowed). */
export function parseSeconds(value: string, option: string): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0) || n > LONGEST_TIMEOUT_S) throw new UsageError(`${option} expects a positive number of seconds, got '${value}'`);
  return n;
}

/** HOST:GUEST or HOST:GUEST:ro. */
export function parseMount(value: string): Mount {
  const parts = value.split(":");
  const readOnly = parts.length === 3 && parts[2] === "ro";
  if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !readOnly) || !parts[0] || !parts[1]) {
    throw new UsageError(`--mount expects HOST:GUEST or HOST:GUEST:ro, got '${value}'`);
  }
  if (!parts[1].startsWith("/")) throw new UsageError(`--mount: the guest path must be absolute, got '${parts[1]}'`);
  const host = path.resolve(parts[0]);
  try {
    fs.statSync(host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (code ?? String(e));
    throw new UsageError(`--mount: ${host}: ${why}`);
  }
  return { host, guest: path.posix.normalize(parts[1]), readOnly };
}

/** --seed: an integer from 0 to 2^64 - 1. */
export function parseSeed(value: string): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) >= 1n << 64n) {
    throw new UsageError(`--seed expects an integer from 0 to 18446744073709551615, got '${value}'`);
  }
  return BigInt(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * --date: seconds since the epoch (a fraction allowed), or an ISO 8601 date and time
 * (2000-01-01, 2000-01-01T12:30:00Z, 2000-01-01T12:30:00.5+02:00); a time without a zone is UTC,
 * never the host's zone. Returns ns since the epoch.
 */
export function parseDate(value: string): bigint {
  const secs = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (secs) return BigInt(secs[1]) * 1_000_000_000n + BigInt((secs[2] ?? "").padEnd(9, "0"));
  const m = ISO_DATE.exec(value);
  const bad = () => new UsageError(`--date expects seconds since the epoch or an ISO date such as 2000-01-01T00:00:00Z, got '${value}'`);
  if (!m) throw bad();
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(ms);
  // Date.UTC rolls over (February 30th is March 2nd): such a date is a typing error.
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw bad();
  let offsetMin = 0;
  if (m[8] && m[8] !== "Z") {
    const z = m[8].replace(":", "");
    offsetMin = (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const ns = BigInt(ms - offsetMin * 60_000) * 1_000_000n + BigInt((m[7] ?? "").padEnd(9, "0"));
  if (ns < 0n) throw new UsageError(`--date must not be before 1970-01-01T00:00:00Z, got '${value}'`);
  return ns;
}

/** --sysroot: an existing host directory. */
export function parseSysroot(value: string): string {
  return parseDirectory(value, "--sysroot");
}

/** An existing host directory (--sysroot, --tmp), made absolute; `option` names it in the error. */
export function parseDirectory(value: string, option: string): string {
  const dir = path.resolve(value);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (code ?? String(e));
    throw new UsageError(`${option}: ${dir}: ${why}`);
  }
  if (!st.isDirectory()) throw new UsageError(`${option}: ${dir}: not a directory`);
  return dir;
}

/**
 * --rlimit NAME=SOFT[:HARD]: NAME is a resource as prlimit(1) spells it (NOFILE, nofile,
 * RLIMIT_NOFILE), each value a count or "unlimited". Without HARD both limits are SOFT, as
 * `prlimit --nofile=N` sets them. Returns the resource number and its pair.
 */
export function parseRlimit(value: string): [number, [bigint, bigint]] {
  const bad = (why: string) => new UsageError(`--rlimit expects NAME=SOFT[:HARD] (e.g. NOFILE=4096:8192), ${why}, got '${value}'`);
  const m = /^([A-Za-z_]+)=([^:]+)(?::([^:]+))?$/.exec(value);
  if (!m) throw bad("a limit is a count or 'unlimited'");
  const name = m[1].toUpperCase().replace(/^RLIMIT_/, "");
  const resource = RLIMIT_INFO.findIndex((r) => r.name === name);
  if (resource < 0) throw bad(`NAME is one of ${RLIMIT_INFO.map((r) => r.name).join(", ")}`);
  const count = (v: string): bigint => {
    if (/^(unlimited|infinity)$/i.test(v)) return RLIM_INFINITY;
    if (!/^\d+$/.test(v) || BigInt(v) >= RLIM_INFINITY) throw bad("a limit is a count or 'unlimited'");
    return BigInt(v);
  };
  const soft = count(m[2]);
  const hard = m[3] === undefined ? soft : count(m[3]);
  if (soft > hard) throw bad("SOFT may not exceed HARD");
  return [resource, [soft, hard]];
}

/** The commander spelling of a row: "-L, --sysroot <DIR>". */
export function commanderFlags(o: SandboxOption): string {
  const long = o.valueName ? `--${o.long} <${o.valueName}>` : `--${o.long}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

export const SANDBOX_OPTIONS: readonly SandboxOption[] = [
  {
    long: "sysroot",
    short: "L",
    valueName: "DIR",
    help: "host directory DIR read-only as the guest's / (qemu -L), where dynamic programs find their loader (default: $QEMU_LD_PREFIX, or /usr/riscv64-linux-gnu)",
    apply: (k, v) => {
      k.sysroot = parseSysroot(v ?? "");
    },
  },
  {
    long: "mount",
    valueName: "HOST:GUEST[:ro]",
    help: "show a host directory or file to the guest (repeatable)",
    repeatable: true,
    apply: (k, v) => {
      k.mounts = [...(k.mounts ?? []), parseMount(v ?? "")];
    },
  },
  {
    long: "tmp",
    valueName: "DIR",
    help: "show host directory DIR read-write as the guest's /tmp, instead of the run's private in-memory /tmp",
    apply: (k, v) => {
      k.tmp = parseDirectory(v ?? "", "--tmp");
    },
  },
  // The limits: src/kernel/limits.ts says how each ends a run; README "Limits" documents them.
  {
    long: "max-insns",
    valueName: "N",
    help: "end the run with SIGXCPU (status 152) after N instructions, host work in syscalls counted too",
    apply: (k, v) => {
      k.maxInsns = parseCount(v ?? "");
    },
  },
  {
    long: "memory-limit",
    valueName: "BYTES",
    help: "memory the guest may hold (K, M, G suffixes); past it mmap/brk fail with ENOMEM, and a process writing to a new page is killed with SIGKILL (status 137)",
    apply: (k, v) => {
      k.memoryLimit = parseBytes(v ?? "", "--memory-limit");
    },
  },
  {
    long: "max-procs",
    valueName: "N",
    help: "processes and threads alive at once (zombies included); fork and clone fail with EAGAIN past it",
    apply: (k, v) => {
      k.maxTasks = parseCount(v ?? "", "--max-procs");
    },
  },
  {
    long: "max-fds",
    valueName: "N",
    help: "RLIMIT_NOFILE's hard limit, which no guest may raise: opens past it fail with EMFILE",
    apply: (k, v) => {
      k.maxFds = parseCount(v ?? "", "--max-fds");
    },
  },
  {
    long: "rlimit",
    valueName: "NAME=SOFT[:HARD]",
    help: "a resource limit the guest starts with, as prlimit sets it (repeatable): NOFILE=4096, STACK=unlimited; defaults are a Linux login's (NOFILE 1024)",
    repeatable: true,
    apply: (k, v) => {
      const [resource, pair] = parseRlimit(v ?? "");
      k.rlimits = { ...(k.rlimits ?? {}), [resource]: pair };
    },
  },
  {
    long: "timeout",
    valueName: "SECONDS",
    help: "end the run with SIGALRM (status 142) after SECONDS of wall-clock time",
    apply: (k, v) => {
      k.timeout = parseSeconds(v ?? "", "--timeout");
    },
  },
  {
    long: "max-output",
    valueName: "BYTES",
    help: "bytes the guest may write to stdout and stderr together (K, M, G suffixes); past it the run ends with SIGXFSZ (status 153)",
    apply: (k, v) => {
      k.maxOutput = parseBytes(v ?? "", "--max-output");
    },
  },
  {
    long: "await-signals",
    help: "when every guest task is blocked for good, wait for a signal from outside (kill, ^C) instead of ending with status 122",
    apply: (k) => {
      k.endDeadlocks = false;
    },
  },
  {
    long: "deterministic",
    help: "a repeatable run: virtual clock, seeded random bytes, fixed ids, file times and inodes, empty environment",
    apply: (k) => {
      k.deterministic = true;
    },
  },
  {
    long: "seed",
    valueName: "N",
    help: "the seed of a deterministic run's random bytes (default 0; implies --deterministic)",
    apply: (k, v) => {
      k.deterministic = true;
      k.seed = parseSeed(v ?? "");
    },
  },
  {
    long: "date",
    valueName: "DATE",
    help: "the start time of a deterministic run: ISO date or seconds since the epoch (default 2000-01-01T00:00:00Z; implies --deterministic)",
    apply: (k, v) => {
      k.deterministic = true;
      k.dateNs = parseDate(v ?? "");
    },
  },
];

/** Where Debian's libc6-riscv64-cross installs the riscv64 loader and libraries (lib/ under it). */
export const DEBIAN_CROSS_SYSROOT = "/usr/riscv64-linux-gnu";

/**
 * The sysroot of a run when no --sysroot/-L was given, as qemu-riscv64 chooses its prefix: the
 * QEMU_LD_PREFIX of rvtrace's environment counts as -L (the option wins over it; an empty one or
 * one naming no directory is ignored, as qemu ignores it); failing that, a dynamic program whose
 * loader is in Debian's cross sysroot runs with that sysroot (the kernel decides, seeing the program:
 * KernelOptions.fallbackSysroot). Returns new options; lines for --verbose go to their notes.
 */
export function withDefaultSysroot(k: KernelOptions, env: NodeJS.ProcessEnv = process.env): KernelOptions {
  if (k.sysroot !== undefined) return k;
  const prefix = env.QEMU_LD_PREFIX;
  if (prefix !== undefined && prefix !== "") {
    let dir: string | null = null;
    try {
      dir = parseSysroot(prefix);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
    }
    if (dir !== null) return { ...k, sysroot: dir, notes: [...(k.notes ?? []), `QEMU_LD_PREFIX: ${dir} is the guest's / (as with --sysroot ${dir})`] };
    k = { ...k, notes: [...(k.notes ?? []), `QEMU_LD_PREFIX=${prefix} ignored: not a directory (as qemu-riscv64 ignores it)`] };
  }
  return { ...k, fallbackSysroot: DEBIAN_CROSS_SYSROOT };
}
