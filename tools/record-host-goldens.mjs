#!/usr/bin/env node
// Records the expected output of the guest cases marked "golden": "host" in guests/cases.json by
// building the same source for the host and running that build on the host kernel.
//
//   node tools/record-host-goldens.mjs            record every "golden": "host" case
//   node tools/record-host-goldens.mjs NAME...    record only the named ones
//
// Why: qemu-user cannot record these cases. Some execve a riscv64 program (their own
// /proc/self/exe, a #! script naming bin/X as its interpreter), which this machine's kernel
// cannot run; others rely on kernel behaviour qemu-user does not emulate (vfork sharing memory,
// SA_NOCLDSTOP, SA_NOCLDWAIT, PR_SET_CHILD_SUBREAPER, robust futex lists, clone flags without
// CLONE_THREAD). Their programs print nothing that differs between x86_64 and riscv64 (no type
// sizes, no addresses, no pids; signal and errno numbers are the same in both ABIs).
//
// How: every host case's program bin/X is built from guests/src/X.c (gcc) or X.cc (g++), static,
// into bin/ of a scratch directory that also holds a copy of guests/data (modes kept, so the #!
// scripts stay executable). The case runs there exactly as under qemu: the program path relative
// to that directory as argv[0], the case's exact environment and stdin. Relative paths the
// programs use (bin/X as a #! interpreter, PATH=bin for execvp, data/...) then find the host
// build. The results are written to guests/expected/<name>.{stdout,stderr,status}.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  EXPECTED_DIR,
  GUESTS_DIR,
  caseEnv,
  caseStdin,
  loadCases,
  runProcess,
  writeGolden,
} from "./record-goldens.mjs";

/** The same optimisation and warnings as guests/Makefile, for the host; static like the guests. */
const CFLAGS = ["-static", "-O2", "-Wall"];

/** guests/src/X.c or X.cc for program "bin/X", with the compiler for it. */
function sourceOf(program) {
  const m = /^bin\/([A-Za-z0-9._-]+)$/.exec(program);
  if (!m) throw new Error(`program ${program} is not bin/NAME`);
  for (const [ext, compiler, libs] of [
    [".c", "gcc", ["-lm"]],
    [".cc", "g++", []],
  ]) {
    const src = path.join(GUESTS_DIR, "src", m[1] + ext);
    if (existsSync(src)) return { name: m[1], src, compiler, libs };
  }
  throw new Error(`no guests/src/${m[1]}.c or .cc for ${program} (assembly guests cannot be built for the host)`);
}

function build(program, binDir) {
  const { name, src, compiler, libs } = sourceOf(program);
  const out = path.join(binDir, name);
  const args = [...CFLAGS, "-o", out, src, ...libs];
  const r = spawnSync(compiler, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (r.error) throw new Error(`${compiler}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${compiler} ${args.join(" ")} failed`);
}

/**
 * Builds the programs of `cases` for the host into bin/ of a scratch directory holding a copy of
 * guests/data. Returns the directory and a function that removes it.
 */
export function prepareHostBuilds(cases) {
  const scratch = mkdtempSync(path.join(tmpdir(), "rvtrace-host-goldens-"));
  const binDir = path.join(scratch, "bin");
  mkdirSync(binDir);
  cpSync(path.join(GUESTS_DIR, "data"), path.join(scratch, "data"), { recursive: true });
  for (const program of new Set(cases.map((c) => c.program))) build(program, binDir);
  return { dir: scratch, dispose: () => rmSync(scratch, { recursive: true, force: true }) };
}

/** Runs a host case's host build in `dir` (from prepareHostBuilds) as the case says. */
export function runOnHost(c, dir) {
  return runProcess(c.program, c.args, { cwd: dir, env: caseEnv(c), stdin: caseStdin(c) });
}

async function main(names) {
  if (process.platform !== "linux") {
    console.error("record-host-goldens: the host must run Linux");
    return 1;
  }
  const all = loadCases();
  const unknown = names.filter((n) => !all.some((c) => c.name === n));
  if (unknown.length > 0) {
    console.error(`record-host-goldens: no such case: ${unknown.join(", ")}`);
    return 1;
  }
  const notHost = names.filter((n) => all.find((c) => c.name === n).golden !== "host");
  if (notHost.length > 0) {
    console.error(`record-host-goldens: not "golden": "host" cases (use record-goldens.mjs): ${notHost.join(", ")}`);
    return 1;
  }
  const cases = all.filter((c) => c.golden === "host" && (names.length === 0 || names.includes(c.name)));
  if (cases.length === 0) {
    console.log("record-host-goldens: no host cases");
    return 0;
  }

  const builds = prepareHostBuilds(cases);
  const scratch = builds.dir;
  try {
    mkdirSync(EXPECTED_DIR, { recursive: true });

    const counts = { new: 0, changed: 0, same: 0 };
    const width = Math.max(...cases.map((c) => c.name.length));
    for (const c of cases) {
      const started = Date.now();
      const r = await runOnHost(c, scratch);
      const ms = Date.now() - started;
      counts[writeGolden(c, r, ms, width)]++;
    }
    console.log(`${cases.length} host cases: ${counts.new} new, ${counts.changed} changed, ${counts.same} unchanged`);
    return 0;
  } finally {
    builds.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
