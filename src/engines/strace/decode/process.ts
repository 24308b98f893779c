// Decoders of process syscalls (strace src/clone.c, execve.c, wait.c, prctl.c, personality.c,
// sched.c, rseq.c): clone's named arguments in riscv64's order (flags, stack, parent_tid, tls,
// child_tid), clone3's clone_args with its `=> {...}` results, execve's argv and envp, wait
// statuses as WIFEXITED(s) expressions, and prctl's per-option arguments.
import type { Arg, Decoded, DecoderTable, DecodeOptions, Entry, Exit, GuestMemory } from "./types.js";
import {
  CAPABILITIES, CLONE, CLONE3_FLAGS, CLONE_FLAGS, PERSONALITY_FLAGS, PERSONALITY_TYPES, PR_CAP_AMBIENT_OPS,
  PR_DUMPABLE, PR_SET_VMA_OPTIONS, PR_SPEC_STATES, PR_SPEC_WHICH, PR_SYS_DISPATCH, PRCTL_OPTIONS,
  PR, PTRACE_EVENTS, RSEQ_CPU_IDS, RSEQ_FLAGS, SCHED_POLICIES, SECCOMP_MODES, WAIT_OPTIONS,
} from "../../../abi/xlat/process.js";
import { dirfd, flags, hex, int, matchFlags, ptr, s64, signal, signame, u32, u64, xval } from "./print.js";
import { printCStr, printCStrBounded, printPath } from "./strings.js";
import { bitmap, fdPtr, fields, intPtr, ptrPtr, readView, rusage, struct } from "./structs.js";
import { AT_FLAGS } from "../../../abi/xlat/fs.js";
import { out, readWord } from "./deferred.js";

// ---- clone ----

const CLONE_NAMED = CLONE.PARENT_SETTID | CLONE.PIDFD | CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID | CLONE.SETTLS;

/** clone's flags argument: the flag names, then the exit signal. */
export function cloneFlags(v: bigint, o: DecodeOptions): string {
  const fl = v & ~CLONE.CSIGNAL;
  const sig = Number(v & CLONE.CSIGNAL);
  if (fl === 0n) return sig !== 0 ? signal(sig, o) : "0";
  const text = flags(fl, CLONE_FLAGS, "CLONE_???", o);
  return sig !== 0 ? `${text}|${signal(sig, o)}` : text;
}

function clone(e: Entry): Decoded {
  const [fl, stack, ptid, tls, ctid] = e.args;
  const named = fl & ~CLONE.CSIGNAL;
  const decoded: Decoded = { args: [`child_stack=${ptr(stack)}`, `flags=${cloneFlags(fl, e.o)}`] };
  if ((named & CLONE_NAMED) === 0n) return decoded;
  decoded.tail = (x) => {
    const t: string[] = [];
    if (named & (CLONE.PARENT_SETTID | CLONE.PIDFD)) t.push(`parent_tid=${uintOrAddr(x.mem, ptid)}`);
    if (named & CLONE.SETTLS) t.push(`tls=${ptr(tls)}`);
    if (named & (CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID)) t.push(`child_tidptr=${ptr(ctid)}`);
    return t;
  };
  return decoded;
}

function uintOrAddr(mem: GuestMemory, addr: bigint): string {
  if (addr === 0n) return "NULL";
  const b = mem.read(addr, 4);
  return b === null ? ptr(addr) : `[${new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)}]`;
}

const CLONE_ARGS_SIZE_VER0 = 64n;
const CLONE_ARGS_SIZE = 88;

/** struct clone_args as strace prints it: the pointer fields only where their flag asks for them. */
export const cloneArgs = (mem: GuestMemory, addr: bigint, o: DecodeOptions, size = BigInt(CLONE_ARGS_SIZE)): string => {
  if (addr === 0n) return "NULL";
  if (size < CLONE_ARGS_SIZE_VER0) return ptr(addr);
  const v = readView(mem, addr, Math.min(Number(size), CLONE_ARGS_SIZE));
  if (v === null) return ptr(addr);
  const fl = v.u64(0);
  const p = [`flags=${flags(fl, CLONE3_FLAGS, "CLONE_???", o)}`];
  if (fl & CLONE.PIDFD) p.push(`pidfd=${ptr(v.u64(8))}`);
  if (fl & (CLONE.CHILD_SETTID | CLONE.CHILD_CLEARTID)) p.push(`child_tid=${ptr(v.u64(16))}`);
  if (fl & CLONE.PARENT_SETTID) p.push(`parent_tid=${ptr(v.u64(24))}`);
  const sig = v.u64(32);
  p.push(`exit_signal=${sig < 0x7fffffffn ? signal(Number(sig), o) : String(sig)}`);
  p.push(`stack=${ptr(v.u64(40))}`, `stack_size=${hex(v.u64(48))}`);
  if (fl & CLONE.SETTLS) p.push(`tls=${ptr(v.u64(56))}`);
  if (v.length >= 80) {
    const setTid = v.u64(64);
    const setTidSize = v.u64(72);
    if (setTid !== 0n || setTidSize !== 0n) {
      p.push(`set_tid=${setTidArray(mem, setTid, setTidSize, o)}`, `set_tid_size=${setTidSize}`);
    }
  }
  if (v.length >= 88 && (v.u64(80) !== 0n || fl & CLONE.INTO_CGROUP)) p.push(`cgroup=${v.u64(80)}`);
  return fields(p);
};

function setTidArray(mem: GuestMemory, addr: bigint, n: bigint, o: DecodeOptions): string {
  if (addr === 0n || n === 0n || n > 32n) return ptr(addr);
  const b = mem.read(addr, Number(n) * 4);
  if (b === null) return ptr(addr);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const items: string[] = [];
  for (let i = 0; i < Number(n); i++) items.push(String(dv.getInt32(i * 4, true)));
  return o.verbose || items.length <= o.stringLimit ? `[${items.join(", ")}]` : `[${items.slice(0, o.stringLimit).join(", ")}, ...]`;
}

function clone3(e: Entry): Decoded {
  const [addr, size] = e.args;
  const pre = cloneArgs(e.mem, addr, e.o, u64(size));
  const v = addr === 0n ? null : readView(e.mem, addr, 32);
  const fl = v === null ? 0n : v.u64(0);
  const pidfd = v === null ? 0n : v.u64(8);
  const ptid = v === null ? 0n : v.u64(24);
  const post = (x: Exit): string => {
    if (x.failed || (fl & (CLONE.PIDFD | CLONE.PARENT_SETTID)) === 0n) return "";
    const p: string[] = [];
    if (fl & CLONE.PIDFD) p.push(`pidfd=${fdPtr(x.mem, pidfd, x.o)}`);
    if (fl & CLONE.PARENT_SETTID) p.push(`parent_tid=${intPtr(x.mem, ptid, x.o)}`);
    return ` => ${fields(p)}`;
  };
  return { args: [{ pre, post }, String(u64(size))] };
}

// ---- execve ----

const MAX_ARGV = 1 << 16;

/** argv as strace prints it: the strings, cut at -s entries when abbreviated. */
export function argvText(mem: GuestMemory, addr: bigint, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  const items: string[] = [];
  for (let n = 0; n < MAX_ARGV; n++) {
    const p = readWord(mem, addr + BigInt(n * 8));
    if (p === undefined) {
      if (n === 0) return ptr(addr);
      items.push("...");
      break;
    }
    if (p === 0n) break;
    if (!o.verbose && n >= o.stringLimit) {
      items.push("...");
      break;
    }
    items.push(printCStr(mem, p, o));
  }
  return "[" + items.join(", ") + "]";
}

/** envp: the strings with -v, else the address and a `/* 39 vars *\/` count. */
export function envpText(mem: GuestMemory, addr: bigint, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  if (o.verbose) return argvText(mem, addr, o);
  let n = 0;
  for (; n < MAX_ARGV; n++) {
    const p = readWord(mem, addr + BigInt(n * 8));
    if (p === undefined) return ptr(addr);
    if (p === 0n) break;
  }
  return `${ptr(addr)} /* ${n} var${n === 1 ? "" : "s"} */`;
}

function execve(e: Entry): Decoded {
  const [p, argv, envp] = e.args;
  return { args: [printPath(e.mem, p, e.o), argvText(e.mem, argv, e.o), envpText(e.mem, envp, e.o)] };
}

function execveat(e: Entry): Decoded {
  const [d, p, argv, envp, fl] = e.args;
  return {
    args: [
      dirfd(d, e.o), printPath(e.mem, p, e.o), argvText(e.mem, argv, e.o), envpText(e.mem, envp, e.o),
      flags(u32(fl), AT_FLAGS, "AT_???", e.o),
    ],
  };
}

// ---- wait ----

/** A wait status as strace prints it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`. */
export function waitStatus(s: number, o: DecodeOptions): string {
  let rest = s;
  let text: string;
  const lo = s & 0x7f;
  if ((s & 0xff) === 0x7f) {
    const sig = (s >> 8) & 0xff;
    text = `WIFSTOPPED(s) && WSTOPSIG(s) == ${signame(sig & 0x7f)}${sig & 0x80 ? " | 0x80" : ""}`;
    rest &= ~0xff7f;
  } else if (s === 0xffff) {
    text = "WIFCONTINUED(s)";
    rest = 0;
  } else if (lo !== 0) {
    text = `WIFSIGNALED(s) && WTERMSIG(s) == ${signame(lo)}${s & 0x80 ? " && WCOREDUMP(s)" : ""}`;
    rest &= ~0xff;
  } else {
    text = `WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}`;
    rest &= ~0xff00;
  }
  let tail = "";
  const event = (rest >>> 16) & 0xffff;
  if (event !== 0) tail += `|${xval(BigInt(event), PTRACE_EVENTS, "PTRACE_EVENT_???", o)}<<16`;
  if ((rest & 0xffff) !== 0) tail += `|${hex(BigInt(rest & 0xffff))}`;
  return `[{${text}}${tail}]`;
}

function wait4(e: Entry): Decoded {
  const [pid, st, opts, ru] = e.args;
  const status: Arg = (x) => {
    if (x.failed || x.ret === 0n || st === 0n) return ptr(st);
    const b = x.mem.read(st, 4);
    return b === null ? ptr(st) : waitStatus(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true), x.o);
  };
  const usage: Arg = (x) => (!x.failed && s64(x.ret) > 0n ? rusage(x.mem, ru, x.o) : ptr(ru));
  return { args: [String(int(pid)), status, flags(u32(opts), WAIT_OPTIONS, "W???", e.o), usage] };
}

// ---- prctl ----


const TASK_COMM_LEN = 16;

function prctl(e: Entry): Decoded {
  const [optArg, a2, a3, a4, a5] = e.args;
  const { mem, o } = e;
  const option = int(optArg);
  const head = xval(u32(optArg), PRCTL_OPTIONS, "PR_???", o, { bits: 32 });
  const dec = (...rest: Arg[]): Decoded => ({ args: [head, ...rest] });
  const udec = (...vals: bigint[]): string[] => vals.map((v) => String(u64(v)));
  switch (option) {
    case PR.SET_PDEATHSIG: return dec(signal(int(a2), o));
    case PR.GET_PDEATHSIG: return dec(out(a2, (x) => intPtrSignal(x.mem, a2, x.o)));
    case PR.GET_DUMPABLE:
      return { args: [head], ret: (x) => `${s64(x.ret)} (${xval(x.ret, PR_DUMPABLE, "SUID_DUMP_???", { ...x.o, constStyle: "abbrev" })})` };
    case PR.SET_DUMPABLE: return dec(xval(u64(a2), PR_DUMPABLE, "SUID_DUMP_???", o));
    case PR.GET_UNALIGN: case PR.GET_FPEMU: case PR.GET_FPEXC: case PR.GET_ENDIAN: case PR.GET_TSC:
    case PR.GET_CHILD_SUBREAPER:
      return dec(out(a2, (x) => intPtr(x.mem, a2, x.o)));
    case PR.GET_KEEPCAPS: case PR.GET_SECCOMP: case PR.GET_TIMERSLACK: case PR.GET_TIMING:
    case PR.GET_SECUREBITS:
      return { args: [head] };
    case PR.SET_KEEPCAPS: case PR.SET_CHILD_SUBREAPER: return dec(String(u64(a2)));
    case PR.SET_TIMERSLACK: return dec(String(s64(a2)));
    case PR.SET_NAME: return dec(printCStrBounded(mem, a2, TASK_COMM_LEN, o));
    case PR.GET_NAME: return dec(out(a2, (x) => printCStrBounded(x.mem, a2, TASK_COMM_LEN, x.o)));
    case PR.SET_SECCOMP: {
      const m = xval(u64(a2), SECCOMP_MODES, "SECCOMP_MODE_???", o);
      return Number(u64(a2)) === 2 ? dec(m, ptr(a3)) : dec(m);
    }
    case PR.CAPBSET_READ: case PR.CAPBSET_DROP: return dec(xval(u64(a2), CAPABILITIES, "CAP_???", o));
    case PR.SET_NO_NEW_PRIVS: case PR.GET_NO_NEW_PRIVS: case PR.SET_THP_DISABLE: case PR.GET_THP_DISABLE:
    case PR.SET_IO_FLUSHER: case PR.GET_IO_FLUSHER:
      return dec(...udec(a2, a3, a4, a5));
    case PR.GET_TID_ADDRESS: return dec(out(a2, (x) => ptrPtr(x.mem, a2, x.o)));
    case PR.CAP_AMBIENT: {
      const op = xval(u64(a2), PR_CAP_AMBIENT_OPS, "PR_CAP_AMBIENT_???", o);
      const sub = Number(u64(a2));
      const cap = sub === 4 ? String(u64(a3)) : xval(u64(a3), CAPABILITIES, "CAP_???", o);
      return dec(op, cap, ...udec(a4, a5));
    }
    case PR.GET_SPECULATION_CTRL:
      return {
        args: [head, xval(u64(a2), PR_SPEC_WHICH, "PR_SPEC_???", o)],
        ret: (x) => `${s64(x.ret)} (${flags(x.ret, PR_SPEC_STATES, "PR_SPEC_???", { ...x.o, constStyle: "abbrev" })})`,
      };
    case PR.SET_SPECULATION_CTRL:
      return dec(xval(u64(a2), PR_SPEC_WHICH, "PR_SPEC_???", o), flags(u64(a3), PR_SPEC_STATES, "PR_SPEC_???", o));
    case PR.SET_SYSCALL_USER_DISPATCH:
      return dec(xval(u64(a2), PR_SYS_DISPATCH, "PR_SYS_DISPATCH_???", o), hex(a3), String(u64(a4)), ptr(a5));
    case PR.SET_VMA:
      return dec(xval(u64(a2), PR_SET_VMA_OPTIONS, "PR_SET_VMA_???", o), hex(a3), String(u64(a4)), printCStr(mem, a5, o));
    case PR.SET_PTRACER:
      return dec(int(a2) === -1 ? "PR_SET_PTRACER_ANY" : String(int(a2)));
    default:
      return dec(hex(a2), hex(a3), hex(a4), hex(a5));
  }
}

function intPtrSignal(mem: GuestMemory, addr: bigint, o: DecodeOptions): string {
  if (addr === 0n) return "NULL";
  const b = mem.read(addr, 4);
  return b === null ? ptr(addr) : `[${signal(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true), o)}]`;
}

// ---- personality, scheduling, rseq ----

/** A personality value: the domain by name and the flag bits. */
function persona(v: bigint, o: DecodeOptions): string {
  if (v === 0xffffffffn || o.constStyle === "raw") return hex(v);
  const domain = xval(v & 0xffn, PERSONALITY_TYPES, "PER_???", { ...o, constStyle: "abbrev" });
  const { names, rest } = matchFlags(v & ~0xffn, PERSONALITY_FLAGS);
  const text = [domain, ...names].join("|") + (rest !== 0n ? "|" + hex(rest) : "");
  return o.constStyle === "verbose" ? `${hex(v)} /* ${text} */` : text;
}

function personality(e: Entry): Decoded {
  return { args: [persona(u32(e.args[0]), e.o)], ret: (x) => `${hex(x.ret)} (${persona(x.ret, { ...x.o, constStyle: "abbrev" })})` };
}

function schedGetscheduler(e: Entry): Decoded {
  return {
    args: [String(int(e.args[0]))],
    ret: (x) => `${s64(x.ret)} (${xval(x.ret, SCHED_POLICIES, "SCHED_???", { ...x.o, constStyle: "abbrev" })})`,
  };
}

function schedGetaffinity(e: Entry): Decoded {
  const [pid, size, mask] = e.args;
  return { args: [String(int(pid)), String(u32(size)), out(mask, (x) => bitmap(x.mem, mask, Number(x.ret), x.o))] };
}

/** struct rseq: cpu_id_start, cpu_id (with its two special values by name), rseq_cs, flags. */
export const rseq = struct(32, (v, o) => fields([
  `cpu_id_start=${v.u32(0)}`,
  `cpu_id=${xval(v.u32(4), RSEQ_CPU_IDS, undefined, { ...o }, { bits: 32, fmt: "d" })}`,
  `rseq_cs=${ptr(v.u64(8))}`,
  `flags=${hex(v.u32(16))}`,
]));

function rseqCall(e: Entry): Decoded {
  const [addr, len, fl, sig] = e.args;
  return {
    args: [rseq(e.mem, addr, e.o), String(u32(len)), flags(u32(fl), RSEQ_FLAGS, "RSEQ_FLAG_???", e.o), hex(u32(sig))],
  };
}

/** Hand-written decoders of the process family. */
export const PROCESS_DECODERS: DecoderTable = {
  clone,
  clone3,
  execve,
  execveat,
  wait4,
  prctl,
  personality,
  sched_getscheduler: schedGetscheduler,
  sched_getaffinity: schedGetaffinity,
  rseq: rseqCall,
};
