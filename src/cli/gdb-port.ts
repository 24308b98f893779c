// --gdb's and --gdb-wait's values, parsed where `rvtrace run`'s options are declared; the stub itself (./gdb.ts,
// which needs node:net) is loaded only when the option is given, so a plain run does not pay for it.
import { UsageError } from "./sandbox-options.js";

/** Parses --gdb's or --gdb-wait's PORT (0 lets the system choose one; rvtrace prints it). */
export function parseGdbPort(value: string, option = "--gdb"): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`${option} expects a TCP port number, got '${value}'`);
  return n;
}

/** The stub's settings from --gdb PORT and --gdb-wait PORT (one of the two; null: neither). */
export function gdbSettings(gdb: number | undefined, gdbWait: number | undefined): { port: number; wait: boolean } | null {
  if (gdb !== undefined && gdbWait !== undefined) {
    throw new UsageError("--gdb and --gdb-wait both name a port: give one (--gdb-wait holds the program until gdb connects)");
  }
  if (gdbWait !== undefined) return { port: gdbWait, wait: true };
  return gdb !== undefined ? { port: gdb, wait: false } : null;
}
