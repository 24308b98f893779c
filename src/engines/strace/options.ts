// The command line of `rvtrace trace`, strace's way: short options that cluster (-ff, -ttT,
// -a36, -etrace=open, -ofile), long options with "=" or a following argument, -e QUALIFIER=SET,
// and the first non-option word starting the program (getopt's "+" mode; "--" also ends options).
//
// Options come in groups (TraceOptionGroup), each in a file of its own: the strace printer's
// here, `run`'s in src/cli/trace.ts, and later fault injection, policies, --remap and --engine.
// A group's options change the parse context: the printer's settings, the run settings, or the
// group's own state in `ctx.ext`, and may add engines to `ctx.engines`, which the CLI attaches
// around the printer. An option strace has and no group implements is refused by name
// ("rvtrace: -k is not supported"), never silently ignored.
import type { Task } from "../../kernel/task.js";
import type { Process } from "../../kernel/process.js";
import type { Kernel, KernelOptions } from "../../kernel/kernel.js";
import type { Utrace } from "../../utrace/utrace.js";
import {
  FilterError, NumberSet, CallStatus, parseSyscallSet, parseSignalSet, parseStatusSet, parseQuietSet,
  parseDecodeFds,
} from "./filter.js";
import { DEFAULT_COLUMNS, parseColumns, parseSortKey, type SortKey, type SummaryColumn } from "./summary.js";
import type { Precision } from "./printer.js";

/** A bad command line: one line for a person, exit status 2. */
export class TraceUsageError extends Error {}

/** What the strace printer is asked to do (strace's globals, as one object). */
export interface StraceSettings {
  /** -e trace=: the syscalls shown. */
  trace: NumberSet;
  /** -e abbrev= / -v: the syscalls whose structures are abbreviated. */
  abbrev: NumberSet;
  /** -e signal=: the signals shown (and "+++ killed by" lines). */
  signals: NumberSet;
  /** -e status=, -z, -Z: the outcomes shown (CallStatus numbers). */
  status: NumberSet;
  /** -q, -e quiet=: the messages suppressed (Quiet numbers). */
  quiet: NumberSet;
  /** -f: follow clones. */
  follow: boolean;
  /** -ff / --output-separately: with -o, one FILE.pid per task. */
  separate: boolean;
  /** -o FILE (null: stderr). */
  output: string | null;
  /** -A: append to the -o file. */
  append: boolean;
  /** -s: string limit. */
  stringLimit: number;
  /** -x / -xx. */
  hexStrings: 0 | 1 | 2;
  /** -X. */
  constStyle: "abbrev" | "raw" | "verbose";
  /** -y. */
  decodeFds: boolean;
  /** -a: the return column. */
  acolumn: number;
  /** -T: time spent in each syscall, with this precision. */
  syscallTimes: Precision | null;
  /** -t, -tt, -ttt, --absolute-timestamps. */
  absolute: { format: "time" | "unix"; precision: Precision } | null;
  /** -r. */
  relative: Precision | null;
  /** -c: only the summary; -C: trace and summary. */
  summary: "none" | "only" | "both";
  /** -w: the summary counts wall-clock latency instead of CPU time. */
  summaryWall: boolean;
  /** -S. */
  sortBy: SortKey;
  /** -U. */
  columns: readonly SummaryColumn[];
  /** --json: one JSON object per event instead of strace's lines. */
  json: boolean;
  /** --trace-inner: attach the printer first (innermost), to show what really ran beneath every engine. */
  inner: boolean;
}

export function defaultStraceSettings(): StraceSettings {
  return {
    trace: NumberSet.all(),
    abbrev: NumberSet.all(),
    signals: NumberSet.all(),
    status: NumberSet.all(),
    quiet: new NumberSet(),
    follow: false,
    separate: false,
    output: null,
    append: false,
    stringLimit: 32,
    hexStrings: 0,
    constStyle: "abbrev",
    decodeFds: false,
    acolumn: 40,
    syscallTimes: null,
    absolute: null,
    relative: null,
    summary: "none",
    summaryWall: false,
    sortBy: "time-percent",
    columns: DEFAULT_COLUMNS,
    json: false,
    inner: false,
  };
}

/** How the guest is started (the options `rvtrace run` has, and strace's -E and --argv0). */
export interface RunSettings {
  /** Environment edits in order: "K=V" sets, "K" (from -E K) removes. */
  env: string[];
  clearEnv: boolean;
  /** The sandbox's shape: mounts and limits (src/cli/sandbox-options.ts). */
  sandbox: KernelOptions;
  /** List the unimplemented syscalls met (run's --verbose). */
  verbose: boolean;
  /** Print the instruction count and speed (run's --stats). */
  stats: boolean;
  /** --argv0: the guest's argv[0]. */
  argv0?: string;
}

/** What an engine slot sees when the traced program starts. */
export interface TraceSession {
  readonly kernel: Kernel;
  readonly utrace: Utrace;
  /** The traced process (the first one). */
  readonly process: Process;
  readonly settings: StraceSettings;
  /** Adds a note to the printed line of the task's current syscall, e.g. "INJECTED" → " (INJECTED)". */
  note(task: Task, note: string): void;
  /** One line of rvtrace's own diagnostics (stderr). */
  diagnostics(line: string): void;
}

/** An engine the CLI attaches to each traced task, in the order of ctx.engines. */
export interface EngineSlot {
  /** For diagnostics. */
  name: string;
  /**
   * Which tasks: "traced" follows clones only with -f, as the printer does; "always" follows every
   * clone (a sandbox policy must cover every task).
   */
  follow: "traced" | "always";
  /** Attaches the engine to a task (the first one, then clones). Throwing stops rvtrace. */
  attach(session: TraceSession, task: Task): void;
  /** After the traced program ended: summaries, reports. */
  finish?(session: TraceSession): void;
}

/** Where options put what they parse. */
export interface TraceOptionContext {
  readonly settings: StraceSettings;
  readonly run: RunSettings;
  /**
   * Engines attached to each task in this order. The printer is not in the list: the CLI puts it
   * after them (nearest the guest), or before them with --trace-inner.
   */
  readonly engines: EngineSlot[];
  /** A group's own state, by the group's name. */
  readonly ext: Map<string, unknown>;
  /** How many times each option was given, by its canonical spelling ("-t" for -tt counts 2). */
  readonly counts: Map<string, number>;
}

export type ArgMode = "none" | "required" | "optional";

export interface TraceOption {
  /** One letter: -x. */
  short?: string;
  /** Long spellings without the dashes. */
  long?: readonly string[];
  /** Names after -e (-e NAME=VALUE). */
  qualifier?: readonly string[];
  /** Whether a value follows; "optional" values only come with "=" (--name=value). */
  arg: ArgMode;
  /** The value's name in the help text. */
  valueName?: string;
  help: string;
  /** Applies the option; throws TraceUsageError (or FilterError) with a one-line message. */
  apply(ctx: TraceOptionContext, value: string | undefined, spelling: string): void;
}

export interface TraceOptionGroup {
  title: string;
  /**
   * The help section of the group's options that SECTION_OF does not place (strace's sections,
   * TRACE_SECTIONS, or a name of the group's own); default: the title.
   */
  section?: string;
  options: readonly TraceOption[];
  /** Runs after every option is parsed: derived settings and cross-checks. */
  finish?(ctx: TraceOptionContext): void;
  /**
   * After parsing, before the program is spawned: asynchronous preparation (loading modules). A
   * TraceUsageError stops rvtrace with its one-line message and status 2.
   */
  prepare?(ctx: TraceOptionContext): Promise<void> | void;
  /**
   * Right after the spawn, before any guest instruction has run: engine slots made now (with the
   * session), attached after ctx.engines and before the printer (or after it with --trace-inner);
   * `release` runs once every slot is attached (to let go of a guest held meanwhile). A
   * TraceUsageError kills the guest and stops rvtrace with status 2.
   */
  start?(session: TraceSession, ctx: TraceOptionContext): Promise<StartedSlots> | StartedSlots;
}

/** What a group's start hook gives. */
export interface StartedSlots {
  slots: readonly EngineSlot[];
  release?(): void;
}

/** strace options rvtrace does not have, by spelling: refused with "rvtrace: -k is not supported". */
export const UNSUPPORTED = {
  short: "bdDFiIknNOpPuY",
  long: [
    "detach-on", "debug", "daemonize", "daemonised", "daemonized", "instruction-pointer", "interruptible",
    "kill-on-exit", "stack-traces", "stack-trace", "stack-trace-frame-limit", "syscall-limit", "syscall-number",
    "summary-syscall-overhead", "attach", "trace-path", "user", "decode-pids", "pidns-translation", "seccomp-bpf",
    "tips", "secontext", "trace-fds", "raw", "read", "write", "fault", "inject", "kvm", "arg-names", "color",
    "colour",
  ],
  qualifier: [
    "trace-fds", "raw", "x", "verbose", "v", "read", "reads", "r", "write", "writes", "w", "fault", "inject", "kvm",
    "decode-pid", "decode-pids", "secontext",
  ],
} as const;

// ------------------------------------------------------------------------------------------------
// The parser.

interface Found {
  option: TraceOption;
  spelling: string;
}

/** Indexes the groups' spellings; a spelling claimed twice is a programming error. */
class OptionIndex {
  readonly short = new Map<string, TraceOption>();
  readonly long = new Map<string, TraceOption>();
  readonly qualifier = new Map<string, TraceOption>();

  constructor(readonly groups: readonly TraceOptionGroup[]) {
    for (const g of groups) {
      for (const o of g.options) {
        if (o.short) this.claim(this.short, o.short, o, "-");
        for (const l of o.long ?? []) this.claim(this.long, l, o, "--");
        for (const q of o.qualifier ?? []) this.claim(this.qualifier, q, o, "-e ");
      }
    }
  }

  private claim(map: Map<string, TraceOption>, key: string, o: TraceOption, prefix: string): void {
    if (map.has(key)) throw new Error(`trace option ${prefix}${key} is defined twice`);
    map.set(key, o);
  }
}

export interface ParsedTraceArgs {
  ctx: TraceOptionContext;
  program: string;
  args: string[];
  /** -h or -V was given: print this and exit 0. */
  print?: string;
}

export function newTraceContext(): TraceOptionContext {
  return {
    settings: defaultStraceSettings(),
    run: { env: [], clearEnv: false, sandbox: {}, verbose: false, stats: false },
    engines: [],
    ext: new Map(),
    counts: new Map(),
  };
}

/** What -h and -V print besides the options (the command's examples, its version), made on demand. */
export interface TraceHelpTexts {
  /** Appended to the help text. */
  helpTail?: () => string;
  /** The -V text. */
  version?: () => string;
}

const DEFAULT_VERSION = "rvtrace trace -- strace-compatible tracing for riscv64 guests\n";

/** Parses `rvtrace trace` arguments (after the word "trace"). Throws TraceUsageError. */
export function parseTraceArgs(
  argv: readonly string[], groups: readonly TraceOptionGroup[], texts: TraceHelpTexts = {},
): ParsedTraceArgs {
  const help = (): string => usage(groups) + (texts.helpTail?.() ?? "");
  const version = (): string => texts.version?.() ?? DEFAULT_VERSION;
  const index = new OptionIndex(groups);
  const ctx = newTraceContext();
  const apply = (f: Found, value: string | undefined): void => {
    ctx.counts.set(canonical(f.option), (ctx.counts.get(canonical(f.option)) ?? 0) + 1);
    try {
      f.option.apply(ctx, value, f.spelling);
    } catch (e) {
      if (e instanceof FilterError) throw new TraceUsageError(e.message);
      throw e;
    }
  };
  let i = 0;
  let print: string | undefined;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (name === "help") return { ctx, program: "", args: [], print: help() };
      if (name === "version") return { ctx, program: "", args: [], print: version() };
      const option = index.long.get(name);
      if (!option) {
        if ((UNSUPPORTED.long as readonly string[]).includes(name)) throw new TraceUsageError(`--${name} is not supported`);
        throw new TraceUsageError(`unrecognized option '--${name}'`);
      }
      let value = inline;
      if (option.arg === "none" && inline !== undefined) throw new TraceUsageError(`option '--${name}' doesn't allow an argument`);
      if (option.arg === "required" && value === undefined) {
        if (i + 1 >= argv.length) throw new TraceUsageError(`option '--${name}' requires an argument`);
        value = argv[++i];
      }
      apply({ option, spelling: `--${name}` }, value);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === "h") print ??= help();
      if (c === "V") print ??= version();
      if (c === "h" || c === "V") continue;
      const option = index.short.get(c);
      if (!option) {
        if (UNSUPPORTED.short.includes(c)) throw new TraceUsageError(`-${c} is not supported`);
        throw new TraceUsageError(`invalid option -- '${c}'`);
      }
      if (option.arg === "required") {
        let value = a.slice(j + 1);
        if (value === "") {
          if (i + 1 >= argv.length) throw new TraceUsageError(`option requires an argument -- '${c}'`);
          value = argv[++i];
        }
        if (c === "e") applyQualifier(index, value, apply);
        else apply({ option, spelling: `-${c}` }, value);
        break;
      }
      apply({ option, spelling: `-${c}` }, undefined);
    }
  }
  if (print !== undefined) return { ctx, program: "", args: [], print };
  for (const g of groups) {
    try {
      g.finish?.(ctx);
    } catch (e) {
      if (e instanceof FilterError) throw new TraceUsageError(e.message);
      throw e;
    }
  }
  if (i >= argv.length) throw new TraceUsageError("must have PROG [ARGS]");
  return { ctx, program: argv[i], args: argv.slice(i + 1) };
}

/** -e NAME=VALUE, or -e VALUE meaning trace=VALUE (as strace's qualify() reads it). */
function applyQualifier(index: OptionIndex, expr: string, apply: (f: Found, v: string | undefined) => void): void {
  const eq = expr.indexOf("=");
  const name = eq < 0 ? "" : expr.slice(0, eq);
  const option = eq < 0 ? undefined : index.qualifier.get(name);
  if (option) {
    apply({ option, spelling: `-e ${name}` }, expr.slice(eq + 1));
    return;
  }
  if (eq >= 0 && (UNSUPPORTED.qualifier as readonly string[]).includes(name)) {
    throw new TraceUsageError(`-e ${name} is not supported`);
  }
  const trace = index.qualifier.get("trace");
  if (!trace) throw new TraceUsageError(`invalid -e expression '${expr}'`);
  apply({ option: trace, spelling: "-e trace" }, expr);
}

function canonical(o: TraceOption): string {
  return o.short ? `-${o.short}` : `--${o.long?.[0] ?? o.qualifier?.[0] ?? "?"}`;
}

/** strace's help sections, in its order (`strace --help`). */
export const TRACE_SECTIONS = [
  "General", "Startup", "Tracing", "Filtering", "Output format", "Statistics", "Tampering", "Miscellaneous",
] as const;

/** The section of each option in strace's help, by its first spelling (canonical()). */
const SECTION_OF: Readonly<Record<string, string>> = {
  "-e": "General",
  "-E": "Startup", "--argv0": "Startup", "--clear-env": "Startup",
  "-f": "Tracing", "--follow-forks": "Tracing", "--output-separately": "Tracing",
  "--trace": "Filtering", "--signal": "Filtering", "--status": "Filtering", "-z": "Filtering", "-Z": "Filtering",
  "-c": "Statistics", "-C": "Statistics", "-S": "Statistics", "-U": "Statistics", "-w": "Statistics", "--stats": "Statistics",
  "--inject": "Tampering", "--fault": "Tampering", "--deny": "Tampering", "--allow": "Tampering", "--remap": "Tampering",
  "--engine": "Engines", "--trace-inner": "Engines",
  "--verbose": "Miscellaneous",
};

/** strace's own lines for -h and -V, which the parser handles before any group. */
const MISC_LINES = [`${"  -h, --help".padEnd(24)}print this help and exit`, `${"  -V, --version".padEnd(24)}print the version and exit`];

/** One option's help line (two when its spellings are long). */
function helpLine(o: TraceOption): string {
  const names: string[] = [];
  const v = o.valueName ?? "VALUE";
  if (o.short) names.push(o.arg === "required" ? `-${o.short} ${v}` : `-${o.short}`);
  for (const l of o.long ?? []) {
    names.push(o.arg === "required" ? `--${l}=${v}` : o.arg === "optional" && o.valueName ? `--${l}[=${v}]` : `--${l}`);
  }
  for (const q of o.qualifier ?? []) if (q.length > 1) names.push(`-e ${q}=${v}`);
  const head = `  ${names.join(", ")}`;
  return head.length < 23 ? `${head.padEnd(24)}${o.help}\n` : `${head}\n${" ".repeat(24)}${o.help}\n`;
}

/**
 * The help text, from the groups' options, in strace's sections (General, Startup, Tracing, ...):
 * an option goes where strace lists it, or else in its group's section; sections strace does not
 * have follow strace's, before Miscellaneous.
 */
export function usage(groups: readonly TraceOptionGroup[]): string {
  const sections = new Map<string, string[]>(TRACE_SECTIONS.filter((t) => t !== "Miscellaneous").map((t) => [t, []]));
  const misc: string[] = [];
  for (const g of groups) {
    for (const o of g.options) {
      const section = SECTION_OF[canonical(o)] ?? g.section ?? g.title;
      if (section === "Miscellaneous") {
        misc.push(helpLine(o));
        continue;
      }
      if (!sections.has(section)) sections.set(section, []);
      sections.get(section)?.push(helpLine(o));
    }
  }
  let out = "Usage: rvtrace trace [OPTIONS] PROG [ARGS]\n";
  for (const [title, lines] of sections) if (lines.length > 0) out += `\n${title}:\n${lines.join("")}`;
  out += `\nMiscellaneous:\n${misc.join("")}${MISC_LINES.join("\n")}\n`;
  return out;
}

// ------------------------------------------------------------------------------------------------
// The strace printer's options.

/** A non-negative integer option value, as strace's string_to_uint reads it. */
function uint(value: string | undefined, spelling: string, max = 0x7fffffff): number {
  if (value === undefined || !/^[0-9]+$/.test(value) || Number(value) > max) {
    throw new TraceUsageError(`invalid ${spelling} argument: '${value ?? ""}'`);
  }
  return Number(value);
}

/** strace's str2timescale_optarg: s, ms, us, ns (default us). */
function precision(value: string | undefined, spelling: string): Precision {
  switch (value) {
    case undefined:
    case "us":
      return 6;
    case "s":
      return 0;
    case "ms":
      return 3;
    case "ns":
      return 9;
    default:
      throw new TraceUsageError(`invalid ${spelling} argument: '${value}'`);
  }
}

interface TimestampState {
  short: number;
  long: { format: "time" | "unix" | "none"; precision: Precision } | null;
}

function timestampState(ctx: TraceOptionContext): TimestampState {
  let s = ctx.ext.get("strace.timestamps") as TimestampState | undefined;
  if (!s) ctx.ext.set("strace.timestamps", (s = { short: 0, long: null }));
  return s;
}

/** --absolute-timestamps=[[format:]FORMAT][,[precision:]PRECISION], as strace's parse_ts_arg. */
function parseTimestampsArg(value: string, spelling: string, prev: TimestampState["long"]): NonNullable<TimestampState["long"]> {
  let format: "time" | "unix" | "none" | null = null;
  let prec: Precision | null = null;
  for (const raw of value.split(",")) {
    let token = raw;
    let kinds = ["format", "precision"];
    if (/^format:/i.test(token)) {
      token = token.slice(7);
      kinds = ["format"];
    } else if (/^precision:/i.test(token)) {
      token = token.slice(10);
      kinds = ["precision"];
    }
    const lower = token.toLowerCase();
    if (kinds.includes("format") && (lower === "none" || lower === "time" || lower === "unix")) {
      format = lower;
      continue;
    }
    if (kinds.includes("precision") && ["s", "ms", "us", "ns"].includes(lower)) {
      prec = precision(lower, spelling);
      continue;
    }
    throw new TraceUsageError(`invalid ${spelling} argument: '${value}'`);
  }
  return { format: format ?? prev?.format ?? "time", precision: prec ?? prev?.precision ?? 0 };
}

interface FlagState {
  x: number;
  xLong: 0 | 1 | 2 | null;
  y: number;
  yLong: boolean | null;
  q: number;
  quietLong: boolean;
  z: number;
  f: number;
  followLong: boolean;
  separateLong: boolean;
  sortBySet: boolean;
  columnsSet: boolean;
  wall: boolean;
}

function flags(ctx: TraceOptionContext): FlagState {
  let s = ctx.ext.get("strace.flags") as FlagState | undefined;
  if (!s) {
    s = {
      x: 0, xLong: null, y: 0, yLong: null, q: 0, quietLong: false, z: 0, f: 0, followLong: false, separateLong: false,
      sortBySet: false, columnsSet: false, wall: false,
    };
    ctx.ext.set("strace.flags", s);
  }
  return s;
}

const mustDie = (msg: string): never => {
  throw new TraceUsageError(msg);
};

export const STRACE_OPTIONS: TraceOptionGroup = {
  title: "Tracing (strace's options)",
  section: "Output format",
  options: [
    {
      short: "e", arg: "required", valueName: "EXPR",
      help: "a qualifying expression: trace=, signal=, status=, quiet=, abbrev=, decode-fds=",
      apply: () => {
        // Handled by the parser (applyQualifier); listed for the help text.
      },
    },
    {
      long: ["trace"], qualifier: ["trace", "t"], arg: "required", valueName: "SET",
      help: "trace only these syscalls: names, %class, /regex, ?name, !negation, all, none",
      apply: (ctx, v) => {
        ctx.settings.trace = parseSyscallSet(v ?? "");
      },
    },
    {
      long: ["signal", "signals"], qualifier: ["signal", "signals", "s"], arg: "required", valueName: "SET",
      help: "print only these signals",
      apply: (ctx, v) => {
        ctx.settings.signals = parseSignalSet(v ?? "");
      },
    },
    {
      long: ["status"], qualifier: ["status"], arg: "required", valueName: "SET",
      help: "print only syscalls with these outcomes: successful, failed, unfinished, unavailable, detached",
      apply: (ctx, v) => {
        ctx.settings.status = parseStatusSet(v ?? "");
        flags(ctx).z = 0;
      },
    },
    {
      short: "z", long: ["successful-only"], arg: "none",
      help: "print only syscalls that returned without an error code",
      apply: (ctx) => {
        ctx.settings.status = NumberSet.of(CallStatus.Successful);
        flags(ctx).z++;
      },
    },
    {
      short: "Z", long: ["failed-only", "failing-only"], arg: "none",
      help: "print only syscalls that returned with an error code",
      apply: (ctx) => {
        ctx.settings.status = NumberSet.of(CallStatus.Failed);
        flags(ctx).z++;
      },
    },
    {
      long: ["quiet", "silent", "silence"], qualifier: ["quiet", "silent", "silence", "q"], arg: "optional", valueName: "SET",
      help: "suppress messages: attach, exit, path-resolution, personality, thread-execve",
      apply: (ctx, v) => {
        ctx.settings.quiet = parseQuietSet(v ?? "attach,personality");
        flags(ctx).quietLong = true;
      },
    },
    {
      short: "q", arg: "none", help: "suppress attach messages; -qq also exit messages; -qqq all",
      apply: (ctx) => {
        flags(ctx).q++;
      },
    },
    {
      long: ["abbrev"], qualifier: ["abbrev", "a"], arg: "required", valueName: "SET",
      help: "abbreviate the structures of these syscalls (default all)",
      apply: (ctx, v) => {
        ctx.settings.abbrev = parseSyscallSet(v ?? "");
      },
    },
    {
      short: "v", long: ["no-abbrev"], arg: "none", help: "print structures unabbreviated",
      apply: (ctx) => {
        ctx.settings.abbrev = new NumberSet();
      },
    },
    {
      short: "f", arg: "none", help: "follow clones (-ff with -o: one FILE.pid per task)",
      apply: (ctx) => {
        flags(ctx).f++;
      },
    },
    {
      long: ["follow-forks"], arg: "none", help: "follow clones",
      apply: (ctx) => {
        flags(ctx).followLong = true;
      },
    },
    {
      long: ["output-separately"], arg: "none", help: "with -o FILE, write FILE.pid per task",
      apply: (ctx) => {
        flags(ctx).separateLong = true;
      },
    },
    {
      short: "o", long: ["output"], arg: "required", valueName: "FILE", help: "write the trace to FILE instead of stderr",
      apply: (ctx, v) => {
        if (v === undefined || v === "") mustDie("invalid -o argument: ''");
        if (v!.startsWith("|") || v!.startsWith("!")) mustDie(`-o ${v![0]}COMMAND is not supported`);
        ctx.settings.output = v!;
      },
    },
    {
      short: "A", long: ["output-append-mode"], arg: "none", help: "append to the -o file",
      apply: (ctx) => {
        ctx.settings.append = true;
      },
    },
    {
      short: "s", long: ["string-limit"], arg: "required", valueName: "N", help: "print at most N bytes of strings (32)",
      apply: (ctx, v, sp) => {
        ctx.settings.stringLimit = uint(v, sp, 0x3fffffff);
      },
    },
    {
      short: "a", long: ["columns"], arg: "required", valueName: "COLUMN", help: "align return values at COLUMN (40)",
      apply: (ctx, v, sp) => {
        ctx.settings.acolumn = uint(v, sp);
      },
    },
    {
      short: "x", arg: "none", help: "print non-ASCII strings in hex; -xx all strings",
      apply: (ctx) => {
        flags(ctx).x++;
      },
    },
    {
      long: ["strings-in-hex"], arg: "optional", valueName: "WHICH", help: "hex strings: none, non-ascii, all (default)",
      apply: (ctx, v, sp) => {
        const which = v ?? "all";
        const map: Record<string, 0 | 1 | 2> = { none: 0, "non-ascii": 1, all: 2 };
        if (which === "non-ascii-chars") mustDie(`${sp}=non-ascii-chars is not supported`);
        if (!(which in map)) mustDie(`invalid ${sp} argument: '${which}'`);
        flags(ctx).xLong = map[which];
      },
    },
    {
      short: "X", long: ["const-print-style"], arg: "required", valueName: "STYLE", help: "constants as raw, abbrev or verbose",
      apply: (ctx, v, sp) => {
        if (v !== "raw" && v !== "abbrev" && v !== "verbose") mustDie(`invalid ${sp} argument: '${v ?? ""}'`);
        ctx.settings.constStyle = v as "raw" | "abbrev" | "verbose";
      },
    },
    {
      short: "y", arg: "none", help: "print the paths of file descriptors",
      apply: (ctx) => {
        flags(ctx).y++;
      },
    },
    {
      long: ["decode-fds"], qualifier: ["decode-fds", "decode-fd"], arg: "optional", valueName: "SET",
      help: "decode file descriptors: path",
      apply: (ctx, v) => {
        flags(ctx).yLong = parseDecodeFds(v ?? "path");
      },
    },
    {
      short: "T", long: ["syscall-times"], arg: "optional", valueName: "PRECISION", help: "print the time spent in each syscall",
      apply: (ctx, v, sp) => {
        ctx.settings.syscallTimes = precision(v, sp);
      },
    },
    {
      short: "t", arg: "none", help: "print the time of day; -tt with microseconds; -ttt as UNIX time",
      apply: (ctx) => {
        timestampState(ctx).short++;
      },
    },
    {
      long: ["absolute-timestamps", "timestamps"], arg: "optional", valueName: "FORMAT",
      help: "[format:]time|unix|none[,[precision:]s|ms|us|ns]",
      apply: (ctx, v, sp) => {
        const st = timestampState(ctx);
        st.long = parseTimestampsArg(v ?? "format:time", sp, st.long);
      },
    },
    {
      short: "r", long: ["relative-timestamps"], arg: "optional", valueName: "PRECISION", help: "print the time since the previous line",
      apply: (ctx, v, sp) => {
        ctx.settings.relative = precision(v, sp);
      },
    },
    {
      short: "c", long: ["summary-only"], arg: "none", help: "count time, calls and errors per syscall; print only the summary",
      apply: (ctx) => {
        if (ctx.settings.summary === "both") mustDie("-c/--summary-only and -C/--summary are mutually exclusive");
        ctx.settings.summary = "only";
      },
    },
    {
      short: "C", long: ["summary"], arg: "none", help: "like -c, and print the trace too",
      apply: (ctx) => {
        if (ctx.settings.summary === "only") mustDie("-c/--summary-only and -C/--summary are mutually exclusive");
        ctx.settings.summary = "both";
      },
    },
    {
      short: "S", long: ["summary-sort-by"], arg: "required", valueName: "KEY",
      help: "sort the summary by time, min-time, max-time, avg-time, calls, errors, name, nothing",
      apply: (ctx, v) => {
        ctx.settings.sortBy = parseSortKey(v ?? "");
        flags(ctx).sortBySet = true;
      },
    },
    {
      short: "U", long: ["summary-columns"], arg: "required", valueName: "COLUMNS",
      help: "summary columns: time-percent, total-time, min-time, max-time, avg-time, calls, errors, name",
      apply: (ctx, v) => {
        ctx.settings.columns = parseColumns(v ?? "");
        flags(ctx).columnsSet = true;
      },
    },
    {
      short: "w", long: ["summary-wall-clock"], arg: "none", help: "summarise syscall latency instead of CPU time",
      apply: (ctx) => {
        ctx.settings.summaryWall = true;
        flags(ctx).wall = true;
      },
    },
    {
      long: ["json"], arg: "none", help: "one JSON object per line per event (syscalls, signals, exits) instead of strace's lines",
      apply: (ctx) => {
        ctx.settings.json = true;
      },
    },
    {
      long: ["trace-inner"], arg: "none",
      help: "attach the printer first: show each call as it really ran beneath the other engines",
      apply: (ctx) => {
        ctx.settings.inner = true;
      },
    },
  ],
  finish(ctx) {
    const s = ctx.settings;
    const f = flags(ctx);
    const ts = timestampState(ctx);
    if (ts.short) {
      if (ts.long) mustDie("-t and --absolute-timestamps cannot be provided simultaneously");
      s.absolute = ts.short === 1
        ? { format: "time", precision: 0 }
        : ts.short === 2 ? { format: "time", precision: 6 } : { format: "unix", precision: 6 };
    } else if (ts.long) {
      s.absolute = ts.long.format === "none" ? null : { format: ts.long.format, precision: ts.long.precision };
    }
    if (f.xLong !== null) {
      if (f.x) mustDie("-x and --strings-in-hex cannot be provided simultaneously");
      s.hexStrings = f.xLong;
    } else {
      s.hexStrings = f.x >= 2 ? 2 : f.x === 1 ? 1 : 0;
    }
    if (f.y) {
      if (f.yLong !== null) mustDie("-y and --decode-fds cannot be provided simultaneously");
      if (f.y > 1) mustDie("-yy is not supported (rvtrace decodes paths only)");
      s.decodeFds = true;
    } else if (f.yLong !== null) {
      s.decodeFds = f.yLong;
    }
    if (f.f) {
      if (f.followLong) mustDie("-f and --follow-forks cannot be provided simultaneously");
      if (f.f >= 2 && f.separateLong) mustDie("-ff and --output-separately cannot be provided simultaneously");
      s.follow = true;
      s.separate = f.f >= 2;
    } else {
      s.follow = f.followLong;
      s.separate = f.separateLong;
    }
    // -ff without -o FILE is the same as -f.
    if (!s.output) s.separate = false;
    if (s.separate && s.summary !== "none") {
      mustDie("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive");
    }
    if (f.wall && s.summary === "none") mustDie("-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)");
    if (f.columnsSet && s.summary === "none") mustDie("-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)");
    if (f.q) {
      if (f.quietLong) mustDie("-q and -e quiet/--quiet cannot be provided simultaneously");
      s.quiet = parseQuietSet(f.q === 1 ? "attach,personality" : f.q === 2 ? "exit,attach,personality" : "all");
    }
  },
};
