#!/usr/bin/env node
// The benchmark: what users run under rvtrace, each beside qemu-riscv64 in the same run. The rows
// (tools/bench.json): compute guests written to look like real kernels (guests/src/bench-*.c),
// bash and busybox tools (tools/fetch-shells.sh), Debian's python3 and lua5.4 from the sysroot
// (tools/fetch-sysroot.sh). Each row runs rvtrace, qemu-riscv64 and rvtrace with the compiled tier
// off (RVTRACE_NO_JIT=1) in turn, --runs rounds, and reports the medians, rvtrace's time over
// qemu's, guest instructions per second (the count from `rvtrace run --stats`) and the tier-off
// time over the tier-on time. Every run's stdout must equal qemu's in the same round, or the row
// fails (and the command exits 1 after printing what it measured). Then the sections of
// tools/bench/sections.mjs: start-up beside `node -e 0`, fork, busybox sh loops.
//
// Usage: node tools/bench.mjs [--runs N] [--filter TEXT] [--startup-runs N] [--json FILE]
//   --runs N          rounds per row (default 3)
//   --filter TEXT     only rows (and sections) whose name or group contains TEXT, any case
//   --startup-runs N  rounds of the start-up section (default 21; 0 leaves it out)
//   --json FILE       also write every figure and each run's seconds to FILE
// Progress goes to stderr; the tables to stdout. Run `npm run build` first.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareInputs } from "./bench/inputs.mjs";
import { measure } from "./bench/measure.mjs";
import { commandsFor } from "./bench/rows.mjs";
import { SECTIONS } from "./bench/sections.mjs";
import { cells, HEADER, markdownTable, median, summarize } from "./bench/table.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function options(args) {
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const o = {
    runs: Number(opt("--runs", "3")),
    filter: opt("--filter", "").toLowerCase(),
    startupRuns: Number(opt("--startup-runs", "21")),
    json: opt("--json", null),
    root,
  };
  if (!(o.runs >= 1) || !(o.startupRuns >= 0)) throw new Error("bench: --runs must be at least 1 and --startup-runs at least 0");
  return o;
}

const selected = (filter, ...names) => !filter || names.some((n) => n.toLowerCase().includes(filter));

function machine() {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? "unknown CPU",
    cores: os.cpus().length,
    node: process.version,
    loadAverage: os.loadavg(),
  };
}

/** Measures each row that can run here; a row that fails is reported, not fatal to the others. */
function runRows(rows, o) {
  const planned = rows.map((row) => ({ row, commands: commandsFor(row, root) }));
  const inputs = prepareInputs(planned.filter((p) => !p.commands.skipped).flatMap((p) => p.row.inputs ?? []));
  try {
    return planned.map(({ row, commands }, i) => {
      const out = { name: row.name, group: row.group, argv: row.argv };
      if (commands.skipped) return { ...out, skipped: commands.skipped };
      process.stderr.write(`bench: [${i + 1}/${planned.length}] ${row.name}\n`);
      try {
        const { seconds, instructions } = measure(row, commands, o.runs, inputs.dir);
        const figures = summarize(seconds, median(instructions));
        process.stderr.write(`bench:   ${cells({ ...out, figures }).slice(1).join(", ")}\n`);
        return { ...out, seconds, figures };
      } catch (e) {
        process.stderr.write(`bench: FAILED: ${e.message}\n`);
        return { ...out, failed: e.message.split("\n")[0].slice(0, 200) };
      }
    });
  } finally {
    inputs.remove();
  }
}

function main() {
  const o = options(process.argv.slice(2));
  const { rows } = JSON.parse(readFileSync(path.join(root, "tools", "bench.json"), "utf8"));
  const report = { machine: machine(), runs: o.runs };
  const m = report.machine;
  console.log(`rvtrace bench, ${m.date.slice(0, 10)}, ${m.cpu}, ${m.cores} cores, Node ${m.node}, load average ${m.loadAverage.map((l) => l.toFixed(2)).join(" ")}`);

  report.rows = runRows(rows.filter((r) => selected(o.filter, r.name, r.group)), o);
  if (report.rows.length > 0) {
    console.log(`\nmedian of ${o.runs} interleaved runs (rvtrace, qemu-riscv64, rvtrace tier off); M instr/s over rvtrace's whole run:`);
    console.log(markdownTable(HEADER, report.rows.map(cells)));
  }
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (!selected(o.filter, name) || (name === "start-up" && o.startupRuns === 0)) continue;
    report[name] = section(o);
  }
  report.loadAverageAfter = os.loadavg();
  if (o.json) {
    writeFileSync(o.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nJSON: ${path.resolve(o.json)}`);
  }
  const failed = report.rows.filter((r) => r.failed);
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} row(s) FAILED: ${failed.map((r) => r.name).join("; ")}`);
    process.exitCode = 1;
  }
}

main();
