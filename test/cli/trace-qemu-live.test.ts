// Live differential test of `rvtrace trace` against `qemu-riscv64 -strace`: every single-task case in
// guests/cases.json whose reference is qemu runs under both, and the sequences of syscall names and
// return values must agree. Cases with more than one task ("tasks": "many") are left to
// test/cli/trace-follow*.test.ts, which checks `trace -f` against real strace: their calls
// interleave as each emulator schedules them. Cases whose reference is a host build ("golden":
// "host") are ones qemu-user gets wrong or aborts on (guests/README.md). The formats differ (qemu prints "1234 openat(AT_FDCWD,"x",O_RDONLY) = 3" and
// "= -1 errno=2 (No such file or directory)"), so both are reduced to "name ret" pairs: qemu's
// log (-D FILE keeps it apart from the guest's stderr), rvtrace's --json (the "ret" field).
// Run with `npm run test:live`; it fails without qemu-riscv64.
//
// What may differ, and why (anything else is a failure):
//  - values that depend on the emulator's layout or the host: addresses returned by brk, mmap,
//    mremap; pids, tids, process group and session ids; readlinkat's length for /proc/self/exe
//    (the host path of qemu's exe); sched_getaffinity's mask size (one CPU for rvtrace's guest);
//  - qemu logs a call that a signal interrupted as EINTR, after its own restart handling, where
//    the kernel (and rvtrace) return a restart code such as ERESTARTNOHAND;
//  - qemu keeps a descriptor of its own open (fd 3), so descriptors it returns are one higher;
//  - qemu answers set_robust_list with ENOSYS and prints rt_sigreturn's result as its internal
//    -513 (QEMU_ESIGRETURN); its F_GETFL drops O_LARGEFILE, which Linux sets on 64-bit opens;
//  - qemu prints an unknown syscall as "Unknown syscall N", with no result;
//  - stdin-raw-large reads a pipe as fast as the host fills it, so read sizes depend on timing.
// Cases with a "sysroot" (dynamic programs) are left out: qemu's -L falls back to the host's own
// files for every path the sysroot lacks (the host's /etc/ld.so.cache, /lib/riscv64-linux-gnu), so
// the dynamic loader's search differs from the sandbox's, where only the sysroot is seen.
// test/cli/trace-dynamic.test.ts checks rvtrace's trace of the loader on its own.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GUESTS_DIR, RVTRACE_CLI, caseEnv, caseStdin, findQemu, loadCases, qemuReversesEnv, runProcess, type GuestCase,
} from "../../tools/record-goldens.mjs";

const qemu = findQemu();

/** Cases whose syscall sequence depends on host timing. */
const TIMING_DEPENDENT = new Set(["stdin-raw-large"]);

/**
 * Cases that make temporary names (mkstemp, mkdtemp): glibc draws the random part from the clock,
 * and only when that value falls in the biased range (about one time in 22) calls getrandom for
 * another, so whether getrandom shows depends on the host's clock. Their getrandom calls are left
 * out of the comparison (the program's startup one included).
 */
const TEMPNAMES = new Set(["tmpfs"]);

interface Call {
  name: string;
  /** The return value, or null when none was printed (exit_group, unknown syscalls in qemu). */
  ret: bigint | null;
  /** Arguments as printed (for the /proc/self/exe check). */
  args: string;
}

/** "Unknown syscall 4000" (qemu) and "syscall_0xfa0" (strace style) both become "syscall_4000". */
function canonicalName(name: string): string {
  const m = /^syscall_(0x[0-9a-f]+|\d+)$/.exec(name);
  return m ? `syscall_${BigInt(m[1])}` : name;
}

function parseQemuLog(text: string): Call[] {
  const calls: Call[] = [];
  for (const line of text.split("\n")) {
    const unknown = /^\d+ Unknown syscall (\d+)/.exec(line);
    if (unknown) {
      calls.push({ name: `syscall_${unknown[1]}`, ret: null, args: "" });
      continue;
    }
    const m = /^\d+ ([a-z_0-9]+)\((.*)$/.exec(line);
    if (!m) continue;
    // qemu follows some results with what the call wrote: "= 0 ({tv_sec = 1,tv_nsec = 2})",
    // "= 0 (old_value = {...})".
    const r = / = (-?\d+|0x[0-9a-f]+)(?: errno=(\d+) \(.*\)| \(.*\))?$/.exec(line);
    const ret = r ? (r[2] ? -BigInt(r[2]) : BigInt.asIntN(64, BigInt(r[1]))) : null;
    calls.push({ name: m[1], ret, args: m[2] });
  }
  return calls;
}

function parseJson(text: string): Call[] {
  const calls: Call[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const e = JSON.parse(line) as { type: string; name: string; ret?: string; args?: string[]; synthetic?: boolean };
    if (e.type !== "syscall" || e.synthetic) continue;
    calls.push({ name: canonicalName(e.name), ret: e.ret === undefined ? null : BigInt(e.ret), args: (e.args ?? []).join(", ") });
  }
  return calls;
}

const ADDRESS = new Set(["brk", "mmap", "mremap"]);
const IDS = new Set(["set_tid_address", "getpid", "gettid", "getppid", "getpgid", "getsid", "setsid"]);
/** Linux's restart codes, which a tracer sees when a signal interrupts a call (ERESTARTSYS...). */
const RESTART_CODES = new Set([-512n, -513n, -514n, -516n]);
const EINTR = -4n;
const FDS = new Set(["openat", "dup", "dup3", "fcntl", "memfd_create"]);
const O_LARGEFILE = 0x8000n;

/** Why two results with the same name may differ, or null if they must not. */
function excuse(ours: Call, theirs: Call): string | null {
  if (ours.ret === theirs.ret) return "";
  const name = ours.name;
  const failed = (v: bigint | null) => v !== null && v < 0n && v >= -4095n;
  if (ADDRESS.has(name) && !failed(ours.ret) && !failed(theirs.ret)) return "address";
  if (IDS.has(name)) return "id";
  if (name === "set_robust_list" && theirs.ret === -38n) return "qemu: ENOSYS";
  if (name === "rt_sigreturn" && theirs.ret === -513n) return "qemu: QEMU_ESIGRETURN";
  if (name.startsWith("syscall_") && theirs.ret === null) return "qemu: unknown syscall";
  if (name === "readlinkat" && theirs.args.includes('"/proc/self/exe"') && !failed(ours.ret) && !failed(theirs.ret)) return "exe path";
  if (name === "fcntl" && ours.ret !== null && theirs.ret !== null && (ours.ret & ~O_LARGEFILE) === theirs.ret) return "O_LARGEFILE";
  if (FDS.has(name) && ours.ret !== null && theirs.ret === ours.ret + 1n) return "qemu's fd 3";
  // qemu logs an interrupted call after its own restart handling, as EINTR.
  if (ours.ret !== null && RESTART_CODES.has(ours.ret) && theirs.ret === EINTR) return "qemu: EINTR for a restart code";
  // The size of the CPU mask: one CPU for the guest, the host's for qemu.
  if (name === "sched_getaffinity" && !failed(ours.ret) && !failed(theirs.ret)) return "CPU count";
  // Clock ticks since an arbitrary point.
  if (name === "times" && !failed(ours.ret) && !failed(theirs.ret)) return "ticks";
  return null;
}

const show = (c: Call | undefined) => (c ? `${c.name} = ${c.ret ?? "?"}` : "(nothing)");

/**
 * For cases whose pipe reads are split by host timing: the names of the calls other than read and
 * write in order (their results are compared by the other cases), and the total bytes read and
 * written.
 */
function ioSummary(calls: Call[]) {
  const sum = (name: string) => calls.filter((c) => c.name === name).reduce((n, c) => n + (c.ret ?? 0n), 0n);
  const others = calls.filter((c) => c.name !== "read" && c.name !== "write").map((c) => c.name);
  return { others, read: sum("read"), written: sum("write") };
}

describe("rvtrace trace agrees with qemu-riscv64 -strace on names and results", () => {
  for (const c of (loadCases() as GuestCase[]).filter((x) => x.tasks !== "many" && x.golden !== "host" && x.sysroot === undefined)) {
    it(c.name, async () => {
      expect(qemu, "qemu-riscv64 is required for the live suite (Debian package qemu-user)").toBeTruthy();
      expect(existsSync(RVTRACE_CLI), `${RVTRACE_CLI} is missing`).toBe(true);
      const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-qemu-"));
      try {
        const qlog = path.join(dir, "qemu.log");
        const rlog = path.join(dir, "rvtrace.json");
        let entries = Object.entries(caseEnv(c));
        if (await qemuReversesEnv(qemu)) entries = entries.reverse();
        // A dynamic program's loader and libraries come from the case's sysroot under both.
        const qemuRoot = c.sysroot !== undefined ? ["-L", c.sysroot] : [];
        const ourRoot = c.sysroot !== undefined ? ["--sysroot", c.sysroot] : [];
        const q = await runProcess(qemu!, ["-strace", "-D", qlog, ...qemuRoot, c.program, ...c.args], {
          cwd: GUESTS_DIR, env: Object.fromEntries(entries), stdin: caseStdin(c),
        });
        const env = Object.entries(caseEnv(c)).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
        const r = await runProcess(process.execPath, [RVTRACE_CLI, "trace", "--json", "-o", rlog, "--clear-env", ...env, ...ourRoot, c.program, ...c.args], {
          cwd: GUESTS_DIR, env: process.env, stdin: caseStdin(c),
        });
        expect(r.status, `rvtrace's exit status (stderr: ${r.stderr.toString("utf8").slice(-500)})`).toBe(q.status);
        const noRandom = (calls: Call[]) => (TEMPNAMES.has(c.name) ? calls.filter((x) => x.name !== "getrandom") : calls);
        const theirs = noRandom(parseQemuLog(readFileSync(qlog, "utf8")));
        const ours = noRandom(parseJson(readFileSync(rlog, "utf8")));
        if (TIMING_DEPENDENT.has(c.name)) {
          expect(ioSummary(ours)).toEqual(ioSummary(theirs));
          expect(ours.filter((x) => x.ret !== null && x.ret < 0n)).toEqual([]);
          return;
        }
        const problems: string[] = [];
        for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
          const a = ours[i];
          const b = theirs[i];
          if (!a || !b || a.name !== b.name) {
            problems.push(`#${i}: rvtrace ${show(a)}, qemu ${show(b)} (the sequences part here)`);
            break;
          }
          if (excuse(a, b) === null) problems.push(`#${i}: rvtrace ${show(a)}, qemu ${show(b)}`);
        }
        expect(problems, `${c.program} ${JSON.stringify(c.args)}`).toEqual([]);
        expect(ours.length).toBeGreaterThan(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
