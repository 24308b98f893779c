// --gdb's value, parsed where `rvtrace run`'s options are declared; the stub itself (./gdb.ts,
// which needs node:net) is loaded only when the option is given, so a plain run does not pay for it.
import { UsageError } from "./sandbox-options.js";

/** Parses --gdb's PORT (0 lets the system choose one; rvtrace prints it). */
export function parseGdbPort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--gdb expects a TCP port number, got '${value}'`);
  return n;
}
