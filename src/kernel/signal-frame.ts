// The riscv64 Linux signal frame (struct rt_sigframe of arch/riscv/kernel/signal.c): building it on
// the user stack when a handler runs, and restoring from it at rt_sigreturn.
//
// Layout (offsets in bytes from the frame's start, from Debian's riscv64 uapi headers):
//   0    siginfo (128)
//   128  ucontext: uc_flags 8, uc_link 8, uc_stack (ss_sp 8, ss_flags 4 + pad, ss_size 8),
//        uc_sigmask 8, __unused 120, then uc_mcontext aligned to 16:
//   304  sc_regs: pc, x1..x31 (32 × 8)
//   560  sc_fpregs: f0..f31 (32 × 8), fcsr (4), the rest of the 528-byte union zeroed
//   1088 end
import type { Task } from "./task.js";
import type { SignalInfo } from "./signals.js";

const SIGINFO = 0;
const UCONTEXT = 128;
const UC_STACK = UCONTEXT + 16;
const UC_SIGMASK = UCONTEXT + 40;
const SC_REGS = UCONTEXT + 176;
const SC_FPREGS = SC_REGS + 256;
const SC_FCSR = SC_FPREGS + 256;
export const FRAME_SIZE = UCONTEXT + 960;

const SS_ONSTACK = 1;
const SS_DISABLE = 2;

/**
 * The page holding the return trampoline `li a7, 139; ecall` (rt_sigreturn). Linux puts it in the
 * vDSO; rvtrace has no vDSO, so the kernel maps one small executable page just above the stack.
 */
export const SIGRETURN_TRAMPOLINE = 0xc000_1000;
export const TRAMPOLINE_CODE = new Uint8Array([
  0x93, 0x08, 0xb0, 0x08, // addi a7, x0, 139
  0x73, 0x00, 0x00, 0x00, // ecall
]);

/** True when sp lies on the task's alternate signal stack. */
function onAltStack(t: Task, sp: number): boolean {
  const a = t.altStack;
  return a.flags !== SS_DISABLE && sp > a.sp && sp <= a.sp + a.size;
}

/** The size of a siginfo_t. */
export const SIGINFO_SIZE = 128;

/**
 * Writes `info` as a siginfo_t at `at` (zeroed beforehand): si_signo, si_code, then the union:
 * si_addr for faults, or si_pid, si_uid and (sigqueue) si_value.
 */
export function writeSiginfo(v: DataView, at: number, info: SignalInfo): void {
  v.setInt32(at, info.signo, true);
  v.setInt32(at + 8, info.code, true);
  if (info.addr !== undefined) v.setBigUint64(at + 16, BigInt.asUintN(64, info.addr), true);
  else if (info.pid !== undefined) {
    v.setInt32(at + 16, info.pid, true);
    v.setUint32(at + 20, info.uid ?? 0, true);
    if (info.value !== undefined) v.setBigUint64(at + 24, BigInt.asUintN(64, info.value), true);
  }
}

/** Builds a signal frame for `info` and points the hart at the handler. */
export function setupFrame(t: Task, info: SignalInfo, act: { handler: bigint; flags: bigint }, oldMask: bigint): void {
  const h = t.hart;
  const mem = t.mem;
  let sp = h.getXNumber(2);
  const SA_ONSTACK = 0x08000000n;
  if (act.flags & SA_ONSTACK && t.altStack.flags !== SS_DISABLE && !onAltStack(t, sp)) {
    sp = t.altStack.sp + t.altStack.size;
  }
  const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16;
  const bytes = new Uint8Array(FRAME_SIZE);
  const v = new DataView(bytes.buffer);
  writeSiginfo(v, SIGINFO, info);
  // ucontext
  v.setBigUint64(UC_STACK, BigInt(t.altStack.sp), true);
  v.setInt32(UC_STACK + 8, t.altStack.flags === SS_DISABLE ? SS_DISABLE : onAltStack(t, sp) ? SS_ONSTACK : 0, true);
  v.setBigUint64(UC_STACK + 16, BigInt(t.altStack.size), true);
  // A handler that ends rt_sigsuspend (or a ppoll with a mask) returns to the mask from before it.
  v.setBigUint64(UC_SIGMASK, BigInt.asUintN(64, t.savedSigmask ?? oldMask), true);
  v.setBigUint64(SC_REGS, BigInt(h.pc), true);
  for (let r = 1; r < 32; r++) v.setBigInt64(SC_REGS + 8 * r, h.x64[r], true);
  for (let r = 0; r < 32; r++) v.setBigUint64(SC_FPREGS + 8 * r, h.f64bits[r], true);
  v.setUint32(SC_FCSR, h.fcsr, true);
  mem.write(frame, bytes);
  t.savedSigmask = null;

  h.pc = Number(act.handler);
  h.setXNumber(10, info.signo);
  h.setXNumber(11, frame + SIGINFO);
  h.setXNumber(12, frame + UCONTEXT);
  h.setXNumber(2, frame);
  h.setXNumber(1, SIGRETURN_TRAMPOLINE);
}

/** Restores registers and the signal mask from the frame at sp (rt_sigreturn). Returns the mask. */
export function restoreFrame(t: Task): bigint {
  const h = t.hart;
  const frame = h.getXNumber(2);
  const bytes = t.mem.read(frame, FRAME_SIZE);
  const v = new DataView(bytes.buffer);
  h.pc = Number(v.getBigUint64(SC_REGS, true) & 0xffff_ffffn);
  for (let r = 1; r < 32; r++) h.x64[r] = v.getBigInt64(SC_REGS + 8 * r, true);
  for (let r = 0; r < 32; r++) h.f64bits[r] = v.getBigUint64(SC_FPREGS + 8 * r, true);
  h.fcsr = v.getUint32(SC_FCSR, true) & 0xff;
  return v.getBigUint64(UC_SIGMASK, true);
}
