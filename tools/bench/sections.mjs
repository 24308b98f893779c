// The bench's sections beside the table of rows, each a function of the options that prints its
// own small table and returns its figures for the JSON:
// - start-up: `rvtrace run bin/hello` beside `node -e 0` (Node's own start-up and exit, which
//   rvtrace cannot go below; measured in the same environment, as NODE_EXTRA_CA_CERTS and the like
//   slow every Node process) and qemu-riscv64, interleaved;
// - fork: the guest bench-fork's own figure for one fork+exit+wait, for a parent with 1 and 10 MiB;
// - shell loops: `busybox sh` loops of 200 external commands and of 200 subshells, beside
//   qemu-riscv64 (which cannot exec a riscv64 program from a guest) and the host's own busybox.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { markdownTable, median } from "./table.mjs";

/** Milliseconds of one run of cmd in `cwd`; throws on failure. */
function wallMs(cmd, argv, cwd, stdout = "ignore") {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, stdio: ["ignore", stdout, "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export function startup({ root, startupRuns }) {
  const guests = path.join(root, "guests");
  const hello = path.join("bin", "hello");
  const commands = {
    rvtrace: [process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", hello]],
    node: [process.execPath, ["-e", "0"]],
    qemu: ["qemu-riscv64", [hello]],
  };
  const times = { rvtrace: [], node: [], qemu: [] };
  for (let i = 0; i < startupRuns; i++) {
    for (const [k, [cmd, argv]] of Object.entries(commands)) times[k].push(wallMs(cmd, argv, guests).ms);
  }
  const fig = (t) => ({ medianMs: median(t), bestMs: Math.min(...t) });
  const result = { runs: startupRuns, rvtrace: fig(times.rvtrace), node: fig(times.node), qemu: fig(times.qemu) };
  result.rvtraceOverNodeMs = result.rvtrace.medianMs - result.node.medianMs;
  const ms = (f) => `${f.medianMs.toFixed(0)} ms (best ${f.bestMs.toFixed(0)})`;
  console.log(`\nstart-up, median of ${startupRuns}, interleaved:`);
  console.log(
    markdownTable(
      ["rvtrace run bin/hello", "node -e 0", "rvtrace's own (difference of medians)", "qemu-riscv64 bin/hello"],
      [[ms(result.rvtrace), ms(result.node), `${result.rvtraceOverNodeMs.toFixed(0)} ms`, ms(result.qemu)]],
    ),
  );
  return result;
}

/** bench-fork's own figure ("N MB: X ms per fork+exit+wait"), median of `runs` runs. */
function forkMs(cmd, argv, cwd, runs) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = wallMs(cmd, argv, cwd, "pipe");
    const m = / ([\d.]+) ms per fork/.exec(stdout);
    if (!m) throw new Error(`${cmd} ${argv.join(" ")}: no "ms per fork" in its output: ${stdout}`);
    ms.push(Number(m[1]));
  }
  return median(ms);
}

export function fork({ root, runs }) {
  const guests = path.join(root, "guests");
  const result = [];
  for (const mb of ["1", "10"]) {
    const argv = [path.join("bin", "bench-fork"), mb, "100"];
    result.push({
      parentMiB: Number(mb),
      rvtraceMs: forkMs(process.execPath, [path.join(root, "bin", "rvtrace.js"), "run", ...argv], guests, runs),
      qemuMs: forkMs("qemu-riscv64", argv, guests, runs),
    });
  }
  console.log(`\nprocesses, median of ${runs} (the guest's own timing of 100 round trips):`);
  console.log(
    markdownTable(
      ["parent's data", "rvtrace fork+exit+wait", "qemu-riscv64 fork+exit+wait"],
      result.map((r) => [`${r.parentMiB} MiB`, `${r.rvtraceMs.toFixed(2)} ms`, `${r.qemuMs.toFixed(2)} ms`]),
    ),
  );
  return result;
}

export function shellLoops({ root, runs }) {
  const guests = path.join(root, "guests");
  const busybox = path.join(guests, "shells", "busybox");
  if (!existsSync(busybox)) {
    console.log("\nbusybox sh loops: skipped: run tools/fetch-shells.sh");
    return { skipped: "run tools/fetch-shells.sh" };
  }
  // The external command: `true`, a link to the riscv64 busybox for rvtrace, the host's for the host.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "rvtrace-bench-"));
  try {
    mkdirSync(path.join(scratch, "bin"));
    symlinkSync(busybox, path.join(scratch, "bin", "true"));
    const execLoop = (bin) => `i=0; while [ $i -lt 200 ]; do ${bin}/true; i=$((i+1)); done`;
    const forkLoop = "i=0; while [ $i -lt 200 ]; do ( : ); i=$((i+1)); done";
    const rv = (script) => [path.join(root, "bin", "rvtrace.js"), "run", "--mount", `${scratch}:${scratch}:ro`, busybox, "sh", "-c", script];
    const seconds = (cmd, argv) => {
      const s = [];
      for (let i = 0; i < runs; i++) s.push(wallMs(cmd, argv, guests).ms / 1000);
      return median(s);
    };
    const result = [
      {
        loop: "200 external commands (fork + exec)",
        rvtrace: seconds(process.execPath, rv(execLoop(`${scratch}/bin`))),
        qemu: null,
        host: seconds("busybox", ["sh", "-c", execLoop("/bin")]),
      },
      {
        loop: "200 subshells (fork only)",
        rvtrace: seconds(process.execPath, rv(forkLoop)),
        qemu: seconds("qemu-riscv64", [busybox, "sh", "-c", forkLoop]),
        host: seconds("busybox", ["sh", "-c", forkLoop]),
      },
    ];
    console.log(`\nbusybox sh loops, median of ${runs} (whole command, start-up included):`);
    console.log(
      markdownTable(
        ["loop", "rvtrace s", "qemu-riscv64 s", "host busybox s"],
        result.map((r) => [r.loop, r.rvtrace.toFixed(2), r.qemu === null ? "cannot (exec)" : r.qemu.toFixed(2), r.host.toFixed(3)]),
      ),
    );
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The sections by the name --filter matches. */
export const SECTIONS = { "start-up": startup, fork, "shell loops": shellLoops };
