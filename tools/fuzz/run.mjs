// Running an ELF under rvtrace and under qemu-riscv64, and comparing the programs' dumps.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, rmSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CODE_BASE, OUT_SIZE, parseDump } from "./asm.mjs";
import { HOT_LOOP_THRESHOLD } from "./gen.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** bin/rvtrace.js, or $RVTRACE_CLI when set. */
export const RVTRACE_CLI = process.env.RVTRACE_CLI ?? join(ROOT, "bin", "rvtrace.js");
const TIMEOUT_MS = 120_000;

/** The qemu-riscv64 command ($QEMU_RISCV64 or the one on PATH), or null when there is none. */
export function findQemu() {
  const cmd = process.env.QEMU_RISCV64 ?? "qemu-riscv64";
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? cmd : null;
}

/**
 * The rvtrace tiers the fuzzer can compare with qemu, as the environment each runs with. Every
 * JIT-enabled tier also gets RVTRACE_JIT_DEBUG=1, whose per-region lines on stderr the fuzzer counts
 * (see countRegions) to show that the compiled tier really ran the programs' code.
 *   interp   the plain interpreter (RVTRACE_NO_JIT=1);
 *   jit      the compiled tier at once: a region is compiled at the first block start met, with
 *            decoding ahead (RVTRACE_JIT_EAGER=1), so nearly every instruction runs compiled;
 *   jit-js   as jit, with the JavaScript back end of the compiled tier (RVTRACE_JIT_BACKEND=js)
 *            instead of the shipped WebAssembly one;
 *   wasm-interp  the WebAssembly interpreter (src/cpu/wasm/interpreter.ts) with nothing of the
 *            programs compiled (a threshold no block of theirs reaches): it runs what it can and
 *            leaves the rest to the JavaScript interpreter instruction by instruction;
 *   default  the shipped code generator, dispatch and WebAssembly interpreter, compiling where a
 *            block has started HOT_LOOP_THRESHOLD times (the generated hot loops; below rvtrace's
 *            own default, so that the loops stay short).
 */
export const TIERS = {
  interp: { RVTRACE_NO_JIT: "1" },
  jit: { RVTRACE_JIT_EAGER: "1", RVTRACE_JIT_DEBUG: "1" },
  "jit-js": { RVTRACE_JIT_EAGER: "1", RVTRACE_JIT_DEBUG: "1", RVTRACE_JIT_BACKEND: "js" },
  "wasm-interp": { RVTRACE_JIT_DEBUG: "1", RVTRACE_JIT_THRESHOLD: "65535" },
  default: { RVTRACE_JIT_DEBUG: "1", RVTRACE_JIT_THRESHOLD: String(HOT_LOOP_THRESHOLD) },
};
/** --tier shorthands. */
export const TIER_SETS = { both: ["interp", "jit", "wasm-interp"], all: ["interp", "jit", "jit-js", "wasm-interp", "default"] };

/** Parses a --tier value ("interp", "jit,default", "both", ...) into a list of tier names. */
export function parseTiers(text) {
  const out = [];
  for (const t of text.split(",")) {
    const names = TIER_SETS[t] ?? (t in TIERS ? [t] : null);
    if (!names) throw new Error(`unknown tier ${t} (tiers: ${[...Object.keys(TIERS), ...Object.keys(TIER_SETS)].join(", ")})`);
    for (const n of names) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The environment of rvtrace for a tier: the caller's, without its own tier switches, plus the tier's. */
function tierEnv(tier) {
  const env = { ...process.env };
  for (const k of ["RVTRACE_NO_JIT", "RVTRACE_JIT_EAGER", "RVTRACE_JIT_DEBUG", "RVTRACE_JIT_THRESHOLD", "RVTRACE_JIT_BACKEND", "RVTRACE_WASM_INTERP"]) delete env[k];
  return { ...env, ...TIERS[tier] };
}

/** The fuzzer's code lies from CODE_BASE up, far below rvtrace's training code (warmup.ts). */
const CODE_HIGH = 0x80000000;
const REGION_LINE = /^rvtrace: region ([0-9a-f]+)\+([0-9a-f]+): \d+ blocks, (\d+) insns/;

/**
 * Splits RVTRACE_JIT_DEBUG=1 region lines off stderr: { regions, insns, stderr } with the regions
 * compiled in the programs' code (not rvtrace's own start-up training code, which lies elsewhere),
 * the instructions they hold, and the rest of stderr.
 */
export function countRegions(stderr) {
  let regions = 0;
  let insns = 0;
  const rest = [];
  for (const line of stderr.split("\n")) {
    const m = REGION_LINE.exec(line);
    if (!m) {
      rest.push(line);
      continue;
    }
    const addr = parseInt(m[1], 16) + parseInt(m[2], 16);
    if (addr >= CODE_BASE && addr < CODE_HIGH) {
      regions++;
      insns += Number(m[3]);
    }
  }
  return { regions, insns, stderr: rest.join("\n") };
}

/**
 * Runs a command; resolves to { stdout: Buffer, stderr: string, status (128+N for signal N), ms }.
 */
function runCommand(cmd, args, env = process.env) {
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const signals = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGXCPU: 24 };
      resolvePromise({
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString("utf8") + (timedOut ? `\n[killed after ${TIMEOUT_MS} ms]` : ""),
        status: code ?? 128 + (signals[signal] ?? 0),
        ms: Date.now() - t0,
      });
    });
  });
}

/** Runs the file under rvtrace in one tier: the run plus { regions, insns } compiled (see countRegions). */
export async function runRvtrace(path, tier) {
  const run = await runCommand(process.execPath, [RVTRACE_CLI, "run", path], tierEnv(tier));
  return { ...run, ...countRegions(run.stderr) };
}

let scratchDir = null;
let counter = 0;

/** Writes elf to a fresh temporary file and returns its path. */
export function writeTemp(elf, name = "prog") {
  if (!scratchDir) {
    scratchDir = mkdtempSync(join(tmpdir(), "rvtrace-fuzz-"));
    // The directory goes when the process ends, unless files were kept in it (--keep).
    process.on("exit", () => {
      try {
        rmdirSync(scratchDir);
      } catch {
        // not empty
      }
    });
  }
  const path = join(scratchDir, `${name}-${process.pid}-${counter++}.elf`);
  writeFileSync(path, elf);
  chmodSync(path, 0o755);
  return path;
}

export function removeTemp(path) {
  rmSync(path, { force: true });
}

/**
 * Runs the file under qemu and under rvtrace in each of `tiers`, all at once:
 * { qemu, rv: { [tier]: run } }.
 */
export async function runTiers(path, qemu, tiers) {
  const [q, ...rv] = await Promise.all([runCommand(qemu, [path]), ...tiers.map((t) => runRvtrace(path, t))]);
  return { qemu: q, rv: Object.fromEntries(tiers.map((t, i) => [t, rv[i]])) };
}

/**
 * Compares the outputs of a run of n programs. Returns one entry per program: null when both dumps
 * are there and equal; { rv, qemu } when they differ, each side's parsed dump or null when that
 * side stopped before it (so a crash shows as a difference at the program that crashed); and for the
 * programs after the point where either side stopped, { notRun: true } (and { unknown: true } for
 * the program where both stopped, which the generator should never cause).
 */
export function comparePrograms(n, rv, qemu) {
  const out = [];
  let stopped = false;
  for (let s = 0; s < n; s++) {
    if (stopped) {
      out.push({ notRun: true });
      continue;
    }
    const a = rv.stdout.subarray(s * OUT_SIZE, (s + 1) * OUT_SIZE);
    const b = qemu.stdout.subarray(s * OUT_SIZE, (s + 1) * OUT_SIZE);
    const haveA = a.length === OUT_SIZE;
    const haveB = b.length === OUT_SIZE;
    if (!haveA || !haveB) stopped = true;
    if (!haveA && !haveB) out.push({ unknown: true });
    else if (haveA && haveB && a.equals(b)) out.push(null);
    else out.push({ rv: haveA ? parseDump(a) : null, qemu: haveB ? parseDump(b) : null });
  }
  return out;
}

/**
 * comparePrograms for every tier of a runTiers result, merged into one entry per program: null when
 * every tier matches qemu; a difference (as comparePrograms gives it) with `tier` (the first tier
 * that differs) and `tiers` (all that do); else { unknown } or { notRun } as some tier had it.
 */
export function compareTiers(n, run) {
  const per = Object.entries(run.rv).map(([tier, rv]) => [tier, comparePrograms(n, rv, run.qemu)]);
  return Array.from({ length: n }, (_, s) => {
    const differ = per.filter(([, d]) => d[s] && !d[s].unknown && !d[s].notRun);
    if (differ.length) return { ...differ[0][1][s], tier: differ[0][0], tiers: differ.map(([t]) => t) };
    if (per.some(([, d]) => d[s] && d[s].unknown)) return { unknown: true };
    if (per.some(([, d]) => d[s] && d[s].notRun)) return { notRun: true };
    return null;
  });
}
