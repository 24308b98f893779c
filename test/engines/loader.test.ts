// --engine MODULE[:OPTIONS] (src/engines/loader.ts) and the wiring of every engine option for
// `rvtrace trace` (src/cli/trace-engines.ts): loading JavaScript and TypeScript engines, one-line
// errors, command-line order, asynchronous factories, and the option group for the trace parser.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEngineModule, parseEngineSpec } from "../../src/engines/loader.js";
import { EngineLoadError, EngineOptionError } from "../../src/engines/common/errors.js";
import {
  prepareTraceEngines, prepareTraceEngineSlots, traceEngineValues, validateTraceEngineOptions, TRACE_ENGINE_OPTIONS, TRACE_ENGINE_OPTION_DEFS,
  type EngineOptionValue,
} from "../../src/cli/trace-engines.js";
import {
  defaultStraceSettings, parseTraceArgs, STRACE_OPTIONS, TraceUsageError, type TraceSession,
} from "../../src/engines/strace/options.js";
import { GUESTS_DIR, spawnGuest, withTimeout } from "../utrace/helpers.js";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, syscallName, utraceSyscallAction } from "../../src/index.js";

const ROOT = path.resolve(GUESTS_DIR, "..");
const FIXTURES = path.join(ROOT, "test/engines/fixtures");
const fx = (name: string) => `test/engines/fixtures/${name}`;

/** The log a count.mjs / async.mjs engine keeps for OPTIONS = key. */
function logOf(key: string): string[] {
  const g = globalThis as unknown as Record<symbol, string[] | undefined>;
  return g[Symbol.for(`rvtrace-test:${key}`)] ?? [];
}

async function loadError(text: string): Promise<string> {
  try {
    await loadEngineModule(text, ROOT);
  } catch (e) {
    if (e instanceof EngineLoadError || e instanceof EngineOptionError) return e.message;
    throw e;
  }
  return "no error";
}

/** Prepares, spawns, attaches and runs; returns the guest and its status. */
async function runWith(values: EngineOptionValue[], name: string, args: string[]) {
  const attach = await prepareTraceEngines(values, { cwd: ROOT });
  const g = spawnGuest(name, args);
  await attach(g.kernel, g.proc);
  const status = await withTimeout(g.proc.wait(), `${name} to end`);
  return { g, status };
}

describe("loading --engine modules", () => {
  it("splits MODULE:OPTIONS at the first colon", () => {
    expect(parseEngineSpec("./x.mjs")).toEqual({ module: "./x.mjs", options: "" });
    expect(parseEngineSpec("./x.mjs:a=1:b")).toEqual({ module: "./x.mjs", options: "a=1:b" });
    expect(() => parseEngineSpec(":x")).toThrow("--engine :x: missing the module path");
  });

  it("loads a JavaScript engine (default export) relative to the working directory; it sees the whole run", async () => {
    const { g, status } = await runWith([{ kind: "engine", value: `${fx("count.mjs")}:js-basic` }], "asm-hello", []);
    expect(status.exitCode).toBe(0);
    expect(g.stdout()).toBe("Hello from assembly!\n");
    expect(logOf("js-basic")).toEqual(["write", "write", "exit_group"]);
  });

  it("loads a TypeScript engine (named createEngine), transpiled on the fly, and leaves no temporary file", async () => {
    const { g } = await runWith([{ kind: "engine", value: `${fx("getpid.ts")}:777` }], "ix-paths", ["getpid"]);
    expect(g.stdout()).toBe("getpid: 777\n");
    expect(readdirSync(FIXTURES).filter((f) => f.includes(".rvtrace."))).toEqual([]);
  });

  it("loads a CommonJS engine exporting createEngine", async () => {
    const l = await loadEngineModule(fx("common.cjs"), ROOT);
    expect(typeof l.factory).toBe("function");
  });

  it("holds the guest while an asynchronous factory runs: the engine still sees the first syscall", async () => {
    const values: EngineOptionValue[] = [
      { kind: "engine", value: `${fx("count.mjs")}:sync-side` },
      { kind: "engine", value: `${fx("async.mjs")}:async-side` },
    ];
    const { g, status } = await runWith(values, "cat", ["data/poem.txt"]);
    expect(status.exitCode).toBe(0);
    expect(g.stdout()).toMatch(/^The emulator hums/);
    const sync = logOf("sync-side");
    expect(sync[0]).toBe("brk");
    expect(sync).toContain("openat");
    expect(logOf("async-side")).toEqual(sync);
  });

  it("runs beforeEngines after the factories settle, before the engines: what it attaches sees every syscall once", async () => {
    const attach = await prepareTraceEngines([{ kind: "engine", value: `${fx("async.mjs")}:inner-check` }], { cwd: ROOT });
    const g = spawnGuest("asm-hello", []);
    const inner: string[] = [];
    await attach(g.kernel, g.proc, {
      beforeEngines() {
        const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
          reportSyscallEntry(action, _engine, regs) {
            inner.push(syscallName(Number(regs.syscallNumber)));
            return utraceSyscallAction(action) | UTRACE_RESUME;
          },
        }, null);
        g.kernel.utrace.setEvents(g.task, e, UTRACE_EVENT.SYSCALL_ENTRY);
      },
    });
    await withTimeout(g.proc.wait(), "guest");
    expect(inner).toEqual(["write", "write", "exit_group"]);
    expect(logOf("inner-check")).toEqual(inner);
    expect(g.stdout()).toBe("Hello from assembly!\n");
  });

  it("reports every failure as one line naming the module", async () => {
    expect(await loadError("./nope.mjs")).toBe("engine ./nope.mjs: no such file");
    expect(await loadError("test/engines")).toBe("engine test/engines: not a file");
    expect(await loadError(fx("no-factory.mjs")))
      .toBe(`engine ${fx("no-factory.mjs")}: no factory (export a default function, or a function named createEngine)`);
    expect(await loadError(fx("syntax.mjs"))).toMatch(new RegExp(`^engine ${fx("syntax.mjs")}: cannot load it: [^\\n]+$`));
    expect(await loadError(fx("syntax.ts"))).toBe(`engine ${fx("syntax.ts")}: TS1109: Expression expected. (line 3, column 15)`);
  });

  it("a throwing, rejecting or malformed factory is one line, and the guest (which made no syscall) is killed", async () => {
    const cases: [string, string][] = [
      ["throws.mjs", "the factory threw: boom"],
      ["rejects.mjs", "the factory failed: no policy server"],
      ["bad-return.mjs", "the factory returned no engine (expected { ops, events, data? })"],
    ];
    for (const [file, why] of cases) {
      const attach = await prepareTraceEngines([{ kind: "engine", value: fx(file) }], { cwd: ROOT });
      const g = spawnGuest("asm-hello", []);
      let message = "no error";
      try {
        await attach(g.kernel, g.proc);
      } catch (e) {
        message = e instanceof EngineLoadError ? e.message : String(e);
      }
      expect(message).toBe(`engine ${fx(file)}: ${why}`);
      const status = await withTimeout(g.proc.wait(), "the killed guest");
      expect(status.signal).toBe(9);
      expect(g.stdout()).toBe("");
    }
  });
});

describe("wiring (src/cli/trace-engines.ts)", () => {
  it("attaches in command-line order: the later engine is nearer the guest and has the last word at exit", async () => {
    const injectFirst = await runWith(
      [{ kind: "inject", value: "getpid:retval=42" }, { kind: "engine", value: `${fx("getpid.ts")}:7` }], "ix-paths", ["getpid"],
    );
    expect(injectFirst.g.stdout()).toBe("getpid: 7\n");
    const engineFirst = await runWith(
      [{ kind: "engine", value: `${fx("getpid.ts")}:7` }, { kind: "inject", value: "getpid:retval=42" }], "ix-paths", ["getpid"],
    );
    expect(engineFirst.g.stdout()).toBe("getpid: 42\n");
  });

  it("runs every kind of engine together", async () => {
    const values: EngineOptionValue[] = [
      { kind: "remap", value: `/data=${path.join(GUESTS_DIR, "data")}` },
      { kind: "deny", value: "openat:path=*.csv:errno=EACCES" },
      { kind: "fault", value: "getpid:when=2" },
      { kind: "inject", value: "getpid:retval=5:when=3" },
      { kind: "engine", value: `${fx("count.mjs")}:together` },
    ];
    const { g } = await runWith(values, "ix-paths", ["cat:/data/poem.txt", "cat:/data/inventory.csv", "getpid", "getpid", "getpid"]);
    expect(g.stdout()).toMatch(/^cat \/data\/poem.txt: The emulator hums/);
    // glibc's getpid() cannot fail, so it hands the raw -ENOSYS of the fault= rule to the program
    expect(g.stdout().endsWith("cat: Permission denied\ngetpid: 1000\ngetpid: -38\ngetpid: 5\n")).toBe(true);
    expect(logOf("together").filter((n) => n === "getpid")).toHaveLength(3);
  });

  it("gives the same engines as EngineSlots for the CLI's slot mechanism; notes go to session.note", async () => {
    const makeSlots = await prepareTraceEngineSlots([
      { kind: "deny", value: "openat:path=*.csv" },
      { kind: "inject", value: "getpid:retval=3" },
      { kind: "engine", value: `${fx("async.mjs")}:slots` },
    ], { cwd: ROOT });
    const g = spawnGuest("ix-paths", ["cat:data/inventory.csv", "getpid"]);
    const notes: string[] = [];
    const session: TraceSession = {
      kernel: g.kernel, utrace: g.kernel.utrace, process: g.proc, settings: defaultStraceSettings(),
      note: (task, note) => notes.push(`${task.tid} ${note}`), diagnostics: () => {},
    };
    const { slots, release } = await makeSlots(session);
    expect(slots.map((s) => [s.name, s.follow])).toEqual([["policy", "always"], ["inject", "always"], [fx("async.mjs"), "traced"]]);
    for (const slot of slots) slot.attach(session, g.task);
    release();
    await withTimeout(g.proc.wait(), "guest");
    expect(g.stdout()).toBe("cat: Operation not permitted\ngetpid: 3\n");
    expect(notes).toEqual(["1000 DENIED by policy", "1000 INJECTED"]);
    expect(logOf("slots")[0]).toBe("brk");
  });

  it("accepts the values as a record too", async () => {
    const attach = await prepareTraceEngines({ inject: ["getpid:retval=9"], deny: [], engine: [] });
    const g = spawnGuest("ix-paths", ["getpid"]);
    await attach(g.kernel, g.proc);
    await withTimeout(g.proc.wait(), "guest");
    expect(g.stdout()).toBe("getpid: 9\n");
  });

  it("validates every value with one-line messages", async () => {
    const err = (values: EngineOptionValue[]) => {
      try {
        validateTraceEngineOptions(values);
        return "no error";
      } catch (e) {
        return e instanceof EngineOptionError ? e.message : String(e);
      }
    };
    expect(err([{ kind: "inject", value: "openat:error=EFOO" }])).toBe("-e inject=openat:error=EFOO: unknown errno 'EFOO'");
    expect(err([{ kind: "inject", value: "openat:error=EFOO", spelling: "--inject" }])).toBe("--inject=openat:error=EFOO: unknown errno 'EFOO'");
    expect(err([{ kind: "deny", value: "x" }])).toBe("--deny x: invalid system call 'x'");
    expect(err([{ kind: "remap", value: "rel=/x" }])).toBe("--remap rel=/x: the guest prefix must be an absolute path");
    expect(err([{ kind: "engine", value: "" }])).toBe("--engine : missing the module path");
    await expect(prepareTraceEngines([{ kind: "engine", value: "./nope.mjs" }], { cwd: ROOT })).rejects.toThrow("engine ./nope.mjs: no such file");
  });

  it("gives the trace option parser its options, in command-line order, with usage errors", () => {
    const groups = [STRACE_OPTIONS, TRACE_ENGINE_OPTIONS];
    const parsed = parseTraceArgs([
      "--remap", "/d=/x", "-e", "inject=read:error=EIO", "--deny=openat", "--fault=write", "--engine", "./e.mjs:o", "--allow", "all", "prog",
    ], groups);
    expect(traceEngineValues(parsed.ctx)).toEqual([
      { kind: "remap", value: "/d=/x", spelling: "--remap" },
      { kind: "inject", value: "read:error=EIO", spelling: "-e inject" },
      { kind: "deny", value: "openat", spelling: "--deny" },
      { kind: "fault", value: "write", spelling: "--fault" },
      { kind: "engine", value: "./e.mjs:o", spelling: "--engine" },
      { kind: "allow", value: "all", spelling: "--allow" },
    ]);
    expect(parsed.program).toBe("prog");
    const usageError = (argv: string[]) => {
      try {
        parseTraceArgs(argv, groups);
        return "no error";
      } catch (e) {
        return e instanceof TraceUsageError ? e.message : String(e);
      }
    };
    expect(usageError(["-e", "inject=openat:error=EFOO", "prog"])).toBe("-e inject=openat:error=EFOO: unknown errno 'EFOO'");
    expect(usageError(["-e", "fault=openat:retval=1", "prog"])).toBe("-e fault=openat:retval=1: retval= is not valid with fault= (use -e inject=)");
    expect(usageError(["--deny", "openat:errno=EBOGUS", "prog"])).toBe("--deny openat:errno=EBOGUS: unknown errno 'EBOGUS'");
    expect(TRACE_ENGINE_OPTION_DEFS.map((d) => d.kind)).toEqual(["inject", "fault", "deny", "allow", "remap", "engine"]);
  });
});
