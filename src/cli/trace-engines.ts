// The engines of `rvtrace trace` besides the strace printer: fault injection (-e inject=, -e fault=),
// policies (--deny, --allow), path remapping (--remap) and user engines (--engine), wired for the CLI.
//
// Use (src/cli/trace.ts):
//   1. register the options: TRACE_ENGINE_OPTIONS (a TraceOptionGroup for the strace option parser;
//      it records each value in command-line order and validates it at once), or build your own from
//      TRACE_ENGINE_OPTION_DEFS;
//   2. after parsing, before spawning, prepare: validates everything and loads the --engine modules;
//      throws EngineOptionError or EngineLoadError, one line each: print "rvtrace: " + message, exit 2.
//      Either
//        a. `const attach = await prepareTraceEngines(traceEngineValues(ctx), { onNote })`, then, right
//           after kernel.spawn, `await attach(kernel, proc)`: attaches the engines to the first task in
//           command-line order (they follow clones themselves); attach the printer after it (nearest
//           the guest), or with --trace-inner in the `beforeEngines` hook (farthest); or
//        b. `const makeSlots = await prepareTraceEngineSlots(traceEngineValues(ctx))`, then, right after
//           the spawn, `const { slots, release } = await makeSlots(session)`: EngineSlots for the CLI's
//           own slot mechanism (which follows clones in slot order); attach them with the printer's
//           slot, then call release().
//      A rejection after the spawn is again one line and exit 2; the guest, which has not made a
//      syscall yet, has been killed.
//
// Order: each engine takes the place of its first option on the command line; all -e inject= and
// -e fault= rules form one injection engine, all --deny/--allow one policy engine, all --remap one
// remap engine; each --engine is an engine of its own. The first is attached first (farthest from
// the guest). Values given as a record (EngineOptionValues) keep the order remap, policy, injection,
// then the --engine modules.
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import type { Task } from "../kernel/task.js";
import type { EngineSlot, TraceOptionContext, TraceOptionGroup, TraceSession } from "../engines/strace/options.js";
import { TraceUsageError } from "../engines/strace/options.js";
import { EngineLoadError, EngineOptionError } from "../engines/common/errors.js";
import { createInjectEngine, parseInjectRule, type InjectRule } from "../engines/inject.js";
import { createPolicyEngine, parsePolicyRule, type PolicyRule } from "../engines/policy.js";
import { createRemapEngine, parseRemapRule, type RemapRule } from "../engines/remap.js";
import {
  attachSpec, callFactory, checkSpec, holdFirstSyscall, isThenable, loadEngineModule, parseEngineSpec, type EngineSpec,
  type LoadedEngine,
} from "../engines/loader.js";
import type { NoteSink } from "../engines/notes.js";

export { EngineLoadError, EngineOptionError } from "../engines/common/errors.js";
export { injectionNote } from "../engines/notes.js";

export type EngineOptionKind = "inject" | "fault" | "deny" | "allow" | "remap" | "engine";

/** One option value, in command-line order. `spelling` ("-e inject", "--inject") is for messages. */
export interface EngineOptionValue {
  readonly kind: EngineOptionKind;
  readonly value: string;
  readonly spelling?: string;
}

/** The values by option (order between options unknown; see the file comment). */
export interface EngineOptionValues {
  inject?: readonly string[];
  fault?: readonly string[];
  deny?: readonly string[];
  allow?: readonly string[];
  remap?: readonly string[];
  engine?: readonly string[];
}

/** An option's spellings, value name and help text. */
export interface TraceEngineOptionDef {
  readonly kind: EngineOptionKind;
  /** Long option names (--inject). */
  readonly long: readonly string[];
  /** -e qualifier names (-e inject=). */
  readonly qualifier: readonly string[];
  readonly valueName: string;
  readonly help: string;
}

export const TRACE_ENGINE_OPTION_DEFS: readonly TraceEngineOptionDef[] = [
  {
    kind: "inject", long: ["inject"], qualifier: ["inject"], valueName: "SET:error=E|retval=N[:signal=S][:when=W][:FILTER]",
    help: "tamper with syscalls as strace does: fail (error=), return (retval=), signal (signal=); when=FIRST[..LAST][+STEP]; "
      + "FILTERs path=GLOB, fd=N, flags=F, argN=V select calls by argument; several rules: the first matching one applies",
  },
  {
    kind: "fault", long: ["fault"], qualifier: ["fault"], valueName: "SET[:error=E][:when=W][:FILTER]",
    help: "like inject=, failing with error= (default ENOSYS)",
  },
  {
    kind: "deny", long: ["deny"], qualifier: [], valueName: "SET[:errno=E|:kill][:FILTER]",
    help: "deny these syscalls: fail with errno (default EPERM) or kill the process with SIGSYS (:kill); shown as (DENIED by policy)",
  },
  {
    kind: "allow", long: ["allow"], qualifier: [], valueName: "SET[:FILTER]",
    help: "allow only these syscalls (repeatable; the others fail with EPERM; exit and exit_group always run)",
  },
  {
    kind: "remap", long: ["remap"], qualifier: [], valueName: "GUEST=OTHER",
    help: "the guest's paths under GUEST are OTHER's (paths in getcwd and readlink results translated back)",
  },
  {
    kind: "engine", long: ["engine"], qualifier: [], valueName: "MODULE[:OPTIONS]",
    help: "attach the engine a JavaScript or TypeScript module's factory makes (docs/engines.md)",
  },
];

// ------------------------------------------------------------------------------------------------
// Validation.

type Step =
  | { readonly type: "inject"; readonly rules: InjectRule[] }
  | { readonly type: "policy"; readonly rules: PolicyRule[] }
  | { readonly type: "remap"; readonly rules: RemapRule[] }
  | { readonly type: "engine"; readonly text: string; readonly spelling: string };

/** The values as a command-line-ordered list. */
function ordered(values: readonly EngineOptionValue[] | EngineOptionValues): readonly EngineOptionValue[] {
  if (Array.isArray(values)) return values as readonly EngineOptionValue[];
  const v = values as EngineOptionValues;
  const list: EngineOptionValue[] = [];
  const add = (kind: EngineOptionKind, xs: readonly string[] | undefined): void => {
    for (const value of xs ?? []) list.push({ kind, value });
  };
  add("remap", v.remap);
  add("deny", v.deny);
  add("allow", v.allow);
  add("inject", v.inject);
  add("fault", v.fault);
  add("engine", v.engine);
  return list;
}

const defaultSpelling = (kind: EngineOptionKind): string => (kind === "inject" || kind === "fault" ? `-e ${kind}` : `--${kind}`);

/** Parses one value (throws EngineOptionError). */
function parseOne(o: EngineOptionValue): InjectRule | PolicyRule | RemapRule | null {
  const spelling = o.spelling ?? defaultSpelling(o.kind);
  switch (o.kind) {
    case "inject":
    case "fault":
      return parseInjectRule(o.value, o.kind, spelling);
    case "deny":
    case "allow":
      return parsePolicyRule(o.value, o.kind, spelling);
    case "remap":
      return parseRemapRule(o.value, spelling);
    case "engine":
      parseEngineSpec(o.value, spelling);
      return null;
  }
}

/** Validates every value and groups them into engines, in command-line order. Throws EngineOptionError. */
function plan(values: readonly EngineOptionValue[] | EngineOptionValues): Step[] {
  const steps: Step[] = [];
  let inject: InjectRule[] | undefined;
  let policy: PolicyRule[] | undefined;
  let remap: RemapRule[] | undefined;
  for (const o of ordered(values)) {
    const parsed = parseOne(o);
    switch (o.kind) {
      case "inject":
      case "fault":
        if (!inject) steps.push({ type: "inject", rules: (inject = []) });
        inject.push(parsed as InjectRule);
        break;
      case "deny":
      case "allow":
        if (!policy) steps.push({ type: "policy", rules: (policy = []) });
        policy.push(parsed as PolicyRule);
        break;
      case "remap":
        if (!remap) steps.push({ type: "remap", rules: (remap = []) });
        remap.push(parsed as RemapRule);
        break;
      case "engine":
        steps.push({ type: "engine", text: o.value, spelling: o.spelling ?? "--engine" });
        break;
    }
  }
  return steps;
}

/** Validates the values without loading modules (throws EngineOptionError). */
export function validateTraceEngineOptions(values: readonly EngineOptionValue[] | EngineOptionValues): void {
  plan(values);
}

// ------------------------------------------------------------------------------------------------
// Attaching.

export interface PrepareOptions {
  /** Where --engine paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** Receives the "INJECTED" / "DENIED by policy" note of a call when its result is written. */
  onNote?: NoteSink;
  /**
   * Whether fault injection follows clones (default true). strace tampers only with the tasks it
   * traces: pass settings.follow (-f) for exactly that. Policies and remaps always follow: a sandbox
   * and a file-system view must cover every task.
   */
  followInjection?: boolean;
}

/**
 * Attaches the engines to the first task of a freshly spawned process. `beforeEngines`, if given,
 * runs just before the first engine is attached (once asynchronous factories have settled, while
 * the guest is still held): attach there what must be farther from the guest than these engines,
 * e.g. the printer with --trace-inner.
 */
export type AttachTraceEngines = (kernel: Kernel, proc: Process, hooks?: { beforeEngines?: () => void }) => Promise<void>;

/** Validated steps and loaded modules: what is known before the guest is spawned. */
interface Prepared {
  readonly steps: readonly Step[];
  readonly loaded: ReadonlyMap<Step, LoadedEngine>;
}

async function prepare(values: readonly EngineOptionValue[] | EngineOptionValues, cwd: string | undefined): Promise<Prepared> {
  const steps = plan(values);
  const loaded = new Map<Step, LoadedEngine>();
  for (const s of steps) {
    if (s.type === "engine") loaded.set(s, await loadEngineModule(s.text, cwd, s.spelling));
  }
  return { steps, loaded };
}

/**
 * Runs the factories (right after the spawn: none of the guest has run yet), holding the guest at
 * its first syscall if one returns a Promise, and checks what they return. On failure the guest is
 * killed and the error (EngineLoadError) thrown; on success the caller attaches and then releases.
 */
async function settle(p: Prepared, kernel: Kernel, proc: Process): Promise<{ specs: Map<Step, EngineSpec>; release(): void }> {
  const results = new Map<Step, unknown>();
  try {
    for (const [s, l] of p.loaded) results.set(s, callFactory(l, kernel, proc));
  } catch (e) {
    proc.kill(9);
    throw e;
  }
  const hold = [...results.values()].some(isThenable) ? holdFirstSyscall(kernel, proc.leader) : undefined;
  const specs = new Map<Step, EngineSpec>();
  try {
    for (const [s, r] of results) {
      const l = p.loaded.get(s)!;
      let value: unknown;
      try {
        value = isThenable(r) ? await r : r;
      } catch (e) {
        throw new EngineLoadError(`engine ${l.module}: the factory failed: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
      }
      specs.set(s, checkSpec(l, value));
    }
  } catch (e) {
    proc.kill(9);
    hold?.release();
    throw e;
  }
  return { specs, release: () => hold?.release() };
}

/**
 * Validates the values and loads the --engine modules (before the guest is spawned); returns the
 * function that attaches every engine. Throws EngineOptionError or EngineLoadError (one line each).
 * The built-in engines follow clones themselves (see followInjection).
 */
export async function prepareTraceEngines(
  values: readonly EngineOptionValue[] | EngineOptionValues,
  options: PrepareOptions = {},
): Promise<AttachTraceEngines> {
  const p = await prepare(values, options.cwd);
  const followInjection = options.followInjection ?? true;

  return async (kernel, proc, hooks = {}) => {
    const task = proc.leader;
    const { specs, release } = await settle(p, kernel, proc);
    try {
      hooks.beforeEngines?.();
      for (const s of p.steps) {
        if (s.type === "inject") createInjectEngine(kernel, s.rules, { follow: followInjection, onNote: options.onNote }).attach(task);
        else if (s.type === "policy") createPolicyEngine(kernel, s.rules, { onNote: options.onNote }).attach(task);
        else if (s.type === "remap") createRemapEngine(kernel, s.rules).attach(task);
        else attachSpec(kernel, task, p.loaded.get(s)!, specs.get(s)!);
      }
    } catch (e) {
      proc.kill(9);
      release();
      throw e;
    }
    release();
  };
}

/** The engines as slots for src/cli/trace.ts, and the release of a held guest. */
export interface TraceEngineSlots {
  /** In command-line order; the CLI attaches them (and follows clones by their `follow`). */
  readonly slots: EngineSlot[];
  /** Lets a guest held for an asynchronous factory go: call it once every slot is attached. */
  release(): void;
}

/**
 * The same engines as EngineSlots for the CLI's slot mechanism (it attaches each slot to the first
 * task and, by `follow`, to clones, so a child's engines keep its parent's order). Call the
 * prepared function right after the spawn with the session; attach the slots (with the printer);
 * then release(). Injection follows clones by `followInjection` ("always", default) or only with
 * -f ("traced"); policy and remap slots are "always"; an --engine slot attaches its engine to the
 * first task only (an engine follows clones itself, in reportClone). Notes go to session.note.
 */
export async function prepareTraceEngineSlots(
  values: readonly EngineOptionValue[] | EngineOptionValues,
  options: Omit<PrepareOptions, "onNote"> = {},
): Promise<(session: TraceSession) => Promise<TraceEngineSlots>> {
  const p = await prepare(values, options.cwd);
  const injectFollow = (options.followInjection ?? true) ? "always" : "traced";
  return async (session) => {
    const { kernel, process: proc } = session;
    const { specs, release } = await settle(p, kernel, proc);
    const onNote = (task: Task, note: string): void => session.note(task, note);
    const slots = p.steps.map((s): EngineSlot => {
      if (s.type === "inject") {
        const e = createInjectEngine(kernel, s.rules, { follow: false, onNote });
        return { name: "inject", follow: injectFollow, attach: (_session, task) => e.attach(task) };
      }
      if (s.type === "policy") {
        const e = createPolicyEngine(kernel, s.rules, { follow: false, onNote });
        return { name: "policy", follow: "always", attach: (_session, task) => e.attach(task) };
      }
      if (s.type === "remap") {
        const e = createRemapEngine(kernel, s.rules, { follow: false });
        return { name: "remap", follow: "always", attach: (_session, task) => e.attach(task) };
      }
      const l = p.loaded.get(s)!;
      const spec = specs.get(s)!;
      return {
        name: l.module,
        follow: "traced",
        attach: (_session, task) => {
          if (task === proc.leader) attachSpec(kernel, task, l, spec);
        },
      };
    });
    return { slots, release };
  };
}

// ------------------------------------------------------------------------------------------------
// The option group for the strace option parser (src/engines/strace/options.ts).

const EXT_KEY = "trace-engines.values";

/** The values TRACE_ENGINE_OPTIONS recorded, in command-line order. */
export function traceEngineValues(ctx: TraceOptionContext): EngineOptionValue[] {
  return (ctx.ext.get(EXT_KEY) as EngineOptionValue[] | undefined) ?? [];
}

/** -e inject=, -e fault= (also --inject=, --fault=), --deny, --allow, --remap, --engine. */
export const TRACE_ENGINE_OPTIONS: TraceOptionGroup = {
  title: "Tampering and sandboxing (engines)",
  options: TRACE_ENGINE_OPTION_DEFS.map((d) => ({
    long: d.long,
    qualifier: d.qualifier,
    arg: "required" as const,
    valueName: d.valueName,
    help: d.help,
    apply(ctx: TraceOptionContext, value: string | undefined, spelling: string): void {
      const o: EngineOptionValue = { kind: d.kind, value: value ?? "", spelling };
      try {
        parseOne(o);
      } catch (e) {
        if (e instanceof EngineOptionError) throw new TraceUsageError(e.message);
        throw e;
      }
      let list = ctx.ext.get(EXT_KEY) as EngineOptionValue[] | undefined;
      if (!list) ctx.ext.set(EXT_KEY, (list = []));
      list.push(o);
    },
  })),
  /** Loads --engine modules (and checks every rule) before the guest is spawned. */
  async prepare(ctx: TraceOptionContext): Promise<void> {
    const values = traceEngineValues(ctx);
    if (values.length === 0) return;
    try {
      ctx.ext.set(MAKER_KEY, await prepareTraceEngineSlots(values, { followInjection: ctx.settings.follow }));
    } catch (e) {
      if (e instanceof EngineOptionError || e instanceof EngineLoadError) throw new TraceUsageError(e.message);
      throw e;
    }
  },
  /** Makes the engines' slots once the process exists, in command-line order. */
  async start(session: TraceSession, ctx: TraceOptionContext) {
    const make = ctx.ext.get(MAKER_KEY) as ((s: TraceSession) => Promise<TraceEngineSlots>) | undefined;
    if (!make) return { slots: [] };
    try {
      return await make(session);
    } catch (e) {
      if (e instanceof EngineLoadError) throw new TraceUsageError(e.message);
      throw e;
    }
  },
};
const MAKER_KEY = "trace-engines.maker";
