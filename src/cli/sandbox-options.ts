// The options that shape the sandbox a guest runs in (mounts, limits, determinism), shared by
// `rvtrace run` and `rvtrace trace`. Each is one row: its spelling, its help line, and how its value
// changes the KernelOptions the run is built from. main.ts turns the rows into commander options,
// trace.ts into strace-style ones, so an option added here exists in both commands at once.
import fs from "node:fs";
import path from "node:path";
import type { KernelOptions, Mount } from "../kernel/kernel.js";

/** Thrown by option parsers: a bad option value, reported as one line. */
export class UsageError extends Error {}

export interface SandboxOption {
  /** The long spelling without the dashes. */
  long: string;
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

export const SANDBOX_OPTIONS: readonly SandboxOption[] = [
  {
    long: "mount",
    valueName: "HOST:GUEST[:ro]",
    help: "show a host directory or file to the guest (repeatable)",
    repeatable: true,
    apply: (k, v) => {
      k.mounts = [...(k.mounts ?? []), parseMount(v ?? "")];
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
];
