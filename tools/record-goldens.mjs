#!/usr/bin/env node
// Records the expected output of every guest test case by running it under qemu-riscv64.
//
//   node tools/record-goldens.mjs            record all cases in guests/cases.json
//   node tools/record-goldens.mjs NAME...    record only the named cases
//
// For each case it writes guests/expected/<name>.stdout, .stderr and .status (the exit code, or
// 128+N when signal N killed the guest), then prints one summary line per case saying whether the
// recording changed. A full run also deletes expected files whose case no longer exists.
//
// The module also exports the pieces the vitest harnesses share (test/guests*.test.ts): loading
// the cases, the environment a case runs with, running a process with stdin and collecting its
// output, and running a case under qemu the same way the recording does.
//
// Cases marked "golden": "host" in cases.json are skipped here: qemu-user cannot record them
// (they execve riscv64 programs, or need kernel behaviour qemu does not emulate), and
// tools/record-host-goldens.mjs records them from a host build of the same source instead.
//
// Two qemu-riscv64 behaviours are compensated for, so that the recordings show what the real
// kernel would produce:
//  - when the guest dies of a signal qemu may print "qemu: uncaught target signal ..." on stderr
//    (and write a qemu_*.core file if core dumps are enabled); those lines are removed and any
//    such core file is deleted;
//  - qemu hands its own environment to the guest in reverse order, so it is spawned with the
//    case's variables reversed (checked once with a probe run) and the guest sees them in order.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const GUESTS_DIR = path.join(ROOT, "guests");
export const EXPECTED_DIR = path.join(GUESTS_DIR, "expected");
export const CASES_FILE = path.join(GUESTS_DIR, "cases.json");

/** The environment of a case that does not give its own. */
export const DEFAULT_ENV = Object.freeze({ PATH: "/usr/bin:/bin", LANG: "C" });

/** How long one guest run may take before it is killed. */
export const TIMEOUT_MS = 120_000;

const QEMU_NOISE = /^qemu: uncaught target signal/;

/** Reads and checks guests/cases.json. */
export function loadCases(file = CASES_FILE) {
  const cases = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(cases)) throw new Error(`${file}: expected an array of cases`);
  const seen = new Set();
  for (const c of cases) {
    const where = `${file}: case ${JSON.stringify(c?.name)}`;
    if (typeof c?.name !== "string" || !/^[A-Za-z0-9._-]+$/.test(c.name)) throw new Error(`${where}: bad name`);
    if (seen.has(c.name)) throw new Error(`${where}: duplicate name`);
    seen.add(c.name);
    if (typeof c.program !== "string") throw new Error(`${where}: program must be a string`);
    if (!Array.isArray(c.args) || !c.args.every((a) => typeof a === "string")) {
      throw new Error(`${where}: args must be an array of strings`);
    }
    if (c.stdin !== undefined && typeof c.stdin !== "string") throw new Error(`${where}: stdin must be a string`);
    if (c.golden !== undefined && c.golden !== "host") throw new Error(`${where}: golden must be "host" if present`);
    if (c.sysroot !== undefined && (typeof c.sysroot !== "string" || !c.sysroot.startsWith("/"))) {
      throw new Error(`${where}: sysroot must be an absolute path`);
    }
    if (c.env !== undefined) {
      if (typeof c.env !== "object" || c.env === null || Array.isArray(c.env)) {
        throw new Error(`${where}: env must be an object`);
      }
      for (const [k, v] of Object.entries(c.env)) {
        if (typeof v !== "string" || k === "" || k.includes("=")) throw new Error(`${where}: bad env entry ${k}`);
      }
    }
  }
  return cases;
}

/** The exact environment the guest of case `c` runs with, in order. */
export function caseEnv(c) {
  return { ...(c.env ?? DEFAULT_ENV) };
}

/** The bytes a case feeds to the guest's stdin. */
export function caseStdin(c) {
  return Buffer.from(c.stdin ?? "", "utf8");
}

/** Paths of the three recorded files of a case. */
export function expectedPaths(name) {
  const base = path.join(EXPECTED_DIR, name);
  return { stdout: `${base}.stdout`, stderr: `${base}.stderr`, status: `${base}.status` };
}

/** The recorded result of a case: { stdout: Buffer, stderr: Buffer, status: number }. */
export function readExpected(name) {
  const p = expectedPaths(name);
  return {
    stdout: readFileSync(p.stdout),
    stderr: readFileSync(p.stderr),
    status: Number(readFileSync(p.status, "utf8").trim()),
  };
}

/** A process's status as a shell reports it: the exit code, or 128+N for death by signal N. */
export function exitStatus(code, signal) {
  if (signal) {
    const n = osConstants.signals[signal];
    if (n === undefined) throw new Error(`unknown signal ${signal}`);
    return 128 + n;
  }
  return code ?? 0;
}

/**
 * Runs `command args` with exactly the environment `env`, feeding `stdin` (a Buffer) and
 * collecting both output streams. Resolves to { stdout, stderr, status }; rejects if the
 * command cannot be started or runs longer than `timeoutMs`.
 */
export function runProcess(command, args, { cwd, env, stdin = Buffer.alloc(0), timeoutMs = TIMEOUT_MS }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    // A guest that exits without reading all of its stdin closes the pipe: not an error here.
    child.stdin.on("error", () => {});
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new Error(`${command} ${args.join(" ")}: killed after ${timeoutMs} ms`));
        return;
      }
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), status: exitStatus(code, signal) });
    });
    child.stdin.end(stdin);
  });
}

/** Finds an executable on the host PATH (or takes $RVTRACE_QEMU for qemu). */
export function findQemu() {
  if (process.env.RVTRACE_QEMU) return process.env.RVTRACE_QEMU;
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(path.delimiter)) {
    const candidate = path.join(dir || ".", "qemu-riscv64");
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Removes qemu's own "uncaught target signal" lines from a guest's stderr. */
export function stripQemuNoise(stderr) {
  const text = stderr.toString("latin1");
  if (!text.includes("qemu: ")) return stderr;
  const kept = text.split(/(?<=\n)/).filter((line) => !QEMU_NOISE.test(line));
  return Buffer.from(kept.join(""), "latin1");
}

/** Deletes core files qemu writes into the guest's working directory when core dumps are on. */
function removeQemuCores(dir) {
  for (const f of readdirSync(dir)) {
    if (/^qemu_.*\.core$/.test(f)) unlinkSync(path.join(dir, f));
  }
}

let reversesEnvPromise = null;

/** Whether this qemu-riscv64 passes its environment to the guest in reverse order (probed once). */
export function qemuReversesEnv(qemu = findQemu()) {
  reversesEnvPromise ??= (async () => {
    const probe = path.join(GUESTS_DIR, "bin", "asm-args");
    const env = { RVTRACE_PROBE_1: "first", RVTRACE_PROBE_2: "second" };
    const r = await runProcess(qemu, [probe], { cwd: GUESTS_DIR, env });
    const seen = [...r.stdout.toString("utf8").matchAll(/^env \[(RVTRACE_PROBE_\d)=/gm)].map((m) => m[1]);
    if (seen.join() === "RVTRACE_PROBE_1,RVTRACE_PROBE_2") return false;
    if (seen.join() === "RVTRACE_PROBE_2,RVTRACE_PROBE_1") return true;
    throw new Error(`cannot tell how qemu orders the environment (probe printed ${JSON.stringify(seen)})`);
  })();
  return reversesEnvPromise;
}

/**
 * Runs case `c` under qemu-riscv64 in guests/, as a real kernel would run it: exact
 * environment in order, stdin from the case, qemu's own messages removed from stderr.
 */
export async function runUnderQemu(c, { qemu = findQemu(), timeoutMs = TIMEOUT_MS } = {}) {
  if (!qemu) throw new Error("qemu-riscv64 not found on PATH (or set RVTRACE_QEMU)");
  let entries = Object.entries(caseEnv(c));
  if (await qemuReversesEnv(qemu)) entries = entries.reverse();
  // A dynamic program's sysroot: qemu's -L, rvtrace's --sysroot (rvtraceArgs).
  const sysroot = c.sysroot !== undefined ? ["-L", c.sysroot] : [];
  const r = await runProcess(qemu, [...sysroot, c.program, ...c.args], {
    cwd: GUESTS_DIR,
    env: Object.fromEntries(entries),
    stdin: caseStdin(c),
    timeoutMs,
  });
  removeQemuCores(GUESTS_DIR);
  return { ...r, stderr: stripQemuNoise(r.stderr) };
}

/** The rvtrace entry script the harnesses run: bin/rvtrace.js, or $RVTRACE_CLI to try another. */
export const RVTRACE_CLI = process.env.RVTRACE_CLI ? path.resolve(process.env.RVTRACE_CLI) : path.join(ROOT, "bin", "rvtrace.js");

/** The rvtrace command line for case `c` (run with cwd guests/). */
export function rvtraceArgs(c) {
  const args = [RVTRACE_CLI, "run", "--clear-env"];
  for (const [k, v] of Object.entries(caseEnv(c))) args.push("--env", `${k}=${v}`);
  if (c.sysroot !== undefined) args.push("--sysroot", c.sysroot);
  args.push(c.program, ...c.args);
  return args;
}

/** Runs case `c` under rvtrace (node bin/rvtrace.js run --clear-env --env K=V ... program args) in guests/. */
export function runUnderRvtrace(c, { timeoutMs = TIMEOUT_MS } = {}) {
  return runProcess(process.execPath, rvtraceArgs(c), {
    cwd: GUESTS_DIR,
    env: process.env,
    stdin: caseStdin(c),
    timeoutMs,
  });
}

/**
 * Writes a case's expected stdout, stderr and status from run `r` and prints one line about it
 * (`width`: the longest case name, for alignment). Returns whether the golden is "new", "changed"
 * or "same".
 */
export function writeGolden(c, r, ms, width) {
  const p = expectedPaths(c.name);
  const files = [
    [p.stdout, r.stdout],
    [p.stderr, r.stderr],
    [p.status, Buffer.from(`${r.status}\n`)],
  ];
  const before = files.map(([f, d]) => sameFile(f, d));
  const state = before.every((b) => b === null) ? "new" : before.every((b) => b === true) ? "same" : "changed";
  for (const [f, d] of files) writeFileSync(f, d);
  console.log(
    `${c.name.padEnd(width)}  status ${String(r.status).padStart(3)}  ` +
      `stdout ${String(r.stdout.length).padStart(6)} B  stderr ${String(r.stderr.length).padStart(5)} B  ` +
      `${String(ms).padStart(5)} ms  ${state}`,
  );
  return state;
}

function sameFile(file, data) {
  try {
    return readFileSync(file).equals(data);
  } catch {
    return null;
  }
}

async function main(names) {
  const qemu = findQemu();
  if (!qemu) {
    console.error("record-goldens: qemu-riscv64 not found on PATH (or set RVTRACE_QEMU)");
    return 1;
  }
  const all = loadCases();
  const unknown = names.filter((n) => !all.some((c) => c.name === n));
  if (unknown.length > 0) {
    console.error(`record-goldens: no such case: ${unknown.join(", ")}`);
    return 1;
  }
  const hostCases = all.filter((c) => c.golden === "host" && (names.length === 0 || names.includes(c.name)));
  if (hostCases.length > 0) {
    console.log(`skipped (recorded by tools/record-host-goldens.mjs): ${hostCases.map((c) => c.name).join(", ")}`);
  }
  const cases = all.filter((c) => c.golden !== "host" && (names.length === 0 || names.includes(c.name)));
  if (cases.length === 0) return 0;
  mkdirSync(EXPECTED_DIR, { recursive: true });
  console.log(`qemu: ${qemu}${(await qemuReversesEnv(qemu)) ? " (reverses the environment: compensated)" : ""}`);

  const counts = { new: 0, changed: 0, same: 0 };
  const width = Math.max(...cases.map((c) => c.name.length));
  for (const c of cases) {
    if (!existsSync(path.join(GUESTS_DIR, c.program))) {
      console.error(`record-goldens: ${c.name}: ${c.program} does not exist (run make -C guests)`);
      return 1;
    }
    const started = Date.now();
    const r = await runUnderQemu(c, { qemu });
    const ms = Date.now() - started;
    counts[writeGolden(c, r, ms, width)]++;
  }

  if (names.length === 0) {
    const wanted = new Set(all.flatMap((c) => Object.values(expectedPaths(c.name)).map((f) => path.basename(f))));
    for (const f of readdirSync(EXPECTED_DIR)) {
      if (!wanted.has(f)) {
        unlinkSync(path.join(EXPECTED_DIR, f));
        console.log(`removed stale ${path.join("guests", "expected", f)}`);
      }
    }
  }
  console.log(`${cases.length} cases: ${counts.new} new, ${counts.changed} changed, ${counts.same} unchanged`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
