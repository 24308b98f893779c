// Fault injection: strace's `-e inject=` and `-e fault=`, as a utrace engine, with argument filters
// and several rules per syscall.
//
//   -e inject=SET:error=ERRNO|retval=N[:signal=SIG][:when=EXPR][:FILTER…]
//   -e inject=SET:signal=SIG[:when=EXPR][:FILTER…]
//   -e fault=SET[:error=ERRNO][:when=EXPR][:FILTER…]          (error defaults to ENOSYS)
//
// As strace (filter_qualify.c): SET is a syscall set (names, %class, /regex, !, ?); error= takes an
// errno name (any case) or 1…4095; retval= an integer (strtoull base 0: 42, 0x2a, 052, also -1);
// signal= a name (SIGUSR1, usr1) or 1…64; when=F (only the F-th call), F+ (F-th and every one
// after), F+S (every S-th from the F-th), F..L (F-th to L-th), F..L+S; F and S are 1…65535, L is
// F…65534; without when= every call. One error=/retval= and one signal= per rule; a later when=
// replaces an earlier one. strace's syscall=, delay_*= and poke_*= are refused by name.
//
// Beyond strace (its issues #86, #104, #173): FILTER is path=GLOB, fd=N, flags=F|G or argN=VALUE
// (common/arg-filter.ts), and rules accumulate instead of replacing each other. Semantics:
//   - A rule *counts* a call when the syscall is in its SET and all its filters hold. Counting is per
//     rule, per task and per syscall (strace counts per syscall per tracee), so when=2 means "the
//     second call of this syscall, in this task, that passes the filters".
//   - A rule *matches* a call it counts when its when= selects the call's count.
//   - The first matching rule in command-line order is applied; every rule that counts the call
//     advances its counter, applied or not.
// Clones get fresh counters (strace copies the initial counters to each new tracee).
//
// How (utrace): at syscall entry, a matching rule with error=/retval= aborts the syscall
// (UTRACE_SYSCALL_ABORT | UTRACE_RESUME) and, at syscall exit, writes -errno or the value into a0
// (regs.returnValue); signal= sends the signal (si_code SI_KERNEL) at entry, which the task acts on
// when it returns to user mode, as with strace. A signal-only rule lets the syscall run. The call is
// noted "INJECTED" (notes.ts) when its result was injected, as strace prints " (INJECTED)".
// The decision is made once per call, at the first entry pass in which no engine nearer the guest
// is stopping the task; if one is (it may still rewrite the call), the engine returns UTRACE_REPORT
// and decides at the UTRACE_SYSCALL_RESUMED pass that follows. Later repeat passes only restate
// the decision; counters never advance twice for one call.
import type { Kernel } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import type { EngineOps } from "../utrace/types.js";
import type { Regs } from "../utrace/regs.js";
import {
  UTRACE_EVENT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  utraceResumeAction, utraceSyscallAction,
} from "../utrace/constants.js";
import { EngineOptionError } from "./common/errors.js";
import { parseSyscallSet } from "./common/syscall-set.js";
import { parseArgFilter, filtersMatch, type ArgFilter } from "./common/arg-filter.js";
import { parseErrno, parseInteger, parseSignal } from "./common/values.js";
import { engineAttacher } from "./common/attach.js";
import { setCallNote, type NoteSink } from "./notes.js";

/** si_code of a signal the kernel sends (asm-generic/siginfo.h SI_KERNEL). */
const SI_KERNEL = 0x80;
/** strace's INJECT_LAST_INF: when= values are 16-bit; `last` stops one short of it. */
const MAX_WHEN = 0xffff;

/** One -e inject= / -e fault= rule. */
export interface InjectRule {
  /** The option as given, for messages: "-e inject=openat:error=ENOENT". */
  readonly text: string;
  readonly syscalls: ReadonlySet<number>;
  /** errno to fail with (positive), or undefined. */
  readonly error?: number;
  /** Value to return, or undefined. */
  readonly retval?: bigint;
  /** Signal to send at entry, or undefined. */
  readonly signal?: number;
  readonly first: number;
  /** Last call to inject; Infinity for no limit. */
  readonly last: number;
  /** 0: only the first-th call. */
  readonly step: number;
  readonly filters: readonly ArgFilter[];
}

/** Parses when=EXPR as strace does. */
function parseWhen(value: string): { first: number; last: number; step: number } | string {
  const m = /^([0-9]+)(?:\.\.([0-9]+))?(?:(\+)([0-9]*))?$/.exec(value);
  if (!m) return `invalid when= '${value}'`;
  const first = Number(m[1]);
  if (first < 1 || first > MAX_WHEN) return `when=: the first call must be 1…${MAX_WHEN}`;
  let last = Infinity;
  if (m[2] !== undefined) {
    last = Number(m[2]);
    if (last < first || last >= MAX_WHEN) return `when=: the last call must be ${first}…${MAX_WHEN - 1}`;
  }
  let step: number;
  if (m[3] !== undefined) {
    step = m[4] === "" ? 1 : Number(m[4]);
    if (step < 1 || step > MAX_WHEN) return `when=: the step must be 1…${MAX_WHEN}`;
  } else {
    step = last === Infinity ? 0 : 1;
  }
  return { first, last, step };
}

/**
 * Parses one -e inject= (kind "inject") or -e fault= (kind "fault") expression. Throws
 * EngineOptionError whose message names the option: "-e inject=x:error=EFOO: unknown errno 'EFOO'".
 */
export function parseInjectRule(spec: string, kind: "inject" | "fault", spelling = `-e ${kind}`): InjectRule {
  const text = `${spelling}=${spec}`;
  const fail = (why: string): never => {
    throw new EngineOptionError(`${text}: ${why}`);
  };
  if (spec === "" || spec.startsWith(":")) fail("missing the syscall set");
  const tokens = spec.split(":").filter((t) => t !== ""); // strtok_r skips empty tokens
  let syscalls: Set<number> = new Set();
  try {
    syscalls = parseSyscallSet(tokens[0]);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  let error: number | undefined;
  let retval: bigint | undefined;
  let signal: number | undefined;
  let when = { first: 1, last: Infinity, step: 1 };
  const filters: ArgFilter[] = [];
  for (const token of tokens.slice(1)) {
    const eq = token.indexOf("=");
    const key = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? "" : token.slice(eq + 1);
    if (eq >= 0 && key === "when") {
      const w = parseWhen(value);
      if (typeof w === "string") fail(w);
      else when = w;
    } else if (eq >= 0 && key === "error") {
      if (error !== undefined || retval !== undefined) fail("only one error= or retval= per rule");
      error = parseErrno(value);
      if (error === undefined) fail(`unknown errno '${value}'`);
    } else if (eq >= 0 && key === "retval") {
      if (kind === "fault") fail("retval= is not valid with fault= (use -e inject=)");
      if (error !== undefined || retval !== undefined) fail("only one error= or retval= per rule");
      retval = parseInteger(value);
      if (retval === undefined) fail(`invalid retval '${value}'`);
    } else if (eq >= 0 && key === "signal") {
      if (kind === "fault") fail("signal= is not valid with fault= (use -e inject=)");
      if (signal !== undefined) fail("only one signal= per rule");
      signal = parseSignal(value);
      if (signal === undefined) fail(`unknown signal '${value}'`);
    } else if (["syscall", "delay_enter", "delay_exit", "poke_enter", "poke_exit"].includes(key)) {
      fail(`${key}= is not supported`);
    } else {
      let f: ArgFilter | undefined;
      try {
        f = parseArgFilter(token, syscalls);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
      if (!f) fail(`unknown token '${token}'`);
      else filters.push(f);
    }
  }
  if (error === undefined && retval === undefined && signal === undefined) {
    if (kind === "fault") error = 38; // ENOSYS
    else fail("needs error=, retval= or signal=");
  }
  return { text, syscalls, error, retval, signal, ...when, filters };
}

/** Whether the rule's when= selects the n-th counted call (n from 1). */
export function whenSelects(rule: Pick<InjectRule, "first" | "last" | "step">, n: number): boolean {
  if (n < rule.first || n > rule.last) return false;
  return rule.step === 0 ? n === rule.first : (n - rule.first) % rule.step === 0;
}

/** Per-task state: the counters, and the decision about the current call. */
interface InjectTaskState {
  /** Per rule: syscall number -> calls counted. */
  readonly counts: Map<number, number>[];
  /** The current call has been decided (counters advanced). */
  decided: boolean;
  /** The result to write at exit, when the call was aborted for an injection. */
  result: bigint | null;
}

export interface InjectEngineOptions {
  /** Attach to every task the first one clones, recursively (default true). */
  follow?: boolean;
  /** Also receives each "INJECTED" note when the result is written. */
  onNote?: NoteSink;
}

/** The fault-injection engine for `rules`; `attach(task)` attaches it to a task (and its clones). */
export interface InjectEngine {
  attach(task: Task): void;
  /** The owner of this engine's notes (notes.ts). */
  readonly owner: object;
}

export function createInjectEngine(kernel: Kernel, rules: readonly InjectRule[], options: InjectEngineOptions = {}): InjectEngine {
  const owner = {};
  const onNote = options.onNote;

  /** Counts the call for every rule whose set and filters hold; returns the first rule that matches. */
  function decide(task: Task, st: InjectTaskState, nr: number, regs: Regs): InjectRule | undefined {
    let chosen: InjectRule | undefined;
    rules.forEach((rule, i) => {
      if (!rule.syscalls.has(nr)) return;
      if (rule.filters.length > 0 && !filtersMatch(rule.filters, task, nr, regs)) return;
      const n = (st.counts[i].get(nr) ?? 0) + 1;
      st.counts[i].set(nr, n);
      if (chosen === undefined && whenSelects(rule, n)) chosen = rule;
    });
    return chosen;
  }

  const ops: EngineOps<InjectTaskState> = {
    name: "inject",
    reportSyscallEntry(action, engine, regs) {
      const st = engine.data;
      const task = engine.task;
      if (!(action & UTRACE_SYSCALL_RESUMED)) {
        st.decided = false;
        st.result = null;
        setCallNote(task, owner, undefined);
      }
      if (st.decided) {
        return st.result !== null ? UTRACE_SYSCALL_ABORT | UTRACE_RESUME : utraceSyscallAction(action) | UTRACE_RESUME;
      }
      // An engine nearer the guest is stopping the task and may rewrite the call: decide later.
      if (utraceResumeAction(action) === UTRACE_STOP) return utraceSyscallAction(action) | UTRACE_REPORT;
      st.decided = true;
      const rule = decide(task, st, Number(regs.syscallNumber), regs);
      if (!rule) return utraceSyscallAction(action) | UTRACE_RESUME;
      if (rule.signal !== undefined) kernel.sendSignal(task, { signo: rule.signal, code: SI_KERNEL });
      if (rule.error === undefined && rule.retval === undefined) return utraceSyscallAction(action) | UTRACE_RESUME;
      st.result = rule.error !== undefined ? BigInt(-rule.error) : rule.retval!;
      setCallNote(task, owner, "INJECTED");
      return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
    },
    reportSyscallExit(_action, engine, regs) {
      const st = engine.data;
      if (st.result !== null) {
        regs.returnValue = st.result;
        st.result = null;
        onNote?.(engine.task, "INJECTED");
      }
      return UTRACE_RESUME;
    },
  };

  const attach = engineAttacher(
    kernel, ops, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT,
    () => ({ counts: rules.map(() => new Map<number, number>()), decided: false, result: null }),
    options.follow ?? true,
  );
  return { attach: (task) => void attach(task), owner };
}
