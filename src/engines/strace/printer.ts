// Line assembly for the strace printer: the leader (pid prefix, -t/-tt/-ttt and -r stamps), the
// return column (-a), -T's " <0.000123>", and strace's way of interleaving several tasks:
//
//   [pid  1001] read(0,  <unfinished ...>
//   [pid  1000] write(1, "x", 1)          = 1
//   [pid  1001] <... read resumed>"y", 10) = 1
//
// strace prints a call's first half at entry and the rest at exit. This printer keeps the first
// half (and the leader, stamped at entry) until the exit, and writes it early, cut with
// " <unfinished ...>", only when another task's output comes in between: the bytes are the same
// as strace's, and a single task never sees a cut. With -e status= filtering strace stages whole
// lines until the exit, so nothing is cut then; with -ff every task has a file of its own.
//
// Widths count bytes, as strace's curcol does.
import type { Performance as NodePerformance } from "node:perf_hooks";

/** Where trace text goes: stderr, a file, or a test's buffer. */
export interface TraceSink {
  write(text: string): void;
  /** Pushes out anything buffered (before the guest may write to the same place). */
  flush(): void;
  close(): void;
}

/** Seconds precision of a time stamp: digits after the point (s=0, ms=3, us=6, ns=9). */
export type Precision = 0 | 3 | 6 | 9;

/** The clocks the printer and the summary read; the CLI gives the host's, tests give fixed ones. */
export interface TraceClock {
  /** CLOCK_REALTIME in ns (for -t). */
  realtimeNs(): bigint;
  /** CLOCK_MONOTONIC in ns (for -r, -T and -c -w). */
  monotonicNs(): bigint;
  /**
   * Time rvtrace has been busy so far, in ns: the monotonic clock less the time its event loop sat
   * idle waiting for the host (stdin, timers). Between a syscall's entry and exit this is the
   * emulated kernel's CPU time, the analogue of the system time strace's -c counts; -w counts the
   * wall-clock latency instead.
   */
  cpuNs(): bigint;
  /** -t and -tt show UTC rather than the host's time zone (for repeatable traces). */
  utc?: boolean;
}

/** The epoch time of hrtime 0, so that realtime stamps advance with the monotonic clock. */
const realtimeOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Node's global performance object (the same as node:perf_hooks', whose import is not free). */
const nodePerformance = performance as unknown as NodePerformance;

export const hostClock: TraceClock = {
  realtimeNs: () => realtimeOffset + process.hrtime.bigint(),
  monotonicNs: () => process.hrtime.bigint(),
  cpuNs: () => process.hrtime.bigint() - BigInt(Math.round(nodePerformance.eventLoopUtilization().idle * 1e6)),
};

export interface PrinterOptions {
  /** The return column (-a). */
  acolumn: number;
  /** -t/-tt/-ttt: "time" prints local HH:MM:SS, "unix" seconds since the epoch. */
  absolute: { format: "time" | "unix"; precision: Precision } | null;
  /** -r: time since the previous line's leader. */
  relative: Precision | null;
  /** The pid column: "[pid %5u] " when several tasks share stderr, "%-5u " in a -f -o file. */
  pidColumn: "none" | "auto" | "always";
  /** -ff: one sink per task, never cut. */
  separate: boolean;
  /** -e status= filtering: whole lines are staged until the exit, never cut. */
  staged: boolean;
}

const NS = 1_000_000_000n;

/** A duration or time as "S.FFFFFF" with `precision` fraction digits (truncated, as strace does). */
export function formatSeconds(ns: bigint, precision: Precision, secWidth = 0): string {
  const n = ns < 0n ? 0n : ns;
  const sec = String(n / NS).padStart(secWidth);
  if (precision === 0) return sec;
  const frac = (n % NS) / 10n ** BigInt(9 - precision);
  return `${sec}.${String(frac).padStart(precision, "0")}`;
}

/** strftime("%T") in local time, or in UTC. */
function clockTime(ns: bigint, utc = false): string {
  const d = new Date(Number(ns / 1_000_000n));
  const two = (n: number) => String(n).padStart(2, "0");
  if (utc) return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The byte length of text (strace's curcol). */
function width(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : Buffer.byteLength(s, "utf8");
}

/** A call whose first half strace would have printed at its entry. */
interface Entered {
  name: string;
  /** The leader as stamped at entry. */
  leader: string;
  /** The first half: "name(args" as known at entry. */
  partial: () => string;
  /** The line was cut with " <unfinished ...>": the exit prints "<... name resumed>". */
  cut: boolean;
}

export class LinePrinter {
  /** The task whose call line strace would have left open (entered, first half printed). */
  private openTid: number | null = null;
  private readonly entered = new Map<number, Entered>();
  private lastRelative: bigint | null = null;

  constructor(
    private readonly opts: PrinterOptions,
    private readonly sinkFor: (tid: number) => TraceSink,
    private readonly clock: TraceClock,
    /** How many tasks are traced now (the "[pid N]" column appears when more than one). */
    private readonly taskCount: () => number,
  ) {}

  /** strace's printleader: the pid column and the time stamps (reading the clocks now). */
  leader(tid: number): string {
    let s = "";
    const o = this.opts;
    if (o.pidColumn === "always") s += `${String(tid).padEnd(5)} `;
    else if (o.pidColumn === "auto" && this.taskCount() > 1) s += `[pid ${String(tid).padStart(5)}] `;
    if (o.absolute) {
      const now = this.clock.realtimeNs();
      const head = o.absolute.format === "unix" ? String(now / NS) : clockTime(now, this.clock.utc);
      s += o.absolute.precision ? `${head}.${formatSeconds(now, o.absolute.precision).split(".")[1]} ` : `${head} `;
    }
    if (o.relative !== null) {
      const now = this.clock.monotonicNs();
      const prev = this.lastRelative ?? now;
      this.lastRelative = now;
      const d = formatSeconds(now - prev, o.relative, 6);
      s += o.absolute ? `(+${d}) ` : `${d} `;
    }
    return s;
  }

  /** A traced call entered: stamps its leader and remembers its first half. */
  enter(tid: number, name: string, partial: () => string): void {
    const leader = this.leader(tid);
    this.maybeCut(tid);
    this.entered.set(tid, { name, leader, partial, cut: false });
    this.openTid = tid;
  }

  /** Forgets a call without printing it (filtered out by -e status=, or not shown). */
  drop(tid: number): void {
    this.entered.delete(tid);
    if (this.openTid === tid) this.openTid = null;
  }

  /** True when tid has a call entered and not yet finished. */
  has(tid: number): boolean {
    return this.entered.has(tid);
  }

  /**
   * A call finished: `call` is "name(args)", `ret` is "= value…"; `suffix` goes after the value
   * (-T). Prints the line, or "<... name resumed>rest" if the first half was cut.
   */
  finish(tid: number, call: string, ret: string, suffix = ""): void {
    const e = this.entered.get(tid);
    this.entered.delete(tid);
    let head: string;
    if (!e || e.cut) {
      if (this.openTid !== tid) this.maybeCut(tid);
      const name = e?.name ?? call.slice(0, call.indexOf("("));
      head = `${this.leader(tid)}<... ${name} resumed>${restAfter(call, e ? e.partial() : `${name}(`)}`;
    } else {
      head = e.leader + call;
    }
    if (this.openTid === tid) this.openTid = null;
    this.sinkFor(tid).write(this.align(head, ret) + suffix + "\n");
  }

  /**
   * A call that does not return (exit, exit_group, or a task killed inside a syscall): ") = ?",
   * with " <unfinished ...>" before it unless the call was wholly decoded at entry.
   */
  finishNoReturn(tid: number, decodedAtEntry: boolean): void {
    const e = this.entered.get(tid);
    if (!e) return;
    this.entered.delete(tid);
    const tail = decodedAtEntry ? ")" : " <unfinished ...>)";
    let head: string;
    if (this.openTid !== null && this.openTid !== tid) this.maybeCut(tid);
    if (e.cut) head = `${this.leader(tid)}<... ${e.name} resumed>${tail}`;
    else head = e.leader + e.partial() + tail;
    if (this.openTid === tid) this.openTid = null;
    this.sinkFor(tid).write(this.align(head, "= ?") + "\n");
  }

  /** A line of its own ("--- SIGSEGV {...} ---", "+++ exited with 0 +++"). */
  line(tid: number, text: string): void {
    this.maybeCut(tid);
    this.sinkFor(tid).write(this.leader(tid) + text + "\n");
  }

  /**
   * A task's id changed (a thread's exec took over the leader's tid). A call line still open under
   * the old id ends there with " <pid changed to NEW ...>", as strace ends it; the call goes on
   * under the new id.
   */
  rekey(from: number, to: number): void {
    const e = this.entered.get(from);
    if (!e) return;
    this.entered.delete(from);
    if (!e.cut && !this.opts.staged) {
      e.cut = true;
      this.sinkFor(from).write(`${e.leader}${e.partial()} <pid changed to ${to} ...>\n`);
    }
    if (this.openTid === from) this.openTid = null;
    this.entered.set(to, e);
  }

  /** Text without a leader (the summary table). */
  raw(tid: number, text: string): void {
    this.maybeCut(tid);
    this.sinkFor(tid).write(text);
  }

  /**
   * strace's printleader rule: an open line is cut when output for the same task follows it, or
   * output for another task shares its log and the line is not staged (-e status=).
   */
  private maybeCut(tid: number): void {
    if (this.openTid === null) return;
    if (this.openTid === tid || (!this.opts.separate && !this.opts.staged)) this.cutOpen();
  }

  /** Writes the open call's first half, cut with " <unfinished ...>". */
  private cutOpen(): void {
    const tid = this.openTid;
    if (tid === null) return;
    this.openTid = null;
    const e = this.entered.get(tid);
    if (!e || e.cut) return;
    e.cut = true;
    this.sinkFor(tid).write(`${e.leader}${e.partial()} <unfinished ...>\n`);
  }

  /** "head ) " padded so that "=" lands at the return column. */
  private align(head: string, ret: string): string {
    const col = width(head) + 1;
    const pad = col < this.opts.acolumn ? " ".repeat(this.opts.acolumn - col) : "";
    return `${head} ${pad}${ret}`;
  }
}

/** What follows the first half in a finished call; the decoder's halves normally agree. */
function restAfter(call: string, partial: string): string {
  if (call.startsWith(partial)) return call.slice(partial.length);
  const open = call.indexOf("(");
  return open >= 0 ? call.slice(open + 1) : call;
}

/**
 * Splits the decoder's "name(args) = ret" into the call and the return text. The call ends at
 * the ")" that closes "name(", found by skipping quoted strings, "<...>" fd decorations (-y) and
 * "/* ... *\/" comments, and balancing brackets; the return text starts at the "=" after it.
 */
export function splitCallLine(line: string): { call: string; ret: string } {
  const open = line.indexOf("(");
  if (open >= 0) {
    let depth = 0;
    for (let i = open; i < line.length; i++) {
      const c = line[i];
      if (c === '"') {
        i++;
        while (i < line.length && line[i] !== '"') i += line[i] === "\\" ? 2 : 1;
        continue;
      }
      if (c === "/" && line[i + 1] === "*") {
        const end = line.indexOf("*/", i + 2);
        if (end < 0) break;
        i = end + 1;
        continue;
      }
      if (c === "<" && i > 0 && /[0-9]/.test(line[i - 1])) {
        // An fd's path (-y): runs to the next unescaped ">".
        i++;
        while (i < line.length && line[i] !== ">") i += line[i] === "\\" ? 2 : 1;
        continue;
      }
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        depth--;
        if (depth === 0) {
          if (c !== ")") break;
          const rest = line.slice(i + 1);
          const m = /^ +(=.*)$/s.exec(rest);
          if (m) return { call: line.slice(0, i + 1), ret: m[1] };
          break;
        }
      }
    }
  }
  // Not shaped as expected: split at the last " = ".
  const at = line.lastIndexOf(" = ");
  if (at < 0) return { call: line, ret: "= ?" };
  return { call: line.slice(0, at), ret: line.slice(at + 1) };
}
