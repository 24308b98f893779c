#!/usr/bin/env node
// The benchmark: runs compute-heavy guests under rvtrace and under qemu-riscv64 in the same run and
// prints guest instructions per second and the time ratio. Instruction counts come from rvtrace's
// --stats line (qemu does not count). Each measurement is the best of --runs (default 3).
// Then start-up: `rvtrace run` of the hello-world guest, beside `node -e 0` (Node's own start-up and
// exit, which rvtrace cannot go below) and qemu-riscv64, interleaved, --startup-runs times (default
// 21); the median and the best.
// Then processes: the guest bench-fork's own figure for one fork+exit+wait, under rvtrace and qemu
// (median of --runs), for a parent with 1 and 10 MiB of data.
// Then shells, when tools/fetch-shells.sh has fetched Debian's riscv64 busybox: a `busybox sh` loop
// that runs an external command 200 times, under rvtrace and under the host's native busybox, and a
// loop of 200 subshells (fork without exec) under rvtrace, qemu-riscv64 and the host (median of --runs).
// Usage: node tools/bench.mjs [--runs N] [--filter NAME] [--startup-runs N]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const guests = path.join(root, "guests");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt("--runs", "3"));
const filter = opt("--filter", "");
const startupRuns = Number(opt("--startup-runs", "21"));

/** The benchmark guests and their arguments (see guests/src/bench-*.c). */
const BENCHES = JSON.parse(readFileSync(path.join(root, "tools", "bench.json"), "utf8"));

function time(cmd, argv) {
  let best = Infinity;
  let stderr = "";
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { cwd: guests, encoding: "utf8", maxBuffer: 1 << 26 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
    if (s < best) best = s;
    stderr = r.stderr;
  }
  return { seconds: best, stderr };
}

const rows = [];
for (const b of BENCHES) {
  if (filter && !b.name.includes(filter)) continue;
  const prog = path.join("bin", b.program);
  const rv = time(process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", "--stats", prog, ...b.args]);
  const q = time("qemu-riscv64", [prog, ...b.args]);
  const m = /(\d+) instructions/.exec(rv.stderr);
  const insns = m ? Number(m[1]) : NaN;
  rows.push({
    name: b.name,
    insns,
    rvtrace: rv.seconds,
    qemu: q.seconds,
    mips: insns / rv.seconds / 1e6,
    ratio: rv.seconds / q.seconds,
  });
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(`rvtrace bench, ${new Date().toISOString().slice(0, 10)}, ${cpu}, ${os.cpus().length} cores, Node ${process.version}, best of ${runs}`);
console.log("| guest | instructions | rvtrace s | qemu-riscv64 s | rvtrace M instr/s | time ratio |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.insns.toLocaleString("en-US")} | ${r.rvtrace.toFixed(3)} | ${r.qemu.toFixed(3)} | ${r.mips.toFixed(1)} | ${r.ratio.toFixed(1)}× |`,
  );
}

/** Wall-clock milliseconds of each command, run in turn startupRuns times: [median, best] each. */
function startup(commands) {
  const times = commands.map(() => []);
  for (let i = 0; i < startupRuns; i++) {
    commands.forEach(([cmd, argv], k) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, argv, { cwd: guests, stdio: "ignore" });
      if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal})`);
      times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return [t[t.length >> 1], t[0]];
  });
}

if (startupRuns > 0) {
  const hello = path.join("bin", "hello");
  const [rv, node, qemu] = startup([
    [process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", hello]],
    [process.execPath, ["-e", "0"]],
    ["qemu-riscv64", [hello]],
  ]);
  const ms = ([median, best]) => `${median.toFixed(0)} ms (best ${best.toFixed(0)})`;
  console.log();
  console.log(`start-up, median of ${startupRuns}:`);
  console.log(`| rvtrace run bin/hello | node -e 0 | qemu-riscv64 bin/hello |`);
  console.log("|---:|---:|---:|");
  console.log(`| ${ms(rv)} | ${ms(node)} | ${ms(qemu)} |`);
}

/** bench-fork's own figure ("N MB: X ms per fork+exit+wait"), median of `runs` runs. */
function forkMs(cmd, argv) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(cmd, argv, { cwd: guests, encoding: "utf8" });
    const m = / ([\d.]+) ms per fork/.exec(r.stdout);
    if (r.status !== 0 || !m) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
    ms.push(Number(m[1]));
  }
  ms.sort((a, b) => a - b);
  return ms[ms.length >> 1];
}

if (!filter || "fork".includes(filter)) {
  console.log();
  console.log(`processes, median of ${runs} (the guest's own timing of 100 round trips):`);
  console.log("| parent's data | rvtrace fork+exit+wait | qemu-riscv64 fork+exit+wait |");
  console.log("|---|---:|---:|");
  for (const mb of ["1", "10"]) {
    const argv = [path.join("bin", "bench-fork"), mb, "100"];
    const rv = forkMs(process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", ...argv]);
    const q = forkMs("qemu-riscv64", argv);
    console.log(`| ${mb} MiB | ${rv.toFixed(2)} ms | ${q.toFixed(2)} ms |`);
  }
}

/** Median wall-clock seconds of a command run `runs` times with guests/ as its working directory. */
function medianSeconds(cmd, argv) {
  const s = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { cwd: guests, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
    s.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  s.sort((a, b) => a - b);
  return s[s.length >> 1];
}

const busybox = path.join(guests, "shells", "busybox");
if ((!filter || "shell".includes(filter)) && existsSync(busybox)) {
  // The external command: `true`, a link to the riscv64 busybox for rvtrace, the host's for the host.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-bench-"));
  mkdirSync(path.join(scratch, "bin"));
  symlinkSync(busybox, path.join(scratch, "bin", "true"));
  const execLoop = (bin) => `i=0; while [ $i -lt 200 ]; do ${bin}/true; i=$((i+1)); done`;
  const forkLoop = "i=0; while [ $i -lt 200 ]; do ( : ); i=$((i+1)); done";
  const rv = (script) => [path.join(root, "bin", "rvtrace.js"), "run", "--mount", `${scratch}:${scratch}:ro`, busybox, "sh", "-c", script];
  try {
    const rows = [
      ["200 external commands (fork + exec)", medianSeconds(process.execPath, rv(execLoop(`${scratch}/bin`))), null, medianSeconds("busybox", ["sh", "-c", execLoop("/bin")])],
      ["200 subshells (fork only)", medianSeconds(process.execPath, rv(forkLoop)), medianSeconds("qemu-riscv64", [busybox, "sh", "-c", forkLoop]), medianSeconds("busybox", ["sh", "-c", forkLoop])],
    ];
    console.log();
    console.log(`busybox sh loops, median of ${runs} (whole command, start-up included):`);
    console.log("| loop | rvtrace s | qemu-riscv64 s | host busybox s |");
    console.log("|---|---:|---:|---:|");
    for (const [name, r, q, h] of rows) console.log(`| ${name} | ${r.toFixed(2)} | ${q === null ? "cannot (exec)" : q.toFixed(2)} | ${h.toFixed(3)} |`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
