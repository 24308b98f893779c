// `rvtrace run --verify`: runs the program twice, one kernel after the other in this process, both
// deterministic, with the same arguments, environment and stdin (read whole first), and reports the
// first difference: the first syscall whose number, task or result differs (each run logs every
// syscall exit in order), then stdout, stderr, the exit status and the instruction count.
import { Readable, Writable } from "node:stream";
import { Kernel, type KernelOptions } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import { syscallName } from "../kernel/syscalls/table.js";
import { runStatus, withDeadlockEnd } from "./deadlock.js";

/** What one run did. */
export interface RunRecord {
  stdout: Buffer;
  stderr: Buffer;
  /** The status a shell would show: the exit code, or 128 + the signal. */
  status: number;
  syscalls: number;
  instructions: number;
}

export interface Verification {
  same: boolean;
  /** One line per difference found (none when the runs agree). */
  differences: string[];
  first: RunRecord;
  second: RunRecord;
}

/** Collects what a guest writes. */
class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The syscall exits of a run, in order: task, number and result. */
class SyscallLog {
  readonly tids: number[] = [];
  readonly nrs: number[] = [];
  readonly results: bigint[] = [];

  add(t: Task): void {
    this.tids.push(t.tid);
    this.nrs.push(t.syscallNr);
    this.results.push(t.hart.x64[10]);
  }

  get length(): number {
    return this.tids.length;
  }

  describe(i: number): string {
    return `${syscallName(this.nrs[i])} of task ${this.tids[i]} returned ${this.results[i]}`;
  }

  /** The first index where the two logs differ, or -1. */
  firstDifference(other: SyscallLog): number {
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) {
      if (this.tids[i] !== other.tids[i] || this.nrs[i] !== other.nrs[i] || this.results[i] !== other.results[i]) return i;
    }
    return this.length === other.length ? -1 : n;
  }
}

async function runOnce(
  program: string,
  argv: string[],
  env: Record<string, string>,
  options: KernelOptions,
  stdin: Uint8Array,
  log: SyscallLog,
): Promise<RunRecord> {
  const stdout = new Collector();
  const stderr = new Collector();
  // A deadlock's lines belong to the run's stderr, compared between the two runs and shown once.
  const kernel = new Kernel(withDeadlockEnd({ diagnostics: stderr, ...options, deterministic: true, onSyscallExit: (t) => log.add(t) }));
  const proc = kernel.spawn(program, argv, { env, stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr });
  const status = await proc.wait();
  return {
    stdout: stdout.bytes(),
    stderr: stderr.bytes(),
    status: runStatus(kernel, status),
    syscalls: log.length,
    instructions: kernel.instructions,
  };
}

/** Where two byte strings first differ, or -1. */
function firstByteDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Runs the program twice (deterministic) and compares the runs. Throws SpawnError as spawn does. */
export async function verify(
  program: string,
  argv: string[],
  env: Record<string, string>,
  options: KernelOptions,
  stdin: Uint8Array,
): Promise<Verification> {
  const logs = [new SyscallLog(), new SyscallLog()];
  const first = await runOnce(program, argv, env, options, stdin, logs[0]);
  const second = await runOnce(program, argv, env, options, stdin, logs[1]);
  const differences: string[] = [];
  const at = logs[0].firstDifference(logs[1]);
  if (at >= 0) {
    const say = (log: SyscallLog) => (at < log.length ? log.describe(at) : "the run had ended");
    differences.push(`syscall #${at + 1} differs: in the first run ${say(logs[0])}; in the second ${say(logs[1])}`);
  }
  for (const stream of ["stdout", "stderr"] as const) {
    const i = firstByteDifference(first[stream], second[stream]);
    if (i >= 0) {
      differences.push(`${stream} differs from byte ${i} (${first[stream].length} bytes in the first run, ${second[stream].length} in the second)`);
    }
  }
  if (first.status !== second.status) differences.push(`exit status differs: ${first.status} in the first run, ${second.status} in the second`);
  if (first.instructions !== second.instructions) {
    differences.push(`instruction count differs: ${first.instructions} in the first run, ${second.instructions} in the second`);
  }
  return { same: differences.length === 0, differences, first, second };
}
