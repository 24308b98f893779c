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
  {
    long: "max-insns",
    valueName: "N",
    help: "kill the guest with SIGXCPU after N instructions",
    apply: (k, v) => {
      k.maxInsns = parseCount(v ?? "");
    },
  },
];
