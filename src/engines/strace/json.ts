// --json: one JSON object per line per event, for programs that read traces.
//
//   {"type":"syscall","pid":1000,"tid":1000,"insns":5123,"nr":64,"name":"write",
//    "args":["1","\"hi\\n\"","3"],"raw":["0x1","0x10a40","0x3"],"retval":"3","ret":"3"}
//   {"type":"syscall",…,"name":"openat",…,"retval":"-1","errno":"ENOENT","ret":"-2"}
//   {"type":"syscall",…,"name":"exit_group",…,"unfinished":true}
//   {"type":"signal","pid":1000,"tid":1000,"insns":88,"signo":11,"signal":"SIGSEGV","code":1,"addr":"0x10","info":"{si_signo=SIGSEGV, …}"}
//   {"type":"signal",…,"signo":17,"signal":"SIGCHLD","code":1,"senderPid":1001,"senderUid":0,"status":7,"info":"{…}"}
//   {"type":"stop","pid":1001,"tid":1001,"insns":412,"signo":19,"signal":"SIGSTOP"}
//   {"type":"exit","pid":1000,"tid":1000,"insns":90,"status":139,"exitCode":null,"signal":"SIGSEGV","coreDumped":true}
//   {"type":"superseded","pid":1000,"tid":1000,"insns":700,"formerTid":1001}
//   {"type":"summary","syscalls":[{"name":"write","calls":3,"errors":0,…}],"total":{…}}
//
// `args` are the decoded arguments as strace prints them, `raw` the registers in hex; `retval`
// and `errno` are the decoder's view, `ret` the raw 64-bit result as a signed decimal. 64-bit
// values are strings, so no reader loses bits. `insns` is the task's instruction count. Every
// task event carries its process id (`pid`) and thread id (`tid`); a SIGCHLD from the kernel has
// the child's si_status as `status`; "stop" is a group stop (strace's "--- stopped by SIG ---");
// "superseded" is a thread's exec that took over the leader's tid (`formerTid` is its own).
import type { SummaryRow } from "./summary.js";

/** Fields every event carries. */
export interface JsonEventBase {
  pid: number;
  tid: number;
  insns: number;
  /** The leader's time stamps (-t/-tt/-ttt/-r), as strace would print them. */
  timestamp?: string;
}

/** What the decoder's callToJson gives. */
export interface DecodedJson {
  nr: number;
  name: string;
  args: string[];
  raw: string[];
  retval?: string;
  errno?: string;
}

export function syscallEvent(
  base: JsonEventBase, decoded: DecodedJson,
  extra: { ret?: bigint; unfinished?: boolean; duration?: string; note?: string; synthetic?: boolean },
): string {
  const o: Record<string, unknown> = { type: "syscall", ...base, ...decoded };
  if (extra.ret !== undefined) o.ret = BigInt.asIntN(64, extra.ret).toString();
  if (extra.unfinished) o.unfinished = true;
  if (extra.duration !== undefined) o.duration = extra.duration;
  if (extra.note !== undefined) o.note = extra.note;
  if (extra.synthetic) o.synthetic = true;
  return JSON.stringify(o) + "\n";
}

export function signalEvent(
  base: JsonEventBase,
  sig: { signo: number; name: string; code: number; addr?: bigint; pid?: number; uid?: number; status?: number; info: string },
): string {
  const o: Record<string, unknown> = { type: "signal", ...base, signo: sig.signo, signal: sig.name, code: sig.code };
  if (sig.addr !== undefined) o.addr = `0x${BigInt.asUintN(64, sig.addr).toString(16)}`;
  if (sig.pid !== undefined) o.senderPid = sig.pid;
  if (sig.uid !== undefined) o.senderUid = sig.uid;
  if (sig.status !== undefined) o.status = sig.status;
  o.info = sig.info;
  return JSON.stringify(o) + "\n";
}

export function stopEvent(base: JsonEventBase, sig: { signo: number; name: string }): string {
  return JSON.stringify({ type: "stop", ...base, signo: sig.signo, signal: sig.name }) + "\n";
}

export function supersededEvent(base: JsonEventBase, formerTid: number): string {
  return JSON.stringify({ type: "superseded", ...base, formerTid }) + "\n";
}

export function exitEvent(
  base: JsonEventBase, st: { status: number; exitCode: number | null; signal: string | null; coreDumped: boolean },
): string {
  return JSON.stringify({ type: "exit", ...base, ...st }) + "\n";
}

export function summaryEvent(rows: SummaryRow[], total: SummaryRow): string {
  return JSON.stringify({ type: "summary", syscalls: rows, total }) + "\n";
}
