// The strace-compatible syscall printer: `beginCall` decodes what is known at syscall entry (the
// in-parameters, read from guest memory before the call can change it), `finishCall` adds the
// out-parameters and the return value and gives the whole line, as strace prints it:
//
//   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
//   read(3, "root::0:0:"..., 1024) = 422
//   lstat("/foo/bar", 0xb004) = -1 ENOENT (No such file or directory)
//
// Decoders come from the family files in ./decode (strace's open.c, io.c, mem.c, … split the same
// way); every other syscall is printed from its ArgSpec row in src/abi/syscalls.ts, and numbers
// riscv64 does not define print as `syscall_0x1a9(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)`.
//
// `unfinishedCall(p)` is always a prefix of `finishCall(p, …)`: the text strace prints at entry
// (`read(3, `, `clone(child_stack=NULL, flags=SIGCHLD`). A caller printing `<... read resumed>`
// takes the rest of the finished line after that prefix.
import { syscallMeta, type SyscallMeta } from "../../abi/syscalls.js";
import type { Arg, CallContext, Decoded, Decoder, DecodeOptions, Entry, Exit } from "./decode/types.js";
import { hex, ptr, s64 } from "./decode/print.js";
import { errnoName, errorText, isRestart, MAX_ERRNO } from "./decode/errors.js";
import { rawDecoder, specDecoder } from "./decode/generic.js";
import { FILE_DECODERS } from "./decode/file.js";
import { DESC_DECODERS } from "./decode/desc.js";
import { MEM_DECODERS } from "./decode/mem.js";
import { PROCESS_DECODERS } from "./decode/process.js";
import { SIGNAL_DECODERS, formatExitLine, formatSignalLine, type SigInfo } from "./decode/signal.js";
import { TIME_DECODERS } from "./decode/time.js";
import { MISC_DECODERS } from "./decode/misc.js";
import { NET_DECODERS } from "./decode/net.js";
import { EVENT_DECODERS } from "./decode/events.js";

export type { CallContext, DecodeOptions, GuestMemory } from "./decode/types.js";

/** strace's defaults: -s 32, abbreviated structures, no -x, -X abbrev, no -y. */
export const DEFAULT_DECODE_OPTIONS: DecodeOptions = {
  stringLimit: 32,
  verbose: false,
  hexStrings: 0,
  constStyle: "abbrev",
  decodeFds: false,
};

/** A call between entry and exit. Opaque to callers. */
export interface PendingCall {
  readonly name: string;
}

interface Pending extends PendingCall {
  readonly nr: number;
  readonly meta: SyscallMeta | undefined;
  readonly entry: Entry;
  readonly decoded: Decoded;
  readonly nargs: number;
}

/** Hand-written decoders by syscall name; rows not listed here print from their ArgSpecs. */
const DECODERS: Readonly<Record<string, Decoder>> = {
  ...FILE_DECODERS,
  ...DESC_DECODERS,
  ...MEM_DECODERS,
  ...PROCESS_DECODERS,
  ...SIGNAL_DECODERS,
  ...TIME_DECODERS,
  ...MISC_DECODERS,
  ...NET_DECODERS,
  ...EVENT_DECODERS,
};

/** The names that have hand-written decoders (for tests and coverage reports). */
export function customDecoderNames(): readonly string[] {
  return Object.keys(DECODERS);
}

const ARGS = 6;

/** The syscall's name, or strace's `syscall_0x1a9` for numbers riscv64 does not define. */
export function syscallName(nr: number): string {
  return syscallMeta(nr)?.name ?? `syscall_${hex(BigInt.asUintN(64, BigInt(nr)))}`;
}

function decoderOf(meta: SyscallMeta | undefined): Decoder {
  if (meta === undefined) return rawDecoder(ARGS);
  return DECODERS[meta.name] ?? specDecoder(meta);
}

/** At syscall entry: decodes the arguments known at entry (in-parameters). */
export function beginCall(call: CallContext, opts: DecodeOptions): PendingCall {
  const meta = syscallMeta(call.nr);
  const args: bigint[] = [];
  for (let i = 0; i < ARGS; i++) args.push(BigInt.asUintN(64, call.args[i] ?? 0n));
  const entry: Entry = { name: syscallName(call.nr), nr: call.nr, args, mem: call.mem, o: opts, sp: call.sp };
  let decoded: Decoded;
  try {
    decoded = decoderOf(meta)(entry);
  } catch {
    // A decoder must never take the tracer down: fall back to strace's printargs.
    decoded = rawDecoder(meta?.args.length ?? ARGS)(entry);
  }
  const pending: Pending = { name: entry.name, nr: call.nr, meta, entry, decoded, nargs: meta?.args.length ?? ARGS };
  return pending;
}

function asPending(p: PendingCall): Pending {
  return p as Pending;
}

function exitOf(p: Pending, call: CallContext, retval: bigint, opts: DecodeOptions): Exit {
  const ret = BigInt.asUintN(64, retval);
  const signed = s64(ret);
  const failed = p.meta?.neverFails !== true && signed < 0n && signed >= -BigInt(MAX_ERRNO);
  return { ...p.entry, mem: call.mem, o: opts, ret, failed };
}

function safe(f: () => string, fallback: string): string {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** The entry text of an argument, or undefined once an exit-time argument is reached. */
function entryText(a: Arg): string | undefined {
  if (typeof a === "string") return a;
  if (typeof a === "function") return undefined;
  return a.pre;
}

/** The argument texts at exit. */
function exitTexts(p: Pending, x: Exit): string[] {
  const texts = p.decoded.args.map((a, i) => {
    if (typeof a === "string") return a;
    const fallback = hex(p.entry.args[i] ?? 0n);
    if (typeof a === "function") return safe(() => a(x), fallback);
    return a.pre + safe(() => a.post(x), "");
  });
  const tail = p.decoded.tail;
  if (tail !== undefined) {
    try {
      texts.push(...tail(x));
    } catch {
      // leave the tail out
    }
  }
  return texts;
}

/** The text after `= `. */
function returnText(p: Pending, x: Exit): string {
  if (x.failed) return errorText(Number(-s64(x.ret)));
  const ret = p.decoded.ret;
  return ret === undefined ? String(s64(x.ret)) : safe(() => ret(x), String(s64(x.ret)));
}

/**
 * At syscall exit: the whole line without newline, `name(args) = ret`, with out-parameters decoded
 * now (left as addresses when the call failed); `note` is appended after the return value.
 */
export function finishCall(p: PendingCall, call: CallContext, retval: bigint, opts: DecodeOptions, note?: string): string {
  const pending = asPending(p);
  const x = exitOf(pending, call, retval, opts);
  return `${pending.name}(${exitTexts(pending, x).join(", ")}) = ${returnText(pending, x)}${note ?? ""}`;
}

/**
 * For calls that do not return (exit, exit_group) or are cut short: `name(args` as strace prints it
 * at entry; the caller adds `) = ?` or ` <unfinished ...>`.
 */
export function unfinishedCall(p: PendingCall): string {
  const pending = asPending(p);
  let s = `${pending.name}(`;
  const args = pending.decoded.args;
  for (let i = 0; i < args.length; i++) {
    const text = entryText(args[i]);
    if (i > 0) s += ", ";
    if (text === undefined) break;
    s += text;
    if (typeof args[i] !== "string") break;
  }
  return s;
}

/**
 * A call that has not returned, as it stands: `futex(0x12340, FUTEX_WAIT_PRIVATE, 0, NULL)`. The
 * in-parameters decoded as at entry, the out-parameters (which the call has not written) as their
 * raw values; for the deadlock report, where a call never ends.
 */
export function pendingCallText(call: CallContext, opts: DecodeOptions): string {
  const pending = asPending(beginCall(call, opts));
  const texts = pending.decoded.args.map((a, i) => {
    if (typeof a === "string") return a;
    if (typeof a === "function") return ptr(pending.entry.args[i] ?? 0n);
    return a.pre;
  });
  return `${pending.name}(${texts.join(", ")})`;
}

/** `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---` for a delivered signal. */
export function formatSignal(info: {
  signo: number; code: number; errno?: number; addr?: bigint; pid?: number; uid?: number;
  status?: number; utime?: bigint; stime?: bigint;
}, opts: DecodeOptions = DEFAULT_DECODE_OPTIONS): string {
  const si: SigInfo = { ...info };
  return formatSignalLine(si, opts);
}

/** `+++ exited with 0 +++`, `+++ killed by SIGABRT (core dumped) +++`. */
export function formatExit(status: { exitCode: number | null; signal: number | null; coreDumped: boolean }): string {
  return formatExitLine(status);
}

/** Structured form of a call for --json: raw args, decoded arg strings, return value, errno name. */
export function callToJson(p: PendingCall, call: CallContext, retval: bigint | undefined, opts: DecodeOptions): {
  nr: number; name: string; args: string[]; raw: string[]; retval?: string; errno?: string;
} {
  const pending = asPending(p);
  const raw = pending.entry.args.slice(0, pending.nargs).map(hex);
  if (retval === undefined) {
    const args = pending.decoded.args.map((a) => entryText(a) ?? "?");
    return { nr: pending.nr, name: pending.name, args, raw };
  }
  const x = exitOf(pending, call, retval, opts);
  const result: { nr: number; name: string; args: string[]; raw: string[]; retval?: string; errno?: string } = {
    nr: pending.nr, name: pending.name, args: exitTexts(pending, x), raw,
  };
  if (x.failed) {
    const errno = Number(-s64(x.ret));
    result.retval = isRestart(errno) ? "?" : "-1";
    result.errno = errnoName(errno) ?? String(errno);
  } else {
    result.retval = returnText(pending, x);
  }
  return result;
}
