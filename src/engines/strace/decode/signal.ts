// Signals as strace prints them (strace src/signal.c, printsiginfo.c, strace.c): siginfo_t, the
// `--- SIGSEGV {...} ---` and `+++ killed by SIGKILL +++` lines, rt_sigreturn's `{mask=[...]}` read
// from the riscv64 signal frame, and rt_sigtimedwait's `= 10 (SIGUSR1)`.
import type { Decoded, DecoderTable, DecodeOptions, Entry } from "./types.js";
import {
  AUDIT_ARCHES, SIGBUS_CODES, SIGCHLD_CODES, SIGEV_NOTIFY, SIGFPE_CODES, SIGILL_CODES, SIGINFO_CODES, SIGPOLL_CODES,
  SIGSEGV_CODES, SIGSYS_CODES, SIGTRAP_CODES,
} from "../../../abi/xlat/signal.js";
import type { Xlat } from "../../../abi/xlat/types.js";
import { errnoName } from "./errors.js";
import { hex, int, ptr, s64, signal, signame, sigset, u64, xval } from "./print.js";
import { fields, readView, sigsetPtr, timespec, type StructPrinter } from "./structs.js";
import { out } from "./deferred.js";

/** The fields of a siginfo_t that strace prints; absent ones read as 0. */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  pid?: number;
  uid?: number;
  status?: number;
  utime?: bigint;
  stime?: bigint;
  addr?: bigint;
  timerid?: number;
  overrun?: number;
  value?: bigint;
  band?: bigint;
  fd?: number;
  callAddr?: bigint;
  syscall?: number;
  arch?: number;
}

const SIGILL = 4;
const SIGTRAP = 5;
const SIGBUS = 7;
const SIGFPE = 8;
const SIGSEGV = 11;
const SIGCHLD = 17;
const SIGPOLL = 29;
const SIGSYS = 31;
const SI_KERNEL = 0x80;
const SI_USER = 0;
const SI_TIMER = -2;
const SI_TKILL = -6;
const CLD_EXITED = 1;

const CODES_BY_SIGNAL: Readonly<Record<number, Xlat>> = {
  [SIGILL]: SIGILL_CODES,
  [SIGFPE]: SIGFPE_CODES,
  [SIGSEGV]: SIGSEGV_CODES,
  [SIGBUS]: SIGBUS_CODES,
  [SIGTRAP]: SIGTRAP_CODES,
  [SIGCHLD]: SIGCHLD_CODES,
  [SIGPOLL]: SIGPOLL_CODES,
  [SIGSYS]: SIGSYS_CODES,
};


function codeText(signo: number, code: number, o: DecodeOptions): string {
  const u = BigInt(code >>> 0);
  const general = code <= 0 || code === SI_KERNEL;
  const table = general ? SIGINFO_CODES : CODES_BY_SIGNAL[signo];
  if (table === undefined) return hex(u);
  return xval(u, table, undefined, o, { bits: 32 });
}

/** Clock ticks in siginfo's si_utime/si_stime, with strace's seconds comment. */
function ticks(n: bigint): string {
  if (n === 0n) return "0";
  return `${n} /* ${n / 100n}.${String(n % 100n).padStart(2, "0")} s */`;
}

/** A siginfo_t as strace prints it: `{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}`. */
export function siginfoText(si: SigInfo, o: DecodeOptions): string {
  const p = [`si_signo=${signal(si.signo, o)}`, `si_code=${codeText(si.signo, si.code, o)}`];
  if (si.errno !== undefined && si.errno !== 0) p.push(`si_errno=${errnoName(si.errno) ?? String(si.errno)}`);
  const source = (): void => {
    p.push(`si_pid=${si.pid ?? 0}`, `si_uid=${si.uid ?? 0}`);
  };
  const value = (): void => {
    const v = si.value ?? 0n;
    p.push(`si_int=${int(v)}`, `si_ptr=${ptr(v)}`);
  };
  if (si.code <= 0) {
    if (si.code === SI_USER || si.code === SI_TKILL) source();
    else if (si.code === SI_TIMER) {
      p.push(`si_timerid=${hex(BigInt((si.timerid ?? 0) >>> 0))}`, `si_overrun=${si.overrun ?? 0}`);
      value();
    } else {
      source();
      if ((si.value ?? 0n) !== 0n) value();
    }
  } else {
    switch (si.signo) {
      case SIGCHLD: {
        source();
        const st = si.status ?? 0;
        p.push(`si_status=${si.code === CLD_EXITED ? String(st) : signal(st, o)}`);
        p.push(`si_utime=${ticks(si.utime ?? 0n)}`, `si_stime=${ticks(si.stime ?? 0n)}`);
        break;
      }
      case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS:
        p.push(`si_addr=${ptr(si.addr ?? 0n)}`);
        break;
      case SIGPOLL:
        p.push(`si_band=${si.band ?? 0n}`, `si_fd=${si.fd ?? 0}`);
        break;
      case SIGSYS:
        p.push(`si_call_addr=${ptr(si.callAddr ?? 0n)}`, `si_syscall=${si.syscall ?? 0}`,
          `si_arch=${xval(BigInt((si.arch ?? 0) >>> 0), AUDIT_ARCHES, undefined, o, { bits: 32 })}`);
        break;
      default:
        if (si.addr !== undefined && si.signo === SIGTRAP) p.push(`si_addr=${ptr(si.addr)}`);
        else if ((si.pid ?? 0) !== 0 || (si.uid ?? 0) !== 0) source();
    }
  }
  return fields(p);
}

/** Parses the 128-byte siginfo_t of riscv64 into the fields its signal and code use. */
export function parseSiginfo(b: Uint8Array): SigInfo {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const signo = dv.getInt32(0, true);
  const si: SigInfo = { signo, errno: dv.getInt32(4, true), code: dv.getInt32(8, true) };
  const at = 16;
  si.pid = dv.getInt32(at, true);
  si.uid = dv.getUint32(at + 4, true);
  si.value = dv.getBigUint64(at + 8, true);
  if (si.code === SI_TIMER) {
    si.timerid = dv.getInt32(at, true);
    si.overrun = dv.getInt32(at + 4, true);
  } else if (si.code > 0) {
    switch (signo) {
      case SIGCHLD:
        si.status = dv.getInt32(at + 8, true);
        si.utime = dv.getBigInt64(at + 16, true);
        si.stime = dv.getBigInt64(at + 24, true);
        break;
      case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS: case SIGTRAP:
        si.addr = dv.getBigUint64(at, true);
        break;
      case SIGPOLL:
        si.band = dv.getBigInt64(at, true);
        si.fd = dv.getInt32(at + 8, true);
        break;
      case SIGSYS:
        si.callAddr = dv.getBigUint64(at, true);
        si.syscall = dv.getInt32(at + 8, true);
        si.arch = dv.getUint32(at + 12, true);
        break;
    }
  }
  return si;
}

/** siginfo_t behind a pointer. */
export const siginfo: StructPrinter = (mem, addr, o) => {
  if (addr === 0n) return "NULL";
  const b = mem.read(addr, 128);
  if (b === null) return ptr(addr);
  const si = parseSiginfo(b);
  // A siginfo the kernel left zeroed (waitid with WNOHANG and no child ready) prints as `{}`.
  return si.signo === 0 ? "{}" : siginfoText(si, o);
};

/** struct sigevent (64 bytes): value, signo, notify, and the thread id for SIGEV_THREAD_ID. */
export const sigevent: StructPrinter = (mem, addr, o) => {
  if (addr === 0n) return "NULL";
  const v = readView(mem, addr, 64);
  if (v === null) return ptr(addr);
  const notify = v.i32(12);
  const parts = [
    `sigev_value={sival_int=${v.i32(0)}, sival_ptr=${ptr(v.u64(0))}}`,
    `sigev_signo=${signal(Number(v.i32(8)), o)}`,
    `sigev_notify=${xval(notify, SIGEV_NOTIFY, "SIGEV_???", o, { bits: 32 })}`,
  ];
  if (notify === 4n) parts.push(`sigev_notify_thread_id=${v.i32(16)}`);
  return fields(parts);
};

/** The `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---` line of a delivered signal. */
export function formatSignalLine(si: SigInfo, o: DecodeOptions): string {
  return `--- ${signame(si.signo)} ${siginfoText(si, o)} ---`;
}

/** The `+++ exited with 0 +++` / `+++ killed by SIGSEGV (core dumped) +++` line. */
export function formatExitLine(status: { exitCode: number | null; signal: number | null; coreDumped: boolean }): string {
  if (status.signal !== null) return `+++ killed by ${signame(status.signal)}${status.coreDumped ? " (core dumped)" : ""} +++`;
  return `+++ exited with ${status.exitCode ?? 0} +++`;
}

// The rt_sigframe of riscv64: siginfo (128), then ucontext with uc_sigmask at offset 40.
const FRAME_SIGMASK = 128n + 40n;

function rtSigreturn(e: Entry): Decoded {
  if (e.sp === undefined) return { args: [] };
  const at = e.sp + FRAME_SIGMASK;
  const b = e.mem.read(at, 8);
  return { args: [`{mask=${b === null ? ptr(at) : sigset(b, e.o)}}`] };
}

/** rt_sigtimedwait(set, info, timeout, sigsetsize): the generic row's arguments, and the signal's name. */
function rtSigtimedwait(e: Entry): Decoded {
  const [set, info, timeout, size] = e.args;
  const args = [
    sigsetPtr(Number(u64(size)))(e.mem, set, e.o),
    out(info, (x) => siginfo(x.mem, info, x.o)),
    timespec(e.mem, timeout, e.o),
    String(u64(size)),
  ];
  return { args, ret: (x) => (x.ret === 0n ? "0" : `${s64(x.ret)} (${signame(int(x.ret))})`) };
}

/** Hand-written decoders of the signal family. */
export const SIGNAL_DECODERS: DecoderTable = {
  rt_sigreturn: rtSigreturn,
  rt_sigtimedwait: rtSigtimedwait,
};
