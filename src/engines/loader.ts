// --engine MODULE[:OPTIONS]: engines written by users, loaded from a file and attached like the
// built-in ones.
//
// A module exports a factory, as its default export or as a function named createEngine:
//
//   export default function ({ kernel, process, options, api }) {
//     return { ops: { name: "mine", reportSyscallEntry(action, engine, regs) { … } },
//              events: api.UTRACE_EVENT.SYSCALL_ENTRY, data: null };
//   }
//
// The factory gets the Kernel, the traced Process, the OPTIONS text after the first ":" ("" if
// none) and `api`, rvtrace's public API (dist/index.js: the UTRACE_* constants, Kernel, GuestFault,
// syscallName, …), so an engine file needs no import of its own. It returns { ops, events, data? }
// or a Promise of it; rvtrace attaches ops with data to the process' first task and sets the event
// mask. Following clones is the engine's business (reportClone and utrace.attachTask on the child).
//
// MODULE is a file path, relative to rvtrace's working directory. .js/.mjs/.cjs files are loaded with
// import(); .ts/.mts files are transpiled first with the `typescript` package's transpileModule
// (types are erased, not checked) into a temporary .mjs next to the source, so that its relative
// imports resolve as they would for the source, which is imported and deleted at once; where the
// directory is not writable, the code is imported from a data: URL instead (relative imports do
// not work then). A TypeScript engine is one file: its value imports must name JavaScript files or
// packages (type-only imports are fine).
//
// Every failure is one EngineLoadError line, "engine ./x.mjs: <reason>": a missing file, a module
// that does not load, no factory, a factory that throws or rejects, or returns no { ops, events }.
// The CLI prints it after "rvtrace: " and exits with status 2, before the guest starts.
//
// Timing: modules are loaded before the guest is spawned (loadEngineModule). Factories run right
// after the spawn, in the same JavaScript turn, so no guest instruction has run yet. A factory that
// returns a Promise cannot be waited for that way: the guest is then held (holdFirstSyscall) — it
// may compute, but its first syscall is skipped and re-executed once every engine is attached (the
// ecall is rewound, as Linux restarts a syscall), so every engine sees every syscall.
import { readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { importModule } from "./import-module.js";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import type { Task } from "../kernel/task.js";
import type { Engine } from "../utrace/engine.js";
import type { EngineOps } from "../utrace/types.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_DETACH, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT,
  utraceSyscallAction,
} from "../utrace/constants.js";
import * as api from "../index.js";
import { EngineLoadError, EngineOptionError, firstLine } from "./common/errors.js";

/** What a factory receives. */
export interface EngineFactoryContext {
  readonly kernel: Kernel;
  readonly process: Process;
  /** The text after the first ":" of --engine MODULE:OPTIONS ("" if none). */
  readonly options: string;
  /** rvtrace's public API (the package entry, dist/index.js). */
  readonly api: typeof api;
}

/** What a factory returns. */
export interface EngineSpec {
  ops: EngineOps<unknown>;
  events: number;
  data?: unknown;
}

export type EngineFactory = (context: EngineFactoryContext) => EngineSpec | Promise<EngineSpec>;

/** A loaded --engine module. */
export interface LoadedEngine {
  /** MODULE as given (used in messages). */
  readonly module: string;
  readonly options: string;
  readonly factory: EngineFactory;
}

/** Splits `MODULE[:OPTIONS]` at the first ":". Throws EngineOptionError for an empty module. */
export function parseEngineSpec(text: string, spelling = "--engine"): { module: string; options: string } {
  const colon = text.indexOf(":");
  const module = colon < 0 ? text : text.slice(0, colon);
  const options = colon < 0 ? "" : text.slice(colon + 1);
  if (module === "") throw new EngineOptionError(`${spelling} ${text}: missing the module path`);
  return { module, options };
}

/** An error's name and first line ("SyntaxError: Unexpected token '}'"), for one-line messages. */
function describe(e: unknown): string {
  const line = firstLine(e);
  return e instanceof Error && e.name !== "Error" && !line.startsWith(e.name) ? `${e.name}: ${line}` : line;
}

/** Transpiles a TypeScript engine to JavaScript (ES module); throws EngineLoadError on syntax errors. */
async function transpile(file: string, module: string): Promise<string> {
  let ts: typeof import("typescript");
  try {
    ts = (await importModule("typescript")).default as typeof import("typescript");
  } catch (e) {
    throw new EngineLoadError(`engine ${module}: cannot load the TypeScript compiler to transpile it: ${describe(e)}`);
  }
  const source = readFileSync(file, "utf8");
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
    },
  });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (d) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    let where = "";
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      where = ` (line ${line + 1}, column ${character + 1})`;
    }
    throw new EngineLoadError(`engine ${module}: TS${d.code}: ${text}${where}`);
  }
  return out.outputText;
}

/** Imports transpiled code: from a temporary .mjs next to the source, else from a data: URL. */
async function importTranspiled(file: string, code: string): Promise<Record<string, unknown>> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.rvtrace.mjs`);
  let written = false;
  try {
    writeFileSync(tmp, code, { flag: "wx" });
    written = true;
  } catch {
    // not writable: fall back to a data: URL below
  }
  try {
    if (written) return await importModule(pathToFileURL(tmp).href);
    return await importModule(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  } finally {
    if (written) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
}

/** The factory a module exports: the default export, else createEngine (also under a CommonJS default). */
function factoryOf(mod: Record<string, unknown>): EngineFactory | undefined {
  const dflt = mod.default;
  if (typeof dflt === "function") return dflt as EngineFactory;
  if (typeof mod.createEngine === "function") return mod.createEngine as EngineFactory;
  if (dflt !== null && typeof dflt === "object") {
    const inner = (dflt as Record<string, unknown>).createEngine;
    if (typeof inner === "function") return inner as EngineFactory;
  }
  return undefined;
}

/**
 * Loads `--engine MODULE[:OPTIONS]` (MODULE relative to `cwd`) and finds its factory. Throws
 * EngineOptionError (bad spelling) or EngineLoadError ("engine ./x.mjs: <reason>").
 */
export async function loadEngineModule(text: string, cwd = process.cwd(), spelling = "--engine"): Promise<LoadedEngine> {
  const { module, options } = parseEngineSpec(text, spelling);
  const file = path.resolve(cwd, module);
  try {
    if (!statSync(file).isFile()) throw new EngineLoadError(`engine ${module}: not a file`);
  } catch (e) {
    if (e instanceof EngineLoadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new EngineLoadError(`engine ${module}: ${code === "ENOENT" ? "no such file" : describe(e)}`);
  }
  let mod: Record<string, unknown>;
  try {
    if (/\.m?ts$/.test(file)) mod = await importTranspiled(file, await transpile(file, module));
    else mod = await importModule(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof EngineLoadError) throw e;
    throw new EngineLoadError(`engine ${module}: cannot load it: ${describe(e)}`);
  }
  const factory = factoryOf(mod);
  if (!factory) {
    throw new EngineLoadError(`engine ${module}: no factory (export a default function, or a function named createEngine)`);
  }
  return { module, options, factory };
}

/** Runs a factory. The result is checked later (checkSpec); a synchronous throw is an EngineLoadError. */
export function callFactory(loaded: LoadedEngine, kernel: Kernel, proc: Process): unknown {
  try {
    return loaded.factory({ kernel, process: proc, options: loaded.options, api });
  } catch (e) {
    throw new EngineLoadError(`engine ${loaded.module}: the factory threw: ${describe(e)}`);
  }
}

/** Checks what a factory returned (after awaiting it): { ops: object, events: non-negative integer }. */
export function checkSpec(loaded: LoadedEngine, value: unknown): EngineSpec {
  const v = value as Partial<EngineSpec> | null | undefined;
  if (v === null || typeof v !== "object" || v.ops === null || typeof v.ops !== "object") {
    throw new EngineLoadError(`engine ${loaded.module}: the factory returned no engine (expected { ops, events, data? })`);
  }
  if (typeof v.events !== "number" || !Number.isInteger(v.events) || v.events < 0) {
    throw new EngineLoadError(`engine ${loaded.module}: the factory returned no valid events mask`);
  }
  return { ops: v.ops, events: v.events, data: v.data };
}

/** Attaches a checked engine to a task: its ops (named after the module if they have no name), data and events. */
export function attachSpec(kernel: Kernel, task: Task, loaded: LoadedEngine, spec: EngineSpec): Engine<unknown> {
  const ops: EngineOps<unknown> = spec.ops.name !== undefined
    ? spec.ops
    : Object.create(spec.ops, { name: { value: loaded.module, enumerable: true } }) as EngineOps<unknown>;
  let engine: Engine<unknown>;
  try {
    engine = kernel.utrace.attachTask(task, UTRACE_ATTACH_CREATE, ops, spec.data ?? null);
  } catch (e) {
    throw new EngineLoadError(`engine ${loaded.module}: cannot attach it: ${describe(e)}`);
  }
  const r = kernel.utrace.setEvents(task, engine, spec.events);
  if (r < 0) throw new EngineLoadError(`engine ${loaded.module}: cannot set its events (error ${-r})`);
  return engine;
}

/** A thenable (what an async factory returns). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

/**
 * Holds a task that has not run yet until release(): the task may run user code, but its first
 * syscall is skipped (UTRACE_SYSCALL_ABORT), rewound at exit (pc back to the ecall, a0 back to the
 * first argument) and the task stopped; release() detaches the holder, and the task re-executes
 * the syscall, seen then by every engine attached in the meantime. Attach this before them.
 */
export function holdFirstSyscall(kernel: Kernel, task: Task): { release(): void } {
  let state: "idle" | "aborted" | "held" | "done" = "idle";
  let released = false;
  const ops: EngineOps<null> = {
    name: "rvtrace-hold",
    reportSyscallEntry(action) {
      if (state !== "idle") return utraceSyscallAction(action) | UTRACE_RESUME;
      state = "aborted";
      return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
    },
    reportSyscallExit(_action, _engine, regs) {
      if (state !== "aborted") return UTRACE_RESUME;
      regs.pc = regs.pc - 4n; // back to the ecall
      regs.returnValue = regs.arg(0);
      if (released) {
        state = "done";
        return UTRACE_DETACH;
      }
      state = "held";
      return UTRACE_STOP;
    },
  };
  const engine = kernel.utrace.attachTask(task, UTRACE_ATTACH_CREATE, ops, null);
  kernel.utrace.setEvents(task, engine, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
  return {
    release() {
      if (released) return;
      released = true;
      if (state === "aborted") return; // the exit callback detaches
      state = "done";
      kernel.utrace.control(task, engine, UTRACE_DETACH);
    },
  };
}
