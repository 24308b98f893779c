#!/usr/bin/env node
// Syscall fuzzer: the guest guests/bin/sysfuzz makes COUNT raw syscalls with numbers and arguments
// drawn from SEED (tools/sysfuzz/policy.mjs lists the calls it skips or steers, and why) under
// rvtrace, in a fresh temporary directory as its working directory. The run fails when rvtrace
// reports an internal error, prints a JavaScript stack trace, crashes, does not end, or when the
// guest does not finish (a call rvtrace got wrong destroyed it), or when anything watched outside
// the guest's directory changed (tools/sysfuzz/watch.mjs says what is watched).
//
//   node tools/sysfuzz.mjs [--seed S] [--count N] [--verbose] [--keep] [--timeout SEC]
//                          [--rvtrace-arg ARG]... [--twice] [--trace] [--log FILE] [--list-skips]
//
//   --verbose        the guest prints every call (number and arguments) before making it, so the
//                    last line names the call that ended a run
//   --keep           keep the temporary directory (its path is printed)
//   --rvtrace-arg A  pass A to `rvtrace run` (repeatable), e.g. --rvtrace-arg=--deterministic
//   --twice          run twice and require byte-identical guest output (meaningful with an option
//                    that makes runs repeatable, such as --deterministic)
//   --trace          run the guest under `rvtrace trace -f -v -xx -o /dev/null`: the strace decoders
//                    then read every hostile argument too
//   --log FILE       write the guest's output (one line per call: index, name, result) to FILE
//   --list-skips     print the skipped and guarded calls with their reasons, and exit
// Exit status: 0 when the run is clean, 1 when it found something, 2 for a usage error.
import { writeFileSync } from "node:fs";
import { EVERY_CALL, GUARDED, SKIPPED } from "./sysfuzz/policy.mjs";
import { runFuzz, tally } from "./sysfuzz/run.mjs";

function usage(msg) {
  console.error(`sysfuzz: ${msg}\nusage: node tools/sysfuzz.mjs [--seed S] [--count N] [--verbose] [--keep] [--timeout SEC] [--rvtrace-arg ARG]... [--twice] [--trace] [--log FILE] [--list-skips]`);
  process.exit(2);
}

function parse(argv) {
  const o = { seed: 1, count: 10_000, verbose: false, keep: false, timeout: 600, rvtraceArgs: [], twice: false, trace: false, log: null, listSkips: false };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    const next = () => value ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case "--seed": o.seed = Number(next()); break;
      case "--count": o.count = Number(next()); break;
      case "--timeout": o.timeout = Number(next()); break;
      case "--rvtrace-arg": o.rvtraceArgs.push(next()); break;
      case "--log": o.log = next(); break;
      case "--verbose": o.verbose = true; break;
      case "--keep": o.keep = true; break;
      case "--twice": o.twice = true; break;
      case "--trace": o.trace = true; break;
      case "--list-skips": o.listSkips = true; break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  for (const k of ["seed", "count", "timeout"]) if (!Number.isSafeInteger(o[k]) || o[k] < 0) usage(`--${k} must be a whole number`);
  return o;
}

function listSkips() {
  console.log("Skipped:");
  for (const [name, why] of Object.entries(SKIPPED)) console.log(`  ${name.padEnd(20)} ${why}`);
  console.log("Guarded:");
  for (const [name, [, why]] of Object.entries(GUARDED)) console.log(`  ${name.padEnd(20)} ${why}`);
  console.log("Every call:");
  for (const s of EVERY_CALL) console.log(`  ${s}`);
}

async function main() {
  const o = parse(process.argv.slice(2));
  if (o.listSkips) return listSkips();
  const runs = [];
  for (let n = 0; n < (o.twice ? 2 : 1); n++) {
    runs.push(await runFuzz({ seed: o.seed, count: o.count, verbose: o.verbose, rvtraceArgs: o.rvtraceArgs, timeoutMs: o.timeout * 1000, keep: o.keep, trace: o.trace }));
  }
  const r = runs[0];
  if (o.log) writeFileSync(o.log, r.stdout, "latin1");
  const t = await tally(r.stdout);
  const secs = r.ms / 1000;
  console.log(`sysfuzz: seed ${o.seed}, ${t.calls} calls in ${secs.toFixed(1)} s (${Math.round(t.calls / secs)} calls/s), ` +
    `${t.bySyscall.size} different syscalls; ${r.skipped} draws of skipped calls and ${r.dropped} guarded calls left out`);
  const results = [...t.byErrno].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`results: ${results}`);
  console.log(`watched: ${r.watched}`);
  if (o.keep) console.log(`kept: ${runs.map((x) => x.dir).join(" ")}`);
  const problems = runs.flatMap((x, i) => x.problems.map((p) => (runs.length > 1 ? `run ${i + 1}: ${p}` : p)));
  if (o.twice && runs[0].stdout !== runs[1].stdout) {
    const a = runs[0].stdout.split("\n");
    const b = runs[1].stdout.split("\n");
    const at = a.findIndex((line, i) => line !== b[i]);
    problems.push(`the two runs' outputs differ, first at line ${at + 1}: ${JSON.stringify(a[at])} vs ${JSON.stringify(b[at])}`);
  }
  if (problems.length === 0) {
    console.log("clean: no internal error, no crash, the guest finished, nothing watched changed");
    return;
  }
  for (const p of problems) console.log(`FOUND: ${p}`);
  const tail = r.stderr.trimEnd().split("\n").slice(0, 20).join("\n");
  if (tail) console.log(`rvtrace's stderr (first lines):\n${tail}`);
  console.log(`reproduce: node tools/sysfuzz.mjs --seed ${o.seed} --count ${o.count} --verbose --keep`);
  process.exitCode = 1;
}

await main();
