// Shared by the --deterministic tests: running a guest in this process under `rvtrace trace`
// (traceMain with streams of our own), and a scratch copy of guests/ to run in, so that guests
// which create files never meet another test file's run of the same guest.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { traceMain } from "../../src/cli/trace.js";

export const ROOT = path.resolve(__dirname, "../..");
export const GUESTS_DIR = path.join(ROOT, "guests");

/** A Writable keeping every byte it is given. */
export class Collector extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("latin1");
  }
}

export interface TracedRun {
  status: number;
  stdout: string;
  stderr: string;
  trace: string;
}

/** A scratch copy of guests/bin and guests/data; remove it with rmSync(dir, { recursive: true }). */
export function scratchGuests(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-"));
  cpSync(path.join(GUESTS_DIR, "bin"), path.join(dir, "bin"), { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(GUESTS_DIR, "data"), path.join(dir, "data"), { recursive: true, verbatimSymlinks: true });
  return dir;
}

/**
 * `rvtrace trace OPTIONS -o LOG PROGRAM ARGS` in `cwd`, in this process, with `stdin` as the
 * guest's standard input: the guest's status, stdout and stderr, and the trace.
 */
export async function traceInProcess(cwd: string, options: string[], program: string, args: string[], stdin = ""): Promise<TracedRun> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-log-"));
  const log = path.join(logDir, "trace");
  const stdout = new Collector();
  const stderr = new Collector();
  try {
    const status = await traceMain([...options, "-o", log, program, ...args], undefined, {
      cwd,
      stdin: Readable.from([Buffer.from(stdin, "utf8")]),
      stdout,
      stderr,
    });
    return { status, stdout: stdout.text(), stderr: stderr.text(), trace: readFileSync(log, "latin1") };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
