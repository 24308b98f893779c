// The text files of /proc/PID (and /proc/PID/task/TID): stat, status, statm, maps, limits, each
// in the layout Linux 6.1's fs/proc prints it, from what a ProcProcess tells. Figures the emulator
// does not keep (page faults, context switches, resident pages apart from mapped ones) are shown as
// Linux shows an idle process's: zero, or the mapped size for the resident one.
import type { ProcMapping, ProcProcess, ProcThread } from "./source.js";

const PAGE = 4096;
/** USER_HZ: the clock ticks of /proc's times. */
export const CLOCK_TICKS = 100;
const NS_PER_TICK = 1_000_000_000n / BigInt(CLOCK_TICKS);
const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;

export const STATE_NAMES: Record<string, string> = {
  R: "R (running)",
  S: "S (sleeping)",
  D: "D (disk sleep)",
  T: "T (stopped)",
  t: "t (tracing stop)",
  Z: "Z (zombie)",
};

function ticks(ns: bigint): bigint {
  return ns / NS_PER_TICK;
}

function kb(bytes: number): string {
  return `${String(Math.floor(bytes / 1024)).padStart(8)} kB`;
}

function hex16(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, "0");
}

/** Sizes of /proc/PID/status and statm, from the mappings. */
export interface MemSizes {
  size: number;
  stack: number;
  exec: number;
  data: number;
  fileBacked: number;
}

export function memSizes(maps: readonly ProcMapping[], exe: string): MemSizes {
  const s: MemSizes = { size: 0, stack: 0, exec: 0, data: 0, fileBacked: 0 };
  for (const m of maps) {
    const len = m.end - m.start;
    s.size += len;
    if (m.name === "[stack]") s.stack += len;
    else if (m.name === exe && m.prot & PROT_EXEC) s.exec += len;
    else if (m.prot & PROT_WRITE && !m.shared) s.data += len;
    if (m.name.startsWith("/")) s.fileBacked += len;
  }
  return s;
}

/** /proc/PID/maps: one line per mapping, the name padded to column 73 as Linux pads it. */
export function mapsText(maps: readonly ProcMapping[]): string {
  let out = "";
  for (const m of maps) {
    const perms =
      (m.prot & PROT_READ ? "r" : "-") + (m.prot & PROT_WRITE ? "w" : "-") + (m.prot & PROT_EXEC ? "x" : "-") + (m.shared ? "s" : "p");
    const head = `${m.start.toString(16).padStart(8, "0")}-${m.end.toString(16).padStart(8, "0")} ${perms} 00000000 00:00 0 `;
    out += m.name === "" ? `${head}\n` : `${head.padEnd(72)} ${m.name}\n`;
  }
  return out;
}

/** A comm as /proc shows it inside stat's parentheses and status's Name (bytes as they are). */
function commOf(p: ProcProcess, t: ProcThread | null): string {
  return (t ?? p.threads[0])?.comm ?? "";
}

/** /proc/PID/stat (or task/TID/stat when `thread` is given): the 52 fields of Linux 6.1. */
export function statText(p: ProcProcess, thread: ProcThread | null, ttyPgrp: number): string {
  const maps = p.mappings();
  const sizes = memSizes(maps, p.exe);
  const l = p.layout();
  const state = thread?.state ?? p.state;
  const cpu = thread?.cpuNs ?? p.cpuNs;
  const rss = Math.floor(sizes.size / PAGE);
  const rsslim = p.limits()[5]?.[0] ?? RLIM_INFINITY;
  const fields: (string | number | bigint)[] = [
    thread?.tid ?? p.pid,
    `(${commOf(p, thread)})`,
    state,
    p.ppid,
    p.pgid,
    p.sid,
    0, // tty_nr
    ttyPgrp, // tpgid (-1 without a terminal)
    0x400000, // flags: PF_RANDOMIZE
    0, 0, 0, 0, // minflt cminflt majflt cmajflt
    ticks(cpu), // utime
    0, // stime
    0, 0, // cutime cstime
    20 + p.nice, // priority
    p.nice,
    p.threads.length,
    0, // itrealvalue
    ticks(p.startNs),
    sizes.size,
    rss,
    rsslim,
    l.startCode,
    l.endCode,
    l.startStack,
    0, 0, // kstkesp kstkeip
    Number(BigInt.asUintN(32, p.sigPending | p.sigShared)),
    Number(BigInt.asUintN(32, p.sigBlocked)),
    Number(BigInt.asUintN(32, p.sigIgnored)),
    Number(BigInt.asUintN(32, p.sigCaught)),
    0, 0, 0, // wchan nswap cnswap
    p.exitSignal,
    0, // processor
    0, 0, // rt_priority policy
    0, 0, 0, // delayacct_blkio_ticks guest_time cguest_time
    0, 0, // start_data end_data
    l.startBrk,
    l.argStart,
    l.argEnd,
    l.envStart,
    l.envEnd,
    0, // exit_code
  ];
  return fields.join(" ") + "\n";
}

/** /proc/PID/statm: sizes in pages: size resident shared text lib data dt. */
export function statmText(p: ProcProcess): string {
  const s = memSizes(p.mappings(), p.exe);
  const pages = (n: number): number => Math.floor(n / PAGE);
  return `${pages(s.size)} ${pages(s.size)} ${pages(s.fileBacked)} ${pages(s.exec)} 0 ${pages(s.data + s.stack)} 0\n`;
}

/** /proc/PID/status (task/TID/status when `thread` is given). */
export function statusText(p: ProcProcess, thread: ProcThread | null): string {
  const s = memSizes(p.mappings(), p.exe);
  const tid = thread?.tid ?? p.pid;
  const name = commOf(p, thread).replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  const ids = (id: number): string => `${id}\t${id}\t${id}\t${id}`;
  const fdSize = Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, ...p.fds.fds().map((f) => f + 1)))));
  const lines: [string, string | number][] = [
    ["Name", name],
    ["Umask", p.umask.toString(8).padStart(4, "0")],
    ["State", STATE_NAMES[thread?.state ?? p.state] ?? p.state],
    ["Tgid", p.pid],
    ["Ngid", 0],
    ["Pid", tid],
    ["PPid", p.ppid],
    ["TracerPid", 0],
    ["Uid", ids(p.uid)],
    ["Gid", ids(p.gid)],
    ["FDSize", fdSize],
    ["Groups", p.groups.join(" ") + " "],
    ["NStgid", p.pid],
    ["NSpid", tid],
    ["NSpgid", p.pgid],
    ["NSsid", p.sid],
    ["VmPeak", kb(s.size)],
    ["VmSize", kb(s.size)],
    ["VmLck", kb(0)],
    ["VmPin", kb(0)],
    ["VmHWM", kb(s.size)],
    ["VmRSS", kb(s.size)],
    ["RssAnon", kb(s.size - s.fileBacked)],
    ["RssFile", kb(s.fileBacked)],
    ["RssShmem", kb(0)],
    ["VmData", kb(s.data)],
    ["VmStk", kb(s.stack)],
    ["VmExe", kb(s.exec)],
    ["VmLib", kb(0)],
    ["VmPTE", kb(0)],
    ["VmSwap", kb(0)],
    ["Threads", p.threads.length],
    ["SigQ", `0/${p.limits()[11]?.[0] ?? 0n}`],
    ["SigPnd", hex16(p.sigPending)],
    ["ShdPnd", hex16(p.sigShared)],
    ["SigBlk", hex16(p.sigBlocked)],
    ["SigIgn", hex16(p.sigIgnored)],
    ["SigCgt", hex16(p.sigCaught)],
    ["CapInh", hex16(0n)],
    ["CapPrm", hex16(0n)],
    ["CapEff", hex16(0n)],
    ["CapBnd", hex16(0x1ff_ffff_ffffn)],
    ["CapAmb", hex16(0n)],
    ["NoNewPrivs", 0],
    ["Seccomp", 0],
    ["Seccomp_filters", 0],
    ["Speculation_Store_Bypass", "unknown"],
    ["SpeculationIndirectBranch", "unknown"],
    ["Cpus_allowed", 1],
    ["Cpus_allowed_list", 0],
    ["Mems_allowed", 1],
    ["Mems_allowed_list", 0],
    ["voluntary_ctxt_switches", 0],
    ["nonvoluntary_ctxt_switches", 0],
  ];
  return lines.map(([k, v]) => `${k}:\t${v}\n`).join("");
}

export interface LimitName {
  shown: string;
  unit: string;
}

/** /proc/PID/limits: Linux's table, "unlimited" for RLIM_INFINITY. */
export function limitsText(limits: readonly (readonly [bigint, bigint])[], names: readonly LimitName[]): string {
  const value = (v: bigint): string => (v === RLIM_INFINITY ? "unlimited" : String(v)).padEnd(20) + " ";
  let out = `${"Limit".padEnd(25)} ${"Soft Limit".padEnd(20)} ${"Hard Limit".padEnd(20)} ${"Units".padEnd(10)}\n`;
  names.forEach((n, i) => {
    const [soft, hard] = limits[i] ?? [RLIM_INFINITY, RLIM_INFINITY];
    out += `${n.shown.padEnd(25)} ${value(soft)}${value(hard)}${n.unit ? n.unit.padEnd(10) : ""}\n`;
  });
  return out;
}
