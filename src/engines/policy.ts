// Syscall policy: --deny and --allow, decided at syscall entry, as a utrace engine.
//
//   --deny SET[:errno=ERRNO|:kill][:FILTER…]    deny these syscalls: fail them with ERRNO (default
//                                                EPERM), or kill the process with SIGSYS (:kill)
//   --allow SET[:FILTER…]                        allowlist: with at least one --allow, every syscall
//                                                that no --allow rule admits fails with EPERM
//
// SET is a syscall set as in -e trace= (common/syscall-set.ts); FILTERs are the argument filters of
// common/arg-filter.ts (path=GLOB, fd=N, flags=F, argN=V), so `--deny openat:flags=O_CREAT` and
// `--allow openat:path=/data/*` work; a rule applies to a call when the syscall is in its SET and
// every filter holds. Path filters compare the strings the guest passed: convenient, not a security
// boundary (symlinks and other spellings are not resolved).
//
// The decision for one call, in this order:
//   1. exit and exit_group are always allowed: a policy cannot keep a process from ending;
//   2. the first --deny rule (command-line order) that applies denies it, with its errno or :kill;
//   3. with an allowlist, a call that no --allow rule applies to is denied with EPERM, except
//      rt_sigreturn, which is implicitly allowed (the return from a signal handler; seccomp's strict
//      mode allows it too) unless a --deny names it;
//   4. otherwise the call runs.
// So --deny beats --allow whatever their order: `--allow %file --deny unlinkat` denies unlinkat.
//
// A denied call is aborted (UTRACE_SYSCALL_ABORT) and gets -ERRNO at exit (regs.returnValue). It is
// noted "DENIED by policy" (notes.ts), which the strace printer shows after the result as strace
// shows " (INJECTED)": `unlinkat(AT_FDCWD, "x", 0) = -1 EPERM (Operation not permitted) (DENIED by policy)`.
// :kill ends the whole process at once as seccomp's SECCOMP_RET_KILL_PROCESS does: killed by SIGSYS
// with a core dump (wait status 159 in a shell), the call never runs, no handler can catch it.
// The decision is re-made at every entry pass in which no engine nearer the guest is stopping the
// task (a stopping engine gets UTRACE_REPORT back and the policy looks again at the RESUMED pass),
// so the policy judges the call as it will run after the rewrites of engines nearer the guest.
// Engines attached before the policy (farther from the guest) see and may change the call after
// it: attach the policy first to police exactly what the kernel runs.
import type { Kernel } from "../kernel/kernel.js";
import type { Task } from "../kernel/task.js";
import type { Regs } from "../utrace/regs.js";
import type { EngineOps } from "../utrace/types.js";
import {
  UTRACE_EVENT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED,
  utraceResumeAction, utraceSyscallAction,
} from "../utrace/constants.js";
import { SIGSYS } from "../abi/signals.js";
import { EngineOptionError } from "./common/errors.js";
import { parseSyscallSet, syscallNr } from "./common/syscall-set.js";
import { parseArgFilter, filtersMatch, type ArgFilter } from "./common/arg-filter.js";
import { parseErrno } from "./common/values.js";
import { engineAttacher } from "./common/attach.js";
import { setCallNote, type NoteSink } from "./notes.js";

const EPERM = 1;
export const POLICY_NOTE = "DENIED by policy";

/** One --deny or --allow rule. */
export interface PolicyRule {
  /** The option as given: "--deny unlinkat:errno=EROFS". */
  readonly text: string;
  readonly kind: "deny" | "allow";
  readonly syscalls: ReadonlySet<number>;
  readonly filters: readonly ArgFilter[];
  /** deny: the errno (positive) the call fails with, or "kill". */
  readonly action: number | "kill";
}

/** Parses `--deny SPEC` (kind "deny") or `--allow SPEC` (kind "allow"). Throws EngineOptionError. */
export function parsePolicyRule(spec: string, kind: "deny" | "allow", spelling = `--${kind}`): PolicyRule {
  const text = `${spelling} ${spec}`;
  const fail = (why: string): never => {
    throw new EngineOptionError(`${text}: ${why}`);
  };
  if (spec === "" || spec.startsWith(":")) fail("missing the syscall set");
  const tokens = spec.split(":").filter((t) => t !== "");
  let syscalls: Set<number> = new Set();
  try {
    syscalls = parseSyscallSet(tokens[0]);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  let action: number | "kill" | undefined;
  const filters: ArgFilter[] = [];
  for (const token of tokens.slice(1)) {
    if (kind === "deny" && (token === "kill" || token.startsWith("errno="))) {
      if (action !== undefined) fail("only one errno= or kill per rule");
      if (token === "kill") action = "kill";
      else {
        const value = token.slice(6);
        action = parseErrno(value);
        if (action === undefined) fail(`unknown errno '${value}'`);
      }
      continue;
    }
    let f: ArgFilter | undefined;
    try {
      f = parseArgFilter(token, syscalls);
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
    if (!f) fail(`unknown token '${token}'`);
    else filters.push(f);
  }
  return { text, kind, syscalls, filters, action: action ?? EPERM };
}

export interface PolicyEngineOptions {
  /** Attach to every task the first one clones (default true: a policy must cover every task). */
  follow?: boolean;
  /** Also receives each "DENIED by policy" note when the result is written. */
  onNote?: NoteSink;
}

export interface PolicyEngine {
  attach(task: Task): void;
  readonly owner: object;
  /** The decision for syscall nr with these registers: undefined (allow), an errno, or "kill". */
  decide(task: Task, nr: number, regs: Regs): number | "kill" | undefined;
}

interface PolicyTaskState {
  /** -errno to write at exit, when the current call was denied. */
  result: bigint | null;
}

export function createPolicyEngine(kernel: Kernel, rules: readonly PolicyRule[], options: PolicyEngineOptions = {}): PolicyEngine {
  const owner = {};
  const onNote = options.onNote;
  const alwaysAllowed = new Set([syscallNr("exit"), syscallNr("exit_group")]);
  const sigreturn = syscallNr("rt_sigreturn");
  const denies = rules.filter((r) => r.kind === "deny");
  const allows = rules.filter((r) => r.kind === "allow");
  const applies = (r: PolicyRule, task: Task, nr: number, regs: Regs): boolean =>
    r.syscalls.has(nr) && (r.filters.length === 0 || filtersMatch(r.filters, task, nr, regs));

  function decide(task: Task, nr: number, regs: Regs): number | "kill" | undefined {
    if (alwaysAllowed.has(nr)) return undefined;
    for (const r of denies) if (applies(r, task, nr, regs)) return r.action;
    if (allows.length === 0 || nr === sigreturn) return undefined;
    return allows.some((r) => applies(r, task, nr, regs)) ? undefined : EPERM;
  }

  const ops: EngineOps<PolicyTaskState> = {
    name: "policy",
    reportSyscallEntry(action, engine, regs) {
      const st = engine.data;
      const task = engine.task;
      if (!(action & UTRACE_SYSCALL_RESUMED)) st.result = null;
      if (utraceResumeAction(action) === UTRACE_STOP) return utraceSyscallAction(action) | UTRACE_REPORT;
      const d = decide(task, Number(regs.syscallNumber), regs);
      if (d === undefined) {
        st.result = null;
        setCallNote(task, owner, undefined);
        return utraceSyscallAction(action) | UTRACE_RESUME;
      }
      setCallNote(task, owner, POLICY_NOTE);
      if (d === "kill") {
        st.result = null;
        onNote?.(task, POLICY_NOTE);
        kernel.killProcess(task.process, SIGSYS, true);
      } else {
        st.result = BigInt(-d);
      }
      return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
    },
    reportSyscallExit(_action, engine, regs) {
      const st = engine.data;
      if (st.result !== null) {
        regs.returnValue = st.result;
        st.result = null;
        onNote?.(engine.task, POLICY_NOTE);
      }
      return UTRACE_RESUME;
    },
  };

  const attach = engineAttacher(
    kernel, ops, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT, () => ({ result: null }), options.follow ?? true,
  );
  return { attach: (task) => void attach(task), owner, decide };
}
