// Timing a row: its three commands run in turn (rvtrace, qemu-riscv64, rvtrace with the tier off;
// then again), so a change in the machine's load falls on all three alike. Every run must exit as
// the row says and print what qemu printed in the same round, or the row fails: a fast wrong run
// is no result.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";

/** The order of the runs within a round; also the keys of the seconds measured. */
export const VARIANTS = ["rvtrace", "qemu", "noJit"];
const LABEL = { rvtrace: "rvtrace", qemu: "qemu-riscv64", noJit: "rvtrace with RVTRACE_NO_JIT=1" };

/** No single run may take longer than this (a hang fails the row instead of the whole bench). */
const RUN_TIMEOUT_MS = 15 * 60 * 1000;

/** One run: wall-clock seconds, exit status, stdout's digest and head, stderr. */
export function runOnce({ cmd, argv, env }, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28, timeout: RUN_TIMEOUT_MS });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return {
    seconds,
    status: r.status ?? `signal ${r.signal}`,
    digest: createHash("sha256").update(r.stdout).digest("hex"),
    bytes: r.stdout.length,
    head: r.stdout.subarray(0, 120).toString("latin1"),
    stderr: r.stderr.toString("latin1"),
  };
}

/** The guest instruction count from `rvtrace run --stats`'s last line on stderr. */
export function instructionCount(stderr) {
  const m = /rvtrace: (\d+) instructions in /.exec(stderr);
  if (!m) throw new Error(`no --stats line in rvtrace's stderr: ${stderr.slice(-300)}`);
  return Number(m[1]);
}

function describe(run) {
  return `${run.bytes} bytes, starting ${JSON.stringify(run.head.slice(0, 60))}`;
}

/**
 * `runs` rounds of the row's commands in `cwd`: { seconds: { rvtrace, qemu, noJit } (arrays),
 * instructions (one per tier-on run) }. Throws, naming the row, on a bad exit status or an
 * output that differs from qemu's.
 */
export function measure(row, commands, runs, cwd) {
  const seconds = { rvtrace: [], qemu: [], noJit: [] };
  const instructions = [];
  const status = row.status ?? 0;
  for (let round = 0; round < runs; round++) {
    const got = {};
    for (const v of VARIANTS) {
      const run = runOnce(commands[v], cwd);
      if (run.status !== status) {
        throw new Error(`${row.name}: ${LABEL[v]} exited with ${run.status}, not ${status}; stderr: ${run.stderr.slice(-500)}`);
      }
      got[v] = run;
      seconds[v].push(run.seconds);
    }
    for (const v of ["rvtrace", "noJit"]) {
      if (got[v].digest !== got.qemu.digest) {
        throw new Error(`${row.name}: ${LABEL[v]}'s stdout (${describe(got[v])}) differs from qemu-riscv64's (${describe(got.qemu)})`);
      }
    }
    instructions.push(instructionCount(got.rvtrace.stderr));
  }
  return { seconds, instructions };
}
