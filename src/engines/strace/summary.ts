// The -c / -C summary table, laid out as strace's count.c lays it out: the default columns
//
//   % time     seconds  usecs/call     calls    errors syscall
//   ------ ----------- ----------- --------- --------- ----------------
//    55.32    0.000723          23        31        13 openat
//   ------ ----------- ----------- --------- --------- ----------------
//   100.00    0.001307          22        57        13 total
//
// with the historical minimum widths (seconds 11, usecs/call 11, calls 9, errors 9, syscall 16
// left-aligned and unpadded when last), widened to fit the totals; an error count of 0 prints as
// blanks (printf's "%*.0lu"); -S picks the sort key and -U the columns. Ties keep syscall-number
// order (glibc's qsort is a stable merge sort). Times are nanoseconds: the CPU time rvtrace spent
// between a syscall's entry and exit reports, or its wall-clock latency with -w.
import { FilterError } from "./filter.js";

export type SummaryColumn = "time-percent" | "total-time" | "min-time" | "max-time" | "avg-time" | "calls" | "errors" | "name";
export type SortKey = SummaryColumn | "nothing";

/** Spellings strace accepts for columns and sort keys (count.c's column_aliases). */
const ALIASES: Record<string, SortKey> = {
  time: "time-percent", time_percent: "time-percent", "time-percent": "time-percent",
  time_total: "total-time", "time-total": "total-time", total_time: "total-time", "total-time": "total-time",
  min_time: "min-time", "min-time": "min-time", shortest: "min-time", time_min: "min-time", "time-min": "min-time",
  longest: "max-time", max_time: "max-time", "max-time": "max-time", time_max: "max-time", "time-max": "max-time",
  avg_time: "avg-time", "avg-time": "avg-time", time_avg: "avg-time", "time-avg": "avg-time",
  calls: "calls", count: "calls",
  error: "errors", errors: "errors",
  name: "name", syscall: "name", syscall_name: "name", "syscall-name": "name",
  none: "nothing", nothing: "nothing",
};

export const DEFAULT_COLUMNS: readonly SummaryColumn[] = ["time-percent", "total-time", "avg-time", "calls", "errors", "name"];

/** Parses -S SORTBY. */
export function parseSortKey(spec: string): SortKey {
  const key = Object.hasOwn(ALIASES, spec) ? ALIASES[spec] : undefined;
  if (key === undefined) throw new FilterError(`invalid sortby: '${spec}'`);
  return key;
}

/** Parses -U COLUMNS: a comma-separated list; the name column is always shown. */
export function parseColumns(spec: string): SummaryColumn[] {
  const out: SummaryColumn[] = [];
  const parts = spec.split(",");
  for (let i = 0; i < parts.length; i++) {
    const key = Object.hasOwn(ALIASES, parts[i]) ? ALIASES[parts[i]] : undefined;
    if (key === undefined || key === "nothing") throw new FilterError(`unknown column name: '${parts[i]}'`);
    if (out.includes(key)) {
      const residual = parts.slice(i).join(",");
      throw new FilterError(`call summary column has been provided more than once: '${parts[i]}' (-U option residual: '${residual}')`);
    }
    out.push(key);
  }
  if (!out.includes("name")) out.push("name");
  return out;
}

interface Counts {
  nr: number;
  name: string;
  calls: number;
  errors: number;
  time: bigint;
  min: bigint;
  max: bigint;
}

/** One row of the summary, for --json. */
export interface SummaryRow {
  name: string;
  calls: number;
  errors: number;
  seconds: number;
  usecsPerCall: number;
  minSeconds: number;
  maxSeconds: number;
  percent: number;
}

const NS = 1_000_000_000n;

/** strace's ts_float: a timespec as seconds. */
function seconds(ns: bigint): number {
  return Number(ns / NS) + Number(ns % NS) / 1e9;
}

/** (uint64_t) (ts_float(avg) * 1e6), with ts_div's integer division. */
function usecs(ns: bigint, calls: number): number {
  if (calls === 0) return 0;
  return Math.trunc(seconds(ns / BigInt(calls)) * 1e6);
}

export class CallCounter {
  private readonly counts = new Map<number, Counts>();

  /** Counts one finished syscall: its time (ns) and whether it failed. */
  record(nr: number, name: string, ns: bigint, error: boolean): void {
    const t = ns < 0n ? 0n : ns;
    let c = this.counts.get(nr);
    if (!c) {
      c = { nr, name, calls: 0, errors: 0, time: 0n, min: t, max: t };
      this.counts.set(nr, c);
    }
    c.calls++;
    if (error) c.errors++;
    c.time += t;
    if (t < c.min) c.min = t;
    if (t > c.max) c.max = t;
  }

  get empty(): boolean {
    return this.counts.size === 0;
  }

  private sorted(sortBy: SortKey): Counts[] {
    const rows = [...this.counts.values()].sort((a, b) => a.nr - b.nr);
    const desc = (f: (c: Counts) => bigint | number) => (a: Counts, b: Counts) => {
      const x = f(a);
      const y = f(b);
      return x < y ? 1 : x > y ? -1 : 0;
    };
    switch (sortBy) {
      case "time-percent":
      case "total-time":
        return rows.sort(desc((c) => c.time));
      case "min-time":
        return rows.sort(desc((c) => c.min));
      case "max-time":
        return rows.sort(desc((c) => c.max));
      case "avg-time":
        return rows.sort(desc((c) => c.time / BigInt(c.calls)));
      case "calls":
        return rows.sort(desc((c) => c.calls));
      case "errors":
        return rows.sort(desc((c) => c.errors));
      case "name":
        return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      case "nothing":
        return rows;
    }
  }

  /** The rows and totals as numbers (for --json). */
  rows(sortBy: SortKey): { rows: SummaryRow[]; total: SummaryRow } {
    const list = this.sorted(sortBy);
    const total = this.totals(list);
    const cum = seconds(total.time);
    const row = (c: Counts, percent: number): SummaryRow => ({
      name: c.name,
      calls: c.calls,
      errors: c.errors,
      seconds: seconds(c.time),
      usecsPerCall: usecs(c.time, c.calls),
      minSeconds: seconds(c.min),
      maxSeconds: seconds(c.max),
      percent,
    });
    return {
      rows: list.map((c) => {
        const p = 100 * seconds(c.time);
        return row(c, p !== 0 ? p / cum : 0);
      }),
      total: { ...row({ ...total, nr: -1, name: "total" }, 100), usecsPerCall: total.calls ? Math.trunc((cum / total.calls) * 1e6) : 0 },
    };
  }

  private totals(list: Counts[]): Counts & { minMax: bigint; avgMax: bigint } {
    let time = 0n;
    let calls = 0;
    let errors = 0;
    let min: bigint | null = null;
    let max = 0n;
    let minMax = 0n;
    let avgMax = 0n;
    for (const c of list) {
      time += c.time;
      calls += c.calls;
      errors += c.errors;
      if (min === null || c.min < min) min = c.min;
      if (c.max > max) max = c.max;
      if (c.min > minMax) minMax = c.min;
      const avg = c.time / BigInt(c.calls);
      if (avg > avgMax) avgMax = avg;
    }
    return { nr: -1, name: "total", calls, errors, time, min: min ?? 0n, max, minMax, avgMax };
  }

  /** The table as strace prints it, or "" when no syscall was counted. */
  render(columns: readonly SummaryColumn[] = DEFAULT_COLUMNS, sortBy: SortKey = "time-percent"): string {
    if (this.counts.size === 0) return "";
    const list = this.sorted(sortBy);
    const t = this.totals(list);
    const cum = seconds(t.time);
    const len = (s: string) => s.length;
    const nameMax = Math.max(...list.map((c) => c.name.length));
    const spec: Record<SummaryColumn, { title: string; width: number; left?: boolean }> = {
      "time-percent": { title: "% time", width: Math.max(6, 6) },
      "total-time": { title: "seconds", width: Math.max(11, len(cum.toFixed(6))) },
      "min-time": { title: "shortest", width: Math.max(8, len(`${t.minMax / NS}.000000`)) },
      "max-time": { title: "longest", width: Math.max(7, len(`${t.max / NS}.000000`)) },
      "avg-time": { title: "usecs/call", width: Math.max(11, len(String(Math.trunc(seconds(t.avgMax) * 1e6)))) },
      calls: { title: "calls", width: Math.max(9, len(String(t.calls))) },
      errors: { title: "errors", width: Math.max(9, len(String(t.errors))) },
      name: { title: "syscall", width: Math.max(16, nameMax + 1), left: true },
    };
    const last = columns.length - 1;
    const cell = (i: number, text: string): string => {
      const s = spec[columns[i]];
      if (s.left) return i === last ? text : text.padEnd(s.width);
      return text.padStart(s.width);
    };
    const line = (cells: string[]) => cells.join(" ") + "\n";
    const divider = line(columns.map((c) => "-".repeat(spec[c].width)));
    const value = (col: SummaryColumn, c: Counts, percent: number, avg: number): string => {
      switch (col) {
        case "time-percent": return percent.toFixed(2);
        case "total-time": return seconds(c.time).toFixed(6);
        case "min-time": return seconds(c.min).toFixed(6);
        case "max-time": return seconds(c.max).toFixed(6);
        case "avg-time": return String(avg);
        case "calls": return String(c.calls);
        case "errors": return c.errors === 0 ? "" : String(c.errors);
        case "name": return c.name;
      }
    };
    let out = line(columns.map((c, i) => cell(i, spec[c].title)));
    out += divider;
    for (const c of list) {
      let percent = 100 * seconds(c.time);
      if (percent !== 0) percent /= cum;
      const avg = usecs(c.time, c.calls);
      out += line(columns.map((col, i) => cell(i, value(col, c, percent, avg))));
    }
    out += divider;
    const totalAvg = Math.trunc((cum / t.calls) * 1e6);
    out += line(columns.map((col, i) => cell(i, value(col, t, 100, totalAvg))));
    return out;
  }
}
