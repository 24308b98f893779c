// The system-wide text files of /proc: meminfo, cpuinfo, stat, uptime, loadavg, mounts,
// mountinfo, filesystems, in Linux 6.1's layouts, from a ProcSource. One hart: the scheduler runs
// one guest task at a time, so the machine shown has one CPU.
import type { ProcMount, ProcSource } from "./source.js";
import { CLOCK_TICKS } from "./pid-files.js";

const NS_PER_TICK = 1_000_000_000n / BigInt(CLOCK_TICKS);

function kbLine(name: string, bytes: number): string {
  return `${(name + ":").padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/**
 * /proc/meminfo: MemTotal is the memory the guest may hold (--memory-limit, or the machine sysinfo
 * describes), MemFree what it does not hold now. Nothing is cached or swapped: the sandbox has no
 * page cache of its own to show.
 */
export function meminfoText(src: ProcSource): string {
  const { total, used } = src.memory();
  const free = Math.max(0, total - used);
  const rows: [string, number][] = [
    ["MemTotal", total],
    ["MemFree", free],
    ["MemAvailable", free],
    ["Buffers", 0],
    ["Cached", 0],
    ["SwapCached", 0],
    ["Active", used],
    ["Inactive", 0],
    ["Active(anon)", used],
    ["Inactive(anon)", 0],
    ["Active(file)", 0],
    ["Inactive(file)", 0],
    ["Unevictable", 0],
    ["Mlocked", 0],
    ["SwapTotal", 0],
    ["SwapFree", 0],
    ["Dirty", 0],
    ["Writeback", 0],
    ["AnonPages", used],
    ["Mapped", 0],
    ["Shmem", 0],
    ["KReclaimable", 0],
    ["Slab", 0],
    ["SReclaimable", 0],
    ["SUnreclaim", 0],
    ["KernelStack", 0],
    ["PageTables", 0],
    ["NFS_Unstable", 0],
    ["Bounce", 0],
    ["WritebackTmp", 0],
    ["CommitLimit", total],
    ["Committed_AS", used],
    ["VmallocTotal", 0],
    ["VmallocUsed", 0],
    ["VmallocChunk", 0],
    ["Percpu", 0],
  ];
  let out = "";
  for (const [name, v] of rows) out += kbLine(name, v);
  return out + "HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\nHugepagesize:       2048 kB\nHugetlb:               0 kB\n";
}

/** /proc/cpuinfo: one hart, the ISA the interpreter implements. */
export function cpuinfoText(src: ProcSource): string {
  return `processor\t: 0\nhart\t\t: 0\nisa\t\t: ${src.isa}\nmmu\t\t: sv39\nmvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n`;
}

/** Ticks of guest CPU time (user) and of the rest of the uptime (idle). */
function cpuTicks(src: ProcSource): { user: bigint; idle: bigint } {
  let busy = 0n;
  for (const pid of src.pids()) busy += src.process(pid)?.cpuNs ?? 0n;
  const up = src.uptimeNs();
  const user = busy / NS_PER_TICK;
  const all = up / NS_PER_TICK;
  return { user, idle: all > user ? all - user : 0n };
}

/** /proc/stat: CPU time (guest time as user time, the rest idle), boot time, processes. */
export function statText(src: ProcSource): string {
  const { user, idle } = cpuTicks(src);
  const cpu = `${user} 0 0 ${idle} 0 0 0 0 0 0`;
  const load = src.load();
  return (
    `cpu  ${cpu}\ncpu0 ${cpu}\nintr 0\nctxt 0\nbtime ${src.bootTimeSec()}\n` +
    `processes ${load.lastPid}\nprocs_running ${load.running}\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n`
  );
}

function seconds(ns: bigint): string {
  const cs = ns / 10_000_000n;
  return `${cs / 100n}.${String(cs % 100n).padStart(2, "0")}`;
}

/** /proc/uptime: seconds since boot, and seconds the CPU was idle. */
export function uptimeText(src: ProcSource): string {
  const up = src.uptimeNs();
  const { idle } = cpuTicks(src);
  return `${seconds(up)} ${seconds(idle * NS_PER_TICK)}\n`;
}

/** /proc/loadavg: the averages are not kept (0.00); runnable/total tasks and the last pid are real. */
export function loadavgText(src: ProcSource): string {
  const l = src.load();
  return `0.00 0.00 0.00 ${l.running}/${l.total} ${l.lastPid}\n`;
}

/** A path as /proc/mounts escapes it (space, tab, newline and backslash in octal). */
function escapePath(p: string): string {
  return p.replace(/[ \t\n\\]/g, (c) => "\\" + c.charCodeAt(0).toString(8).padStart(3, "0"));
}

function options(m: ProcMount): string {
  return m.readOnly ? "ro,relatime" : "rw,relatime";
}

/** /proc/mounts (/proc/PID/mounts): source, mount point, type, options. */
export function mountsText(src: ProcSource): string {
  return src.mounts().map((m) => `${m.source} ${escapePath(m.guest)} ${m.fstype} ${options(m)} 0 0\n`).join("");
}

/** /proc/PID/mountinfo: every mount shows its own root ("/"), never the host path behind it. */
export function mountinfoText(src: ProcSource): string {
  return src
    .mounts()
    .map((m) => `${m.id} ${m.parent} 0:${m.id} / ${escapePath(m.guest)} ${options(m)} - ${m.fstype} ${m.source} ${m.readOnly ? "ro" : "rw"}\n`)
    .join("");
}

/** /proc/filesystems: the types the mounts show. */
export function filesystemsText(): string {
  return "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\n\text4\n";
}
