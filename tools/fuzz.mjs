#!/usr/bin/env node
// Differential ISA fuzzer: random RV64GC programs run under rvtrace and under qemu-riscv64, and
// their final register files, fcsr and data windows compared byte for byte.
//
//   node tools/fuzz.mjs [--seed S] [--programs P] [--length L] [--tier T] [--keep] [--batch B]
//                       [--jobs J] [--only I] [--no-minimize] [--max-reports N] [--shared-pages]
//
// rvtrace runs once per tier (run.mjs: TIERS), each compared with the same qemu run: the plain
// interpreter, and the compiled tier compiling everything at once (RVTRACE_JIT_EAGER=1). qemu is the
// reference for both, so a bug in code the tiers share shows as much as one in either tier alone.
//
// Every program is regenerated from (seed, index, length), so `--seed S --length L --only I`
// reproduces program I of a run. Programs run several to an ELF (--batch) to save start-up time;
// each one starts from its own initial state and data region, so they cannot affect each other.
// On a difference the program's ELF is saved to /tmp, the differences are printed, and the body
// is minimised by dropping units (delta debugging) to the shortest program that still differs.
// Exit status: 0 when no program differs, 1 when some do, 2 for a usage or setup error.
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { generateProgram, bodyLength } from "./fuzz/gen.mjs";
import { assemble, listing } from "./fuzz/asm.mjs";
import { RVTRACE_CLI, TIERS, compareTiers, findQemu, parseTiers, removeTemp, runTiers, writeTemp } from "./fuzz/run.mjs";
import { diffLines, initialValuesLines, memoryLines } from "./fuzz/report.mjs";

const USAGE = `usage: node tools/fuzz.mjs [options]
  --seed S         run seed (default: random, printed)
  --programs P     number of programs (default 100)
  --length L       instructions per program body (default 200)
  --tier T         rvtrace tier(s) compared with qemu: interp, jit (compile at once, RVTRACE_JIT_EAGER=1),
                   default (the shipped compile threshold), a comma list, both (interp,jit; the
                   default) or all
  --keep           keep the ELF file of every batch (/tmp/rvtrace-fuzz-S-L-FIRST-LAST.elf)
  --batch B        programs per ELF run (default 25)
  --jobs J         batches run at once (default: 2, or 1 on a single CPU)
  --only I         run only program I (with the same --seed and --length as the run it came from)
  --no-minimize    report differences without minimising them
  --max-reports N  minimise and list at most N differing programs (default 3)
  --shared-pages   one R+W+X segment, each program's data right after its code, so that data
                   stores hit pages holding decoded code`;

function parseArgs(argv) {
  const o = {
    seed: undefined, programs: 100, length: 200, keep: false, batch: 25, jobs: Math.min(2, cpus().length || 1),
    only: undefined, minimize: true, maxReports: 3, shared: false, tiers: parseTiers("both"),
  };
  const num = (name, v, min) => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} needs an integer ≥ ${min}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--seed": o.seed = num(a, argv[++i], 0) >>> 0; break;
      case "--programs": o.programs = num(a, argv[++i], 1); break;
      case "--length": o.length = num(a, argv[++i], 1); break;
      case "--batch": o.batch = num(a, argv[++i], 1); break;
      case "--jobs": o.jobs = num(a, argv[++i], 1); break;
      case "--only": o.only = num(a, argv[++i], 0); break;
      case "--max-reports": o.maxReports = num(a, argv[++i], 0); break;
      case "--tier":
        if (argv[i + 1] === undefined) throw new Error("--tier needs a value");
        o.tiers = parseTiers(argv[++i]);
        break;
      case "--keep": o.keep = true; break;
      case "--no-minimize": o.minimize = false; break;
      case "--shared-pages": o.shared = true; break;
      case "-h":
      case "--help": console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  o.seed ??= (Math.random() * 2 ** 32) >>> 0;
  return o;
}

/**
 * Runs a list of programs in one ELF under qemu and rvtrace's tiers o.tiers; returns the
 * per-program comparison (compareTiers) and the run (runTiers). With keepPath the ELF is written
 * there and kept; otherwise it is a temporary file.
 */
async function runPrograms(programs, qemu, o, keepPath = null) {
  const { elf, slots } = assemble(programs, { shared: o.shared });
  let path = keepPath;
  if (path) writeFileSync(path, elf, { mode: 0o755 });
  else path = writeTemp(elf);
  try {
    const run = await runTiers(path, qemu, o.tiers);
    return { diffs: compareTiers(programs.length, run), run, slots, path };
  } finally {
    if (!keepPath) removeTemp(path);
  }
}

/** Which side stopped early in a difference: "" (neither), "rv", "qemu". */
const stoppedSide = (d) => (!d.rv ? "rv" : !d.qemu ? "qemu" : "");

/**
 * Index of the first candidate body (array of units) that still makes a difference of the same
 * kind as `like` (both dumps there, or the same side stopped), or -1. Candidates that make both
 * emulators stop alike do not count (and the ones after such a candidate run again).
 */
async function firstFailing(program, bodies, qemu, o, like) {
  const CHUNK = 64;
  for (let start = 0; start < bodies.length;) {
    const programs = bodies.slice(start, start + CHUNK).map((units) => ({ ...program, units }));
    const { diffs } = await runPrograms(programs, qemu, o);
    const k = diffs.findIndex((d) => d && !d.unknown && !d.notRun && stoppedSide(d) === stoppedSide(like));
    if (k >= 0) return start + k;
    const stopped = diffs.findIndex((d) => d && d.notRun);
    start += stopped >= 0 ? stopped : programs.length;
  }
  return -1;
}

/** Delta debugging over the units of a program: the smallest body found that still differs. */
async function minimize(program, qemu, o, like) {
  let units = program.units;
  let n = 2;
  let runs = 0;
  while (units.length >= 2) {
    const size = Math.ceil(units.length / n);
    const chunks = [];
    for (let i = 0; i < units.length; i += size) chunks.push(units.slice(i, i + size));
    const complements = chunks.length > 2 ? chunks.map((_, i) => chunks.filter((_, j) => j !== i).flat()) : [];
    const k = await firstFailing(program, [...chunks, ...complements], qemu, o, like);
    runs++;
    if (k < 0) {
      if (n >= units.length) break;
      n = Math.min(2 * n, units.length);
    } else if (k < chunks.length) {
      units = chunks[k];
      n = 2;
    } else {
      units = complements[k - chunks.length];
      n = Math.max(n - 1, 2);
    }
  }
  // Then single instructions inside the units that allow it (not jumps and loops, whose offsets
  // depend on their contents). A removal that breaks a unit (say, its base register setup) makes
  // both emulators fault alike, which is no difference, so it is not taken.
  for (;;) {
    const candidates = [];
    units.forEach((u, i) => {
      if (u.fixed) return;
      u.insns.forEach((_, k) => {
        const without = u.insns.filter((_, j) => j !== k);
        candidates.push(without.length ? units.map((v, j) => (j === i ? { ...u, insns: without } : v)) : units.filter((_, j) => j !== i));
      });
    });
    if (candidates.length === 0) break;
    const k = await firstFailing(program, candidates, qemu, o, like);
    runs++;
    if (k < 0) break;
    units = candidates[k];
  }
  return { program: { ...program, units }, runs };
}

/** Where reproduction files go: /tmp/rvtrace-fuzz-<seed>-<length>-<program(s)>[-min][-shared].elf */
const elfName = (o, index, suffix = "") => `/tmp/rvtrace-fuzz-${o.seed}-${o.length}-${index}${suffix}${o.shared ? "-shared" : ""}.elf`;

/** The environment setting that selects a tier, for reproduction commands ("" for none). */
const tierEnvText = (tier) => Object.entries(TIERS[tier]).filter(([k]) => k !== "RVTRACE_JIT_DEBUG").map(([k, v]) => `${k}=${v} `).join("");

/**
 * Re-runs one differing program alone, prints what differs, minimises it (in the first tier that
 * differs) and prints the result.
 */
async function report(o, index, qemu, batchDiff) {
  const program = generateProgram(o.seed, index, o.length);
  const { diffs, run } = await runPrograms([program], qemu, { ...o, tiers: batchDiff.tiers });
  const { elf } = assemble([program], { shared: o.shared });
  const path = elfName(o, index);
  writeFileSync(path, elf, { mode: 0o755 });
  const d = diffs[0];
  const tier = d?.tier ?? batchDiff.tier;
  console.log(`\n=== seed ${o.seed}, program ${index}: rvtrace (tier ${(d?.tiers ?? batchDiff.tiers).join(", ")}) and qemu-riscv64 differ`);
  console.log(`reproduce: node tools/fuzz.mjs --seed ${o.seed} --length ${o.length} --only ${index} --tier ${tier}${o.shared ? " --shared-pages" : ""}`);
  console.log(`ELF: ${path}  (run it with: ${tierEnvText(tier)}node bin/rvtrace.js run ${path} | xxd  vs  qemu-riscv64 ${path} | xxd)`);
  if (!d) {
    console.log("the difference does not reproduce when the program runs alone; in its batch it was:");
    for (const line of diffLines(batchDiff.rv, batchDiff.qemu)) console.log(`  ${line}`);
    return;
  }
  const rv = run.rv[tier];
  if (rv.status !== run.qemu.status) {
    console.log(`exit status: rvtrace ${rv.status}, qemu ${run.qemu.status}`);
  }
  if (rv.stderr.trim()) console.log(`rvtrace stderr: ${rv.stderr.trim().split("\n").slice(0, 6).join("\n  ")}`);
  if (run.qemu.stderr.trim()) console.log(`qemu stderr: ${run.qemu.stderr.trim().split("\n").slice(0, 6).join("\n  ")}`);
  for (const line of diffLines(d.rv, d.qemu)) console.log(`  ${line}`);
  if (!o.minimize) {
    const { slots } = assemble([program], { shared: o.shared });
    console.log(`program (${bodyLength(program)} instructions):\n${listing(program, slots[0])}`);
    return;
  }
  const t0 = Date.now();
  const one = { ...o, tiers: [tier] };
  const { program: small, runs } = await minimize(program, qemu, one, d);
  const again = await runPrograms([small], qemu, one);
  const { elf: smallElf, slots } = assemble([small], { shared: o.shared });
  const smallPath = elfName(o, index, "-min");
  writeFileSync(smallPath, smallElf, { mode: 0o755 });
  console.log(
    `minimised in ${runs} rounds (${((Date.now() - t0) / 1000).toFixed(1)} s): ${bodyLength(program)} → ${bodyLength(small)} instructions; ELF: ${smallPath}`,
  );
  console.log(listing(small, slots[0]));
  console.log("initial values it reads:");
  for (const line of initialValuesLines(small)) console.log(`  ${line}`);
  const mem = memoryLines(small);
  if (mem.length) {
    console.log("memory it accesses (before the program runs):");
    for (const line of mem) console.log(`  ${line}`);
  }
  const d2 = again.diffs[0];
  if (d2 && !d2.unknown) {
    console.log("differences of the minimised program:");
    for (const line of diffLines(d2.rv, d2.qemu)) console.log(`  ${line}`);
  }
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${e.message}\n${USAGE}`);
    return 2;
  }
  const qemu = findQemu();
  if (!qemu) {
    console.error("fuzz: qemu-riscv64 not found (install the Debian package qemu-user, or set QEMU_RISCV64)");
    return 2;
  }
  if (!existsSync(RVTRACE_CLI)) {
    console.error(`fuzz: ${RVTRACE_CLI} is missing`);
    return 2;
  }
  const indices = o.only !== undefined ? [o.only] : Array.from({ length: o.programs }, (_, i) => i);
  console.log(
    `fuzz: seed ${o.seed}, ${indices.length} program(s) × ${o.length} instructions, ${o.batch} per run, ${o.jobs} job(s)` +
      (o.shared ? ", code and data sharing pages" : "") + `, rvtrace tier(s) ${o.tiers.join(", ")}`,
  );
  const t0 = Date.now();
  const batches = [];
  for (let i = 0; i < indices.length; i += o.batch) batches.push(indices.slice(i, i + o.batch));

  const failing = [];
  const batchDiffs = new Map();
  const broken = [];
  let instructions = 0;
  let next = 0;
  let compared = 0;
  let abnormal = 0;
  // Per tier (and qemu): process time summed over the runs, and regions compiled in the programs' code.
  const stats = Object.fromEntries([...o.tiers, "qemu"].map((t) => [t, { ms: 0, regions: 0, insns: 0 }]));
  async function worker() {
    while (next < batches.length) {
      const batch = batches[next++];
      const programs = batch.map((i) => generateProgram(o.seed, i, o.length));
      const first = batch[0];
      const last = batch[batch.length - 1];
      const keepPath = o.keep ? elfName(o, `${first}-${last}`) : null;
      const { diffs, run, path } = await runPrograms(programs, qemu, o, keepPath);
      const range = `programs ${first}..${last}`;
      if (o.keep) console.log(`${range}: ${path}`);
      for (const [t, r] of [...Object.entries(run.rv), ["qemu", run.qemu]]) {
        stats[t].ms += r.ms;
        stats[t].regions += r.regions ?? 0;
        stats[t].insns += r.insns ?? 0;
      }
      // A run that did not end normally: say how (a crash of rvtrace shows here, not in the dumps).
      for (const [who, r] of [...Object.entries(run.rv).map(([t, r]) => [`rvtrace (${t})`, r]), ["qemu-riscv64", run.qemu]]) {
        if ((r.status !== 0 || r.stderr.trim()) && abnormal++ < 5) {
          const lines = r.stderr.trim().split("\n").map((l) => l.trim());
          const err = lines.find((l) => /error/i.test(l)) ?? lines[0];
          console.log(`${range}: ${who} exited with status ${r.status}${err ? ` (${err})` : ""}`);
        }
      }
      diffs.forEach((d, s) => {
        if (d && d.notRun) return;
        instructions += bodyLength(programs[s]);
        compared++;
        if (d && d.unknown) broken.push({ index: batch[s], run });
        else if (d) {
          failing.push(batch[s]);
          batchDiffs.set(batch[s], d);
        }
      });
      // After a program that stopped either emulator, run the rest of the batch again on its own.
      const rest = batch.filter((_, s) => diffs[s] && diffs[s].notRun);
      if (rest.length) batches.push(rest);
      else if (!diffs.some((d) => d) && Object.values(run.rv).some((r) => r.status !== run.qemu.status)) {
        broken.push({ index: batch[batch.length - 1], run });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(o.jobs, batches.length) }, worker));
  const runTime = (Date.now() - t0) / 1000;

  failing.sort((a, b) => a - b);
  for (const index of failing.slice(0, o.maxReports)) await report(o, index, qemu, batchDiffs.get(index));
  if (failing.length > o.maxReports) {
    console.log(`\nnot minimised (--max-reports ${o.maxReports}); reproduce each with --only I:`);
    for (const index of failing.slice(o.maxReports)) {
      const d = batchDiffs.get(index);
      const lines = diffLines(d.rv, d.qemu);
      console.log(`  program ${index} (tier ${d.tiers.join(", ")}): ${lines[0]}${lines.length > 1 ? ` (+${lines.length - 1} more)` : ""}`);
    }
  }
  if (broken.length) {
    // Both emulators stopped before this program's dump: the fuzzer generated something wrong.
    const { index, run } = broken.sort((a, b) => a.index - b.index)[0];
    const rvStatus = Object.entries(run.rv).map(([t, r]) => `${t} ${r.status}`).join(", ");
    console.log(`\nfuzz: the run of program ${index} ended differently from what the fuzzer expects (rvtrace status ${rvStatus}, ` +
      `qemu status ${run.qemu.status}; qemu stderr: ${run.qemu.stderr.trim() || "-"}); ${broken.length} such program(s)`);
  }
  const times = Object.entries(stats).map(([t, st]) => `${t} ${(st.ms / 1000).toFixed(1)} s` +
    (t !== "qemu" && t !== "interp" ? ` (${st.regions} regions, ${st.insns} instructions compiled)` : ""));
  console.log(`\nfuzz: time per tier (process time summed over the runs): ${times.join(", ")}`);
  // The compiled tier must really have run the programs: a tier that should compile but compiled
  // nothing in their code (say, the environment switch stopped working) tests nothing.
  const idle = o.tiers.filter((t) => t === "jit" && stats[t].regions === 0);
  if (idle.length) console.log(`fuzz: tier ${idle.join(", ")} compiled no region in the programs' code`);
  const total = (Date.now() - t0) / 1000;
  console.log(
    `\nfuzz: ${compared} program(s), ${instructions} instructions, ${runTime.toFixed(1)} s` +
      (failing.length ? ` (+${(total - runTime).toFixed(1)} s reporting)` : "") +
      `: ${failing.length ? `${failing.length} differ (programs ${failing.join(", ")})` : "no differences"} [seed ${o.seed}]`,
  );
  return failing.length || broken.length || idle.length ? 1 : 0;
}

process.exitCode = await main();
