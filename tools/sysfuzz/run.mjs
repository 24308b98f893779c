// One run of the syscall fuzzer: the guest guests/bin/sysfuzz under rvtrace, in a fresh temporary
// directory (watch.mjs), and what went wrong. Used by tools/sysfuzz.mjs and test/tools/sysfuzz.test.ts.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compare, prepare, snapshot, watchedText } from "./watch.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const GUEST = join(ROOT, "guests", "bin", "sysfuzz");
/** bin/rvtrace.js, or $RVTRACE_CLI when set. */
export const RVTRACE_CLI = process.env.RVTRACE_CLI ?? join(ROOT, "bin", "rvtrace.js");

/** Lines of rvtrace's own that say it failed, and a JavaScript stack trace's frames. */
const INTERNAL = /internal error/;
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/**
 * Runs `count` calls from `seed`. Returns { ok, problems[], stdout, stderr, status, signal, ms,
 * watched }. `verbose` makes the guest print every call before making it; `rvtraceArgs` go to
 * `rvtrace run` before the program; `timeoutMs` kills a run that does not end (reported); `cli` is
 * the script run as rvtrace; `trace` runs the guest under `rvtrace trace` instead of `rvtrace run`.
 */
export async function runFuzz({ seed, count, verbose = false, rvtraceArgs = [], timeoutMs = 600_000, keep = false, cli = RVTRACE_CLI, trace = false }) {
  const dirs = prepare(mkdtempSync(join(tmpdir(), "rvtrace-sysfuzz-")));
  const before = snapshot(dirs);
  // Under `rvtrace trace` the strace decoders read every hostile argument too (their output is not kept).
  const command = trace ? ["trace", "-f", "-v", "-xx", "-o", "/dev/null"] : ["run"];
  const args = [cli, ...command, "--clear-env", ...rvtraceArgs, GUEST, String(seed), String(count), ...(verbose ? ["v"] : [])];
  const started = process.hrtime.bigint();
  // A new session: the guest has no controlling terminal (its /dev/tty cannot reach ours).
  const child = spawn(process.execPath, args, { cwd: dirs.work, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const out = [];
  const err = [];
  child.stdout.on("data", (b) => out.push(b));
  child.stderr.on("data", (b) => err.push(b));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid, "SIGKILL");
  }, timeoutMs);
  const [status, signal] = await new Promise((done) => child.on("close", (code, sig) => done([code, sig])));
  clearTimeout(timer);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stdout = Buffer.concat(out).toString("latin1");
  const stderr = Buffer.concat(err).toString("utf8");

  const problems = [];
  if (timedOut) problems.push(`rvtrace did not end within ${timeoutMs / 1000} s (killed)`);
  else if (signal) problems.push(`rvtrace was killed by ${signal}`);
  else if (status !== 0) problems.push(`rvtrace exited with status ${status} (the guest's status, or 128+signal)`);
  if (INTERNAL.test(stderr)) problems.push("rvtrace reported an internal error");
  if (STACK.test(stderr)) problems.push("rvtrace printed a JavaScript stack trace");
  if (stderr !== "" && problems.length === 0) problems.push("rvtrace printed on stderr (the guest's stderr is /dev/null)");
  const done = /^done (\d+) skipped (\d+) dropped (\d+)$/m.exec(stdout);
  if (!done || Number(done[1]) !== count) problems.push(`the guest did not finish its ${count} calls (last line: ${JSON.stringify(lastLine(stdout))})`);
  const changes = compare(before, snapshot(dirs));
  if (changes.length > 0) problems.push(`the host changed outside the guest's directory:\n    ${changes.join("\n    ")}`);
  if (!keep) rmSync(dirs.top, { recursive: true, force: true });
  return {
    ok: problems.length === 0, problems, stdout, stderr, status, signal, ms, dir: dirs.top,
    skipped: done ? Number(done[2]) : 0, dropped: done ? Number(done[3]) : 0, watched: watchedText(dirs),
  };
}

function lastLine(text) {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}

/** Per-result counts of a run's call lines: { calls, byErrno: Map(name -> n), bySyscall: Map(name -> n) }. */
export async function tally(stdout) {
  const { ERRNO_TABLE } = await import(new URL("../../dist/abi/gen/errno.js", import.meta.url).href);
  const names = new Map();
  for (const [name, n] of ERRNO_TABLE) if (!names.has(n)) names.set(n, name);
  const byErrno = new Map();
  const bySyscall = new Map();
  let calls = 0;
  for (const line of stdout.split("\n")) {
    const m = /^(\d+) (\S+) (-?\d+)$/.exec(line);
    if (!m) continue;
    calls++;
    const r = Number(m[3]);
    const key = r < 0 && r >= -4095 ? (names.get(-r) ?? `errno ${-r}`) : "success";
    byErrno.set(key, (byErrno.get(key) ?? 0) + 1);
    bySyscall.set(m[2], (bySyscall.get(m[2]) ?? 0) + 1);
  }
  return { calls, byErrno, bySyscall };
}
