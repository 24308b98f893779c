// How later features (fault injection, policies, --remap, --engine) plug into `rvtrace trace`:
// an option group of their own, whose options push EngineSlots; the CLI attaches the slots around
// the printer and lets them annotate the printed line. Checked here with a toy injector.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OPTION_GROUPS, traceMain } from "../../src/cli/trace.js";
import {
  TraceUsageError, type EngineSlot, type TraceOptionContext, type TraceOptionGroup,
} from "../../src/engines/strace/options.js";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_SYSCALL_ABORT, UTRACE_SYSCALL_RESUMED, utraceSyscallAction,
} from "../../src/index.js";

const guest = path.resolve(__dirname, "../../guests/bin/utc-getpid");

/** --fake-inject=NR:VALUE: skip syscall NR, return VALUE, and say so on the trace line. */
function fakeInject(order: string[]): TraceOptionGroup {
  return {
    title: "Toy injection",
    options: [
      {
        long: ["fake-inject"], arg: "required", valueName: "NR:VALUE", help: "skip syscall NR, returning VALUE",
        apply: (ctx, v) => {
          const m = /^(\d+):(-?\d+)$/.exec(v ?? "");
          if (!m) throw new TraceUsageError(`--fake-inject expects NR:VALUE, got '${v}'`);
          const nr = BigInt(m[1]);
          const value = BigInt(m[2]);
          ctx.engines.push({
            name: "fake-inject",
            follow: "always",
            attach: (session, task) => {
              order.push("fake-inject");
              const engine = session.utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
                reportSyscallEntry(action, _e, regs) {
                  if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== nr) return utraceSyscallAction(action) | UTRACE_RESUME;
                  regs.returnValue = value;
                  session.note(task, "INJECTED");
                  return UTRACE_SYSCALL_ABORT | UTRACE_RESUME;
                },
              }, null);
              session.utrace.setEvents(task, engine, UTRACE_EVENT.SYSCALL_ENTRY);
            },
            finish: () => {
              order.push("finish");
            },
          });
        },
      },
    ],
  };
}

describe("option groups of other features", () => {
  it("parse their options, attach their engines before the printer, and annotate its lines", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-ext-"));
    try {
      const log = path.join(dir, "t");
      const order: string[] = [];
      const status = await traceMain(
        ["-a0", "-o", log, "-e", "trace=getpid", "--fake-inject=172:42", guest],
        [...OPTION_GROUPS, fakeInject(order)],
      );
      expect(status).toBe(42);
      expect(readFileSync(log, "utf8")).toBe("getpid() = 42 (INJECTED)\n+++ exited with 42 +++\n");
      expect(order).toEqual(["fake-inject", "finish"]);
      // --trace-inner puts the printer beneath the injector: the call never ran, and is shown as
      // strace shows an injected call, with the injector's result and note.
      await traceMain(["--trace-inner", "-a0", "-o", log, "-e", "trace=getpid", "--fake-inject=172:42", guest], [...OPTION_GROUPS, fakeInject([])]);
      expect(readFileSync(log, "utf8")).toBe("getpid() = 42 (INJECTED)\n+++ exited with 42 +++\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("may prepare asynchronously before the spawn and make slots after it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-ext-"));
    try {
      const log = path.join(dir, "t");
      const order: string[] = [];
      const group: TraceOptionGroup = {
        title: "Async",
        options: [{ long: ["async-inject"], arg: "none", help: "", apply: (ctx) => void ctx.ext.set("async", true) }],
        async prepare(ctx) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(`prepare ${ctx.ext.get("async") === true}`);
        },
        async start(session) {
          order.push(`start ${session.process.pid}`);
          const injector = fakeInject(order).options[0];
          const ctx2 = { engines: [] as EngineSlot[] } as unknown as TraceOptionContext;
          injector.apply(ctx2, "172:7", "--fake-inject");
          return { slots: ctx2.engines, release: () => order.push("release") };
        },
      };
      const status = await traceMain(["-a0", "-o", log, "-e", "trace=getpid", "--async-inject", guest], [...OPTION_GROUPS, group]);
      expect(status).toBe(7);
      expect(readFileSync(log, "utf8")).toBe("getpid() = 7 (INJECTED)\n+++ exited with 7 +++\n");
      expect(order).toEqual(["prepare true", "start 1000", "fake-inject", "release", "finish"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("their usage errors are one line and status 2", async () => {
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await traceMain(["--fake-inject=x", guest], [...OPTION_GROUPS, fakeInject([])])).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    expect(writes).toEqual(["rvtrace: --fake-inject expects NR:VALUE, got 'x'\n"]);
  });
});
