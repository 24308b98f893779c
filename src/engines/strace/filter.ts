// strace's qualifying expressions (-e trace=, -e signal=, -e status=, -e quiet=, -e abbrev=,
// --decode-fds=), parsed as strace's basic_filters.c and filter_qualify.c parse them:
//
//   SET      := "!"* ( "all" | "none" | TOKEN ("," TOKEN)* )
//   TOKEN    := "?"* ( NUMBER | "/" REGEX | CLASS | NAME )        (syscall sets)
//
// A leading "!" inverts the set (each one toggles); "?" makes an unknown token harmless; a regex
// (POSIX ERE, unanchored) must match at least one syscall name; a class (%file, %desc, …, or the
// legacy unprefixed desc/file/memory/process/signal/ipc/network) selects the syscalls whose class
// tags include it. Every qualifier replaces what an earlier one of the same kind said.
//
// Errors are FilterError with strace's own wording ("invalid system call 'foo'").
import { SIGNALS, NSIG } from "../../abi/signals.js";
import { SYSCALL_META } from "../../abi/syscalls.js";

/** What the filters need to know of a syscall: its number, strace's name and class tags. */
export interface SyscallClassEntry {
  nr: number;
  name: string;
  classes: readonly string[];
}

/** The riscv64 syscalls with their strace classes (src/abi/syscalls.ts). */
export function syscallClassTable(): readonly SyscallClassEntry[] {
  return SYSCALL_META;
}

/** A bad qualifying expression: the message is one line for a person. */
export class FilterError extends Error {}

/** strace's number_set: a set of small numbers, possibly inverted ("everything but …"). */
export class NumberSet {
  private readonly items = new Set<number>();
  private not = false;

  /** A set holding everything ("all"). */
  static all(): NumberSet {
    const s = new NumberSet();
    s.not = true;
    return s;
  }

  /** A set holding the given numbers. */
  static of(...ns: number[]): NumberSet {
    const s = new NumberSet();
    for (const n of ns) s.items.add(n);
    return s;
  }

  has(n: number): boolean {
    return this.items.has(n) !== this.not;
  }

  add(n: number): void {
    this.items.add(n);
  }

  invert(): void {
    this.not = !this.not;
  }

  /** True when every number is in the set (the default "all"). */
  get isAll(): boolean {
    return this.not && this.items.size === 0;
  }
}

/** Splits the leading "!"s off a set expression; each one inverts. */
function stripNegations(spec: string): { rest: string; invert: boolean } {
  let i = 0;
  while (spec[i] === "!") i++;
  return { rest: spec.slice(i), invert: i % 2 === 1 };
}

// Legacy class names (without %) strace still accepts, and "all" as a class inside a list.
const CLASS_ALIASES: Record<string, string> = {
  desc: "%desc",
  file: "%file",
  memory: "%memory",
  process: "%process",
  signal: "%signal",
  ipc: "%ipc",
  network: "%net",
  "%network": "%net",
};

const KNOWN_CLASSES = new Set([
  "%desc", "%file", "%memory", "%process", "%creds", "%signal", "%ipc", "%net", "%stat", "%lstat", "%fstat",
  "%%stat", "%statfs", "%fstatfs", "%%statfs", "%pure", "%clock",
]);

/** Adds the syscalls one token names; false if it names none (so the token is invalid). */
function addSyscallToken(token: string, set: NumberSet, table: readonly SyscallClassEntry[]): boolean {
  if (/^[0-9]/.test(token)) {
    if (!/^[0-9]+$/.test(token)) return false;
    const nr = Number(token);
    if (!table.some((e) => e.nr === nr)) return false;
    set.add(nr);
    return true;
  }
  if (token.startsWith("/")) {
    let re: RegExp;
    try {
      re = new RegExp(token.slice(1));
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : String(e);
      throw new FilterError(`invalid regular expression '${token.slice(1)}': ${why}`);
    }
    let found = false;
    for (const e of table) {
      if (re.test(e.name)) {
        set.add(e.nr);
        found = true;
      }
    }
    return found;
  }
  if (token === "all") {
    for (const e of table) set.add(e.nr);
    return true;
  }
  const cls = CLASS_ALIASES[token] ?? token;
  if (KNOWN_CLASSES.has(cls)) {
    for (const e of table) if (e.classes.includes(cls)) set.add(e.nr);
    return true;
  }
  let found = false;
  for (const e of table) {
    if (e.name === token) {
      set.add(e.nr);
      found = true;
    }
  }
  return found;
}

/** Parses a syscall set (-e trace=, -e abbrev=). */
export function parseSyscallSet(spec: string, table: readonly SyscallClassEntry[] = syscallClassTable()): NumberSet {
  const set = new NumberSet();
  const { rest, invert } = stripNegations(spec);
  if (invert) set.invert();
  if (rest === "none") return set;
  if (rest === "all") {
    set.invert();
    return set;
  }
  let done = false;
  for (const raw of rest.split(",")) {
    if (raw === "") continue;
    let token = raw;
    let optional = false;
    while (token.startsWith("?")) {
      token = token.slice(1);
      optional = true;
    }
    // Personality suffixes: riscv64 has only the one, 64-bit.
    if (token.endsWith("@64")) token = token.slice(0, -3);
    else if (/@(32|x32)$/.test(token)) {
      if (optional) {
        done = true;
        continue;
      }
      throw new FilterError(`invalid system call '${raw}'`);
    }
    done = addSyscallToken(token, set, table) || optional;
    if (!done) throw new FilterError(`invalid system call '${raw}'`);
  }
  if (!done) throw new FilterError(`invalid system call '${spec}'`);
  return set;
}

/** Parses a set of tokens that each name one number (signals, statuses, quiet messages). */
function parseTokens(spec: string, what: string, lookup: (token: string) => number): NumberSet {
  const set = new NumberSet();
  const { rest, invert } = stripNegations(spec);
  if (invert) set.invert();
  if (rest === "none") return set;
  if (rest === "all") {
    set.invert();
    return set;
  }
  let last = -1;
  for (const token of rest.split(",")) {
    if (token === "") continue;
    last = lookup(token);
    if (last < 0) throw new FilterError(`invalid ${what} '${token}'`);
    set.add(last);
  }
  if (last < 0) throw new FilterError(`invalid ${what} '${spec}'`);
  return set;
}

/** The number of a signal token: a number up to 255, or a name with or without "SIG", any case. */
export function signalNumber(token: string): number {
  if (/^[0-9]/.test(token)) {
    if (!/^[0-9]+$/.test(token)) return -1;
    const n = Number(token);
    return n <= 255 ? n : -1;
  }
  const name = token.toUpperCase().replace(/^SIG/, "");
  for (const [nr, sig] of SIGNALS) if (sig.slice(3) === name) return nr;
  if (name === "RTMIN") return 32;
  const rt = /^RT_([0-9]+)$/.exec(name);
  if (rt && 32 + Number(rt[1]) <= NSIG) return 32 + Number(rt[1]);
  return -1;
}

/** Parses -e signal=SET. */
export function parseSignalSet(spec: string): NumberSet {
  return parseTokens(spec, "signal", signalNumber);
}

/** A syscall's outcome, as -e status= names it. */
export const enum CallStatus {
  Successful = 0,
  Failed = 1,
  Unfinished = 2,
  Unavailable = 3,
  Detached = 4,
}

const STATUS_NAMES: Record<string, CallStatus> = {
  successful: CallStatus.Successful,
  failed: CallStatus.Failed,
  unfinished: CallStatus.Unfinished,
  unavailable: CallStatus.Unavailable,
  detached: CallStatus.Detached,
};

/** Parses -e status=SET. */
export function parseStatusSet(spec: string): NumberSet {
  return parseTokens(spec, "status", (t) => STATUS_NAMES[t] ?? -1);
}

/** The informational messages -q / -e quiet= can suppress. */
export const enum Quiet {
  Attach = 0,
  Exit = 1,
  PathResolution = 2,
  Personality = 3,
  ThreadExecve = 4,
}

const QUIET_NAMES: Record<string, Quiet> = {
  attach: Quiet.Attach,
  exit: Quiet.Exit,
  exits: Quiet.Exit,
  "path-resolution": Quiet.PathResolution,
  personality: Quiet.Personality,
  superseded: Quiet.ThreadExecve,
  "thread-execve": Quiet.ThreadExecve,
};

/** Parses -e quiet=SET. */
export function parseQuietSet(spec: string): NumberSet {
  return parseTokens(spec, "quiet", (t) => QUIET_NAMES[t] ?? -1);
}

/** What --decode-fds= may name; rvtrace decodes paths only, and says so for the rest. */
export function parseDecodeFds(spec: string): boolean {
  const known = ["path", "socket", "dev", "pidfd", "signalfd"];
  const set = parseTokens(spec, "decode-fds", (t) => known.indexOf(t));
  for (let i = 1; i < known.length; i++) {
    if (set.has(i)) throw new FilterError(`--decode-fds=${known[i]} is not supported (rvtrace decodes paths only)`);
  }
  return set.has(0);
}
