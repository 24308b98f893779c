// From a row of tools/bench.json to the three commands the bench times: rvtrace with the compiled
// tier, qemu-riscv64, and rvtrace with the tier off (RVTRACE_NO_JIT=1); or to the reason the row
// cannot run here (its program not fetched or built).
//
// A row's argv[0] names its program: "guest:NAME" (guests/bin/NAME, a static guest of ours),
// "shell:NAME" (guests/shells/NAME, from tools/fetch-shells.sh) or "sysroot:/usr/bin/NAME" (a
// Debian program from tools/fetch-sysroot.sh, run through its dynamic loader as
// test/sysroot-live.test.ts runs it: `rvtrace run --sysroot DIR` beside `qemu-riscv64 -L DIR -0 NAME`).
import { existsSync } from "node:fs";
import path from "node:path";

/** Where each kind of program lives under the repository, and how to get it when it is missing. */
const KINDS = {
  guest: { dir: ["guests", "bin"], missing: "run make -C guests" },
  shell: { dir: ["guests", "shells"], missing: "run tools/fetch-shells.sh" },
  sysroot: { dir: ["guests", "sysroot"], missing: "run tools/fetch-sysroot.sh" },
};

/**
 * The guest's whole environment, the same under rvtrace (--clear-env --env) and qemu: a fixed PATH
 * and the C locale; the sysroot's programs get test/sysroot-cases.ts's (its UTF-8 locale, UTC, and
 * no .pyc files written into the sysroot).
 */
const GUEST_ENV = { PATH: "/usr/bin:/bin", LANG: "C" };
const SYSROOT_ENV = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", TZ: "UTC", PYTHONDONTWRITEBYTECODE: "1" };

/** rvtrace's own process keeps the caller's environment (as a user's would), less the tier switch. */
function hostEnv(noJit) {
  const env = { ...process.env };
  delete env.RVTRACE_NO_JIT;
  if (noJit) env.RVTRACE_NO_JIT = "1";
  return env;
}

/**
 * { skipped } when the row's program is not here, else { rvtrace, qemu, noJit }, each a
 * { cmd, argv, env } to spawn in the inputs' directory.
 */
export function commandsFor(row, root) {
  const [spec, ...args] = row.argv;
  const colon = spec.indexOf(":");
  const kind = KINDS[spec.slice(0, colon)];
  if (!kind) throw new Error(`bench.json: ${row.name}: argv[0] must start with guest:, shell: or sysroot:, got ${spec}`);
  const name = spec.slice(colon + 1);
  const base = path.join(root, ...kind.dir);
  const sysroot = kind === KINDS.sysroot;
  const host = path.join(base, name);
  if (!existsSync(host)) return { skipped: kind.missing };
  // The program's path as the guest sees it: inside the sysroot, or the host's own path.
  const guest = sysroot ? name : host;
  const env = sysroot ? SYSROOT_ENV : GUEST_ENV;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
  const rvArgv = [path.join(root, "bin", "rvtrace.js"), "run", "--stats", "--clear-env", ...envArgs];
  if (sysroot) rvArgv.push("--sysroot", base);
  rvArgv.push(guest, ...args);
  const qemuArgv = sysroot ? ["-L", base, "-0", guest, host, ...args] : [host, ...args];
  return {
    rvtrace: { cmd: process.execPath, argv: rvArgv, env: hostEnv(false) },
    qemu: { cmd: process.env.RVTRACE_QEMU || "qemu-riscv64", argv: qemuArgv, env },
    noJit: { cmd: process.execPath, argv: rvArgv, env: hostEnv(true) },
  };
}
