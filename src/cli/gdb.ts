// `rvtrace run --gdb PORT` and `--gdb-wait PORT`: the glue between the run command and the gdb
// stub engine (src/engines/gdb). With --gdb the program runs at once and gdb attaches (stopping
// it) whenever it connects; with --gdb-wait it is held before its first instruction until gdb
// connects and resumes it. rvtrace says where to connect on stderr.
import type { Kernel } from "../kernel/kernel.js";
import type { Process, ExitStatus } from "../kernel/process.js";
import { startGdbServer } from "../engines/gdb/server.js";
import { UsageError } from "./sandbox-options.js";

export interface GdbSession {
  /** Tells gdb how the program ended and closes the port. */
  end(status: ExitStatus): Promise<void>;
}

/** Starts listening before any guest instruction; with `wait`, the program stays held for gdb. */
export async function debugWithGdb(kernel: Kernel, proc: Process, port: number, wait: boolean): Promise<GdbSession> {
  const option = wait ? "--gdb-wait" : "--gdb";
  let server;
  try {
    server = await startGdbServer({ utrace: kernel.utrace, leader: proc.leader, port, wait, kill: () => proc.kill(9) });
  } catch (e) {
    // The program never ran: end it, and say why in one line.
    proc.kill(9);
    await proc.wait();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "address already in use" : code === "EACCES" ? "permission denied" : String(code ?? e);
    throw new UsageError(`${option}: cannot listen on 127.0.0.1:${port}: ${why}`);
  }
  const where = `127.0.0.1:${server.port} (in gdb: target remote :${server.port})`;
  process.stderr.write(wait ? `rvtrace: waiting for gdb on ${where}\n` : `rvtrace: gdb can attach on ${where}\n`);
  return {
    end: (status) => server.exited(status.signal !== null
      ? { exitCode: null, signal: status.signal }
      : { exitCode: status.exitCode ?? 0, signal: null }),
  };
}
