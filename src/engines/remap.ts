// Path remapping: --remap GUEST_PREFIX=OTHER_PREFIX (repeatable), PRoot's "binding" done the utrace
// way: the guest names /data/poem.txt, the kernel opens OTHER_PREFIX/poem.txt, and the paths the
// kernel hands back (getcwd, readlinkat) are translated back, so the guest sees only its own names.
//
// Which paths: every argument the syscall's metadata (src/abi/syscalls.ts) marks as a path — openat,
// the stat family, readlinkat, faccessat(2), mkdirat, unlinkat, renameat2 (both), symlinkat (target
// and link path; readlinkat translates the target back), linkat (both), fchmodat, utimensat, chdir,
// execve, truncate, statfs, the xattr calls, … Only absolute paths are rewritten: relative ones are
// resolved by the kernel against the working directory, which is already the real directory when
// the guest chdir'ed into a remapped one (and getcwd shows it translated back). A path is matched
// component by component after folding "//", "." and ".." lexically: GUEST_PREFIX /data matches
// /data and /data/x (and /data/../data/x), not /database; the longest matching GUEST_PREFIX wins,
// and translating back picks the longest matching OTHER_PREFIX. "/" as GUEST_PREFIX remaps every
// absolute path (a chroot). OTHER_PREFIX must be a path the guest's kernel can reach (inside its
// mounts); a relative one is taken from the guest's initial working directory. Path bytes are kept
// exactly (no UTF-8 round trip).
//
// Where the new path goes: the engine writes it into the task's own stack, below the stack pointer
// with a gap of 4 KiB: memory below sp is dead by the RISC-V ABI (nothing of the guest lives there
// while it is inside a syscall; a signal frame is only pushed at the return to user mode, after the
// syscall-exit report), and the gap keeps clear of anything a careless leaf routine might keep just
// below sp. The engine saves those bytes first and puts them back at syscall exit, and it puts back
// every argument register it changed (RISC-V Linux preserves a1…a5 across a syscall, and engines
// attached after this one see the guest's own pointers at exit). All path arguments are read before
// anything is written. If the stack has no room (a tiny thread stack), the call fails with ENOMEM.
// getcwd and readlinkat get a scratch result buffer of 4096 bytes instead of the guest's, so the
// kernel's real path fits even when the guest's buffer is only large enough for the translated one;
// at exit the translated result is copied into the guest's buffer with the guest's size limit
// (getcwd: ERANGE if it does not fit; readlinkat: truncated to bufsiz), as the kernel would.
// After a successful execve (EXEC report) the old stack is gone: nothing is restored.
//
// Passes: the rewrite is made at the first entry pass in which no engine nearer the guest is
// stopping the task (else UTRACE_REPORT and the rewrite at the RESUMED pass); in later RESUMED
// passes only arguments that another engine changed since (no longer pointing at this engine's
// copy) are looked at again. Engines attached after this one (nearer the guest, the strace printer)
// see the guest's paths: at entry they run before the rewrite, at exit after the translation back.
// Limits: file descriptors' paths as the kernel reports them elsewhere (/proc/self/fd, strace -y)
// are the real ones; symlinks inside OTHER_PREFIX that point to absolute guest paths are resolved
// by the kernel, not remapped.
import { posix } from "node:path";
import type { Kernel } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import type { Regs } from "../utrace/regs.js";
import type { EngineOps } from "../utrace/types.js";
import {
  UTRACE_EVENT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  utraceResumeAction, utraceSyscallAction,
} from "../utrace/constants.js";
import { syscallMeta } from "../abi/syscalls.js";
import { EngineOptionError } from "./common/errors.js";
import { engineAttacher } from "./common/attach.js";

const ENOMEM = 12;
const EFAULT = 14;
const ERANGE = 34;
const PATH_MAX = 4096;
/** The gap kept free below the guest's stack pointer. */
const RED_ZONE = 4096;
const PAGE = 4096;

/** One --remap rule, as given. */
export interface RemapRule {
  readonly text: string;
  /** Absolute, normalised, without a trailing slash (except "/"). */
  readonly guest: string;
  /** As given (absolute or relative to the guest's initial working directory). */
  readonly other: string;
}

/** Parses `--remap GUEST_PREFIX=OTHER_PREFIX`. Throws EngineOptionError. */
export function parseRemapRule(spec: string, spelling = "--remap"): RemapRule {
  const text = `${spelling} ${spec}`;
  const eq = spec.indexOf("=");
  if (eq < 0) throw new EngineOptionError(`${text}: expected GUEST_PREFIX=OTHER_PREFIX`);
  const guest = spec.slice(0, eq);
  const other = spec.slice(eq + 1);
  if (!guest.startsWith("/")) throw new EngineOptionError(`${text}: the guest prefix must be an absolute path`);
  if (other === "") throw new EngineOptionError(`${text}: the other prefix is empty`);
  if (other.includes("\0") || guest.includes("\0")) throw new EngineOptionError(`${text}: a path cannot contain NUL`);
  return { text, guest: foldAbsolute(guest), other };
}

// ---- paths as latin1 strings: one character per byte, so the guest's bytes survive exactly ----

const toLatin1 = (utf8: string): string => Buffer.from(utf8, "utf8").toString("latin1");

/** Folds "//", "." and ".." of an absolute path, lexically; no trailing slash (except "/"). */
function foldAbsolute(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

/** The rest of p after prefix ("" or "/…") when p is prefix or below it, component-wise; else undefined. */
function below(p: string, prefix: string): string | undefined {
  if (prefix === "/") return p === "/" ? "" : p;
  if (p === prefix) return "";
  return p.startsWith(`${prefix}/`) ? p.slice(prefix.length) : undefined;
}

const joinPrefix = (base: string, rest: string): string => (rest === "" ? base : base === "/" ? rest : base + rest);

/** The rules as byte strings, both directions. */
interface Mapping {
  readonly guest: string;
  readonly other: string;
}

/** guest path -> real path, or undefined if no rule applies (or the path is relative). */
export function remapForward(mappings: readonly Mapping[], raw: string): string | undefined {
  if (!raw.startsWith("/")) return undefined;
  const folded = foldAbsolute(raw);
  let best: { m: Mapping; rest: string } | undefined;
  for (const m of mappings) {
    const rest = below(folded, m.guest);
    if (rest !== undefined && (!best || m.guest.length > best.m.guest.length)) best = { m, rest };
  }
  if (!best) return undefined;
  let out = joinPrefix(best.m.other, best.rest);
  if (raw.endsWith("/") && folded !== "/" && !out.endsWith("/")) out += "/";
  return out;
}

/** real path -> guest path, or undefined if no rule applies. */
export function remapBack(mappings: readonly Mapping[], real: string): string | undefined {
  if (!real.startsWith("/")) return undefined;
  let best: { m: Mapping; rest: string } | undefined;
  for (const m of mappings) {
    const rest = below(real, m.other);
    if (rest !== undefined && (!best || m.other.length > best.m.other.length)) best = { m, rest };
  }
  return best ? joinPrefix(best.m.guest, best.rest) : undefined;
}

// ---- per-syscall plans ----

interface Plan {
  /** Argument indexes of input paths. */
  readonly paths: readonly number[];
  /** A path result: its buffer and size arguments, and how the result counts. */
  readonly out?: { readonly buf: number; readonly size: number; readonly kind: "getcwd" | "readlink" };
}

const plans = new Map<number, Plan | null>();

function planFor(nr: number): Plan | null {
  let p = plans.get(nr);
  if (p !== undefined) return p;
  const meta = syscallMeta(nr);
  p = null;
  if (meta) {
    const paths: number[] = [];
    meta.args.forEach((a, i) => {
      if (a.kind === "path" && i < 6) paths.push(i);
    });
    let out: Plan["out"];
    if (meta.name === "getcwd") out = { buf: 0, size: 1, kind: "getcwd" };
    if (meta.name === "readlinkat") out = { buf: 2, size: 3, kind: "readlink" };
    if (paths.length > 0 || out) p = { paths, out };
  }
  plans.set(nr, p);
  return p;
}

/** A NUL-terminated byte string from guest memory as latin1, or undefined (fault, or longer than PATH_MAX). */
function readPath(task: Task, addr: bigint): string | undefined {
  try {
    let a = Number(BigInt.asUintN(64, addr));
    let out = "";
    while (out.length < PATH_MAX) {
      const n = Math.min(PAGE - (a % PAGE), PATH_MAX - out.length);
      const chunk = task.readBytes(a, n);
      const nul = chunk.indexOf(0);
      out += Buffer.from(nul >= 0 ? chunk.subarray(0, nul) : chunk).toString("latin1");
      if (nul >= 0) return out;
      a += n;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

// ---- the engine ----

/** What the engine changed for the task's current syscall. */
interface CallState {
  /** Argument registers changed: index, the guest's value, the value set. */
  readonly args: { index: number; original: bigint; set: bigint }[];
  /** Stack bytes borrowed, in allocation order. */
  readonly chunks: { addr: number; saved: Uint8Array }[];
  /** The lowest scratch address used so far (allocation goes down). */
  low: number;
  /** A redirected result buffer: where the kernel writes, and the guest's buffer and size. */
  out?: { scratch: number; guestBuf: bigint; guestSize: number; kind: "getcwd" | "readlink" };
  /** -errno to return instead of running the call (no room for the scratch copy). */
  fail?: bigint;
  /** The call was a successful execve: the old image (and its stack) is gone. */
  exec: boolean;
}

interface RemapTaskState {
  call: CallState | null;
}

export interface RemapEngineOptions {
  /** The directory relative OTHER_PREFIXes are taken from (default: the first task's process cwd). */
  cwd?: string;
  /** Attach to every task the first one clones (default true: all tasks share the view). */
  follow?: boolean;
}

export interface RemapEngine {
  attach(task: Task): void;
  /** The rules as applied (OTHER_PREFIX made absolute). */
  readonly mappings: readonly { guest: string; other: string }[];
}

export function createRemapEngine(kernel: Kernel, rules: readonly RemapRule[], options: RemapEngineOptions = {}): RemapEngine {
  let mappings: Mapping[] | null = null;
  let shown: { guest: string; other: string }[] = [];
  function mappingsFor(task: Task): Mapping[] {
    if (!mappings) {
      const cwd = options.cwd ?? task.process.cwd;
      shown = rules.map((r) => ({ guest: r.guest, other: foldAbsolute(posix.resolve(cwd, r.other)) }));
      mappings = shown.map((m) => ({ guest: toLatin1(m.guest), other: toLatin1(m.other) }));
    }
    return mappings;
  }

  /** Borrows len bytes of stack below the red zone for the current call; returns the address, or undefined. */
  function borrow(task: Task, call: CallState, len: number): number | undefined {
    const addr = Math.floor((call.low - len) / 16) * 16;
    if (addr < 0) return undefined;
    try {
      const saved = task.readBytes(addr, len);
      task.writeBytes(addr, saved); // proves the page writable before it is relied on
      call.chunks.push({ addr, saved });
      call.low = addr;
      return addr;
    } catch {
      return undefined;
    }
  }

  function setArg(regs: Regs, call: CallState, index: number, value: bigint): void {
    const mine = call.args.find((a) => a.index === index);
    if (mine) mine.set = value;
    else call.args.push({ index, original: regs.arg(index), set: value });
    regs.setArg(index, value);
  }

  const ops: EngineOps<RemapTaskState> = {
    name: "remap",
    reportSyscallEntry(action, engine, regs) {
      const st = engine.data;
      const task = engine.task;
      const echo = utraceSyscallAction(action);
      if (!(action & UTRACE_SYSCALL_RESUMED)) st.call = null;
      if (utraceResumeAction(action) === UTRACE_STOP) return echo | UTRACE_REPORT;
      const plan = planFor(Number(regs.syscallNumber));
      if (!plan) return echo | UTRACE_RESUME;
      if (st.call?.fail !== undefined) return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
      const maps = mappingsFor(task);
      // Read every path first: a path the guest keeps in the scratch area must not be overwritten unread.
      const rewrites: { index: number; bytes: Uint8Array }[] = [];
      for (const i of plan.paths) {
        const cur = regs.arg(i);
        if (st.call?.args.some((a) => a.index === i && a.set === cur)) continue; // our copy, unchanged
        const raw = readPath(task, cur);
        if (raw === undefined) continue;
        const mapped = remapForward(maps, raw);
        if (mapped === undefined) continue;
        rewrites.push({ index: i, bytes: Buffer.from(`${mapped}\0`, "latin1") });
      }
      const out = plan.out && !st.call?.out ? plan.out : undefined;
      const guestSize = out ? Number(BigInt.asIntN(32, regs.arg(out.size))) : 0;
      const redirect = out !== undefined && (out.kind === "getcwd" || guestSize > 0);
      if (rewrites.length === 0 && !redirect) return echo | UTRACE_RESUME;
      const sp = Number(BigInt.asUintN(64, regs.sp));
      const call = (st.call ??= { args: [], chunks: [], low: Math.floor((sp - RED_ZONE) / 16) * 16, exec: false });
      for (const w of rewrites) {
        const addr = borrow(task, call, w.bytes.length);
        if (addr === undefined) {
          call.fail = BigInt(-ENOMEM);
          return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
        }
        task.writeBytes(addr, w.bytes);
        setArg(regs, call, w.index, BigInt(addr));
      }
      if (redirect && out) {
        const addr = borrow(task, call, PATH_MAX);
        if (addr === undefined) {
          call.fail = BigInt(-ENOMEM);
          return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
        }
        call.out = { scratch: addr, guestBuf: regs.arg(out.buf), guestSize, kind: out.kind };
        setArg(regs, call, out.buf, BigInt(addr));
        setArg(regs, call, out.size, BigInt(PATH_MAX));
      }
      return echo | UTRACE_RESUME;
    },
    reportExec(_action, engine) {
      if (engine.data.call) engine.data.call.exec = true;
      return UTRACE_RESUME;
    },
    reportSyscallExit(_action, engine, regs) {
      const st = engine.data;
      const call = st.call;
      st.call = null;
      if (!call || call.exec) return UTRACE_RESUME;
      const task = engine.task;
      let rv = call.fail ?? regs.returnValue;
      let result: Uint8Array | undefined;
      if (call.out && call.fail === undefined && rv > 0n) {
        const maps = mappings ?? [];
        const n = Number(rv) - (call.out.kind === "getcwd" ? 1 : 0);
        const real = Buffer.from(task.readBytes(call.out.scratch, Math.max(0, Math.min(n, PATH_MAX)))).toString("latin1");
        const shownPath = remapBack(maps, real) ?? real;
        if (call.out.kind === "getcwd") {
          if (shownPath.length + 1 > call.out.guestSize) rv = BigInt(-ERANGE);
          else {
            result = Buffer.from(`${shownPath}\0`, "latin1");
            rv = BigInt(result.length);
          }
        } else {
          result = Buffer.from(shownPath, "latin1").subarray(0, call.out.guestSize);
          rv = BigInt(result.length);
        }
      }
      // Give the stack its bytes back (last borrowed first), then the registers.
      for (let i = call.chunks.length - 1; i >= 0; i--) {
        try {
          task.writeBytes(call.chunks[i].addr, call.chunks[i].saved);
        } catch {
          // unmapped by the call itself (munmap of one's own stack): nothing to restore
        }
      }
      for (const a of call.args) regs.setArg(a.index, a.original);
      if (result && call.out) {
        try {
          task.writeBytes(call.out.guestBuf, result);
        } catch {
          rv = BigInt(-EFAULT);
        }
      }
      regs.returnValue = rv;
      return UTRACE_RESUME;
    },
  };

  const attach = engineAttacher(
    kernel, ops, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT.EXEC, () => ({ call: null }),
    options.follow ?? true,
  );
  return {
    attach(task) {
      mappingsFor(task);
      attach(task);
    },
    get mappings() {
      return shown;
    },
  };
}
