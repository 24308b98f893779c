// Running an ELF under rvtrace and under qemu-riscv64, and comparing the programs' dumps.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, chmodSync, rmSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OUT_SIZE, parseDump } from "./asm.mjs";

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

/** Runs a command; resolves to { stdout: Buffer, stderr: string, status } (128+N for signal N). */
function runCommand(cmd, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
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
      });
    });
  });
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

/** Runs the file under both emulators at once: { rv, qemu }. */
export async function runBoth(path, qemu) {
  const [rv, q] = await Promise.all([runCommand(process.execPath, [RVTRACE_CLI, "run", path]), runCommand(qemu, [path])]);
  return { rv, qemu: q };
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
