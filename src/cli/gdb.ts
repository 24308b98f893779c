// `rvtrace run --gdb PORT`: the glue between the run command and the gdb stub engine
// (src/engines/gdb). The program is held before its first instruction until gdb connects and
// resumes it; rvtrace says where to connect on stderr.
import type { Kernel } from "../kernel/kernel.js";
import type { Process, ExitStatus } from "../kernel/process.js";
import { startGdbServer } from "../engines/gdb/server.js";
import { UsageError } from "./sandbox-options.js";

/** Parses --gdb's PORT (0 lets the system choose one; rvtrace prints it). */
export function parseGdbPort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--gdb expects a TCP port number, got '${value}'`);
  return n;
}

export interface GdbSession {
  /** Tells gdb how the program ended and closes the port. */
  end(status: ExitStatus): Promise<void>;
}

/** Attaches the stub now (before any guest instruction) and starts listening. */
export async function debugWithGdb(kernel: Kernel, proc: Process, port: number): Promise<GdbSession> {
  const server = await startGdbServer({ utrace: kernel.utrace, leader: proc.leader, port, kill: () => proc.kill(9) });
  process.stderr.write(`rvtrace: waiting for gdb on 127.0.0.1:${server.port} (in gdb: target remote :${server.port})\n`);
  return {
    end: (status) => server.exited(status.signal !== null
      ? { exitCode: null, signal: status.signal }
      : { exitCode: status.exitCode ?? 0, signal: null }),
  };
}
