// rvtrace's extension of the utrace API for record and replay (docs/engines.md, "Guest memory a
// syscall wrote"): the memory the kernel wrote during a syscall, given at its exit report to an
// engine that asked for it, and written back with the kernel's rights; and a restart code that an
// engine leaves in a0 of a call it answered itself, which the signal's delivery treats as Linux does.
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import {
  GuestFault, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_ABORT,
  UTRACE_SYSCALL_RESUMED, utraceSyscallAction, type EngineOps, type SyscallWrite,
} from "../../src/index.js";
import { GUESTS, NR, SIG, start, untilStopped, waitFor, type Run } from "./helpers-b.js";

const NR_MMAP = 222;
const ERESTARTSYS = 512;

/** Attaches `ops` to the run's first task for syscall exits (and entries), with the write log or not. */
function attachExit(run: Run, ops: EngineOps<null>, log: boolean) {
  const u = run.k.utrace;
  const engine = u.attachTask(run.task, UTRACE_ATTACH_CREATE, ops, null);
  expect(u.setEvents(run.task, engine, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT)).toBe(0);
  expect(u.setSyscallWriteLog(run.task, engine, log)).toBe(0);
  return engine;
}

describe("syscallWrites", () => {
  it("gives the bytes a read put into the guest's buffer, at the buffer's address", async () => {
    const run = start("readdata", ["data/poem.txt"]);
    const seen: { buf: bigint; count: bigint; writes: SyscallWrite[] }[] = [];
    attachExit(run, {
      reportSyscallExit(_action, engine, regs) {
        if (regs.syscallNumber === BigInt(NR.read)) seen.push({ buf: regs.arg(1), count: regs.arg(2), writes: run.k.utrace.syscallWrites(engine.task) });
        return UTRACE_RESUME;
      },
    }, true);
    await run.wait();
    const poem = fs.readFileSync(path.join(GUESTS, "data/poem.txt"));
    // The whole file (readdata asks for its size), then a read at the end of it: the kernel reads
    // into guest memory directly, so the range it opened for writing is the whole buffer.
    expect(seen).toHaveLength(2);
    expect(seen[0].writes).toEqual([{ addr: Number(seen[0].buf), bytes: new Uint8Array(poem) }]);
    expect(seen[1].writes.map((w) => [w.addr, w.bytes.length])).toEqual([[Number(seen[1].buf), Number(seen[1].count)]]);
  });

  it("is empty when no engine asked for the log", async () => {
    const run = start("readdata", ["data/poem.txt"]);
    const seen: SyscallWrite[][] = [];
    attachExit(run, {
      reportSyscallExit(_action, engine, regs) {
        if (regs.syscallNumber === BigInt(NR.read)) seen.push(run.k.utrace.syscallWrites(engine.task));
        return UTRACE_RESUME;
      },
    }, false);
    await run.wait();
    expect(seen).toEqual([[], []]);
  });

  it("includes a file mapping's bytes, which pokeSyscallWrites can replace in its read-only pages", async () => {
    const run = start("rr-inputs", ["data/poem.txt", "data", "/dev/null"]);
    run.stdin.end();
    let faulted = false;
    let mapped: SyscallWrite[] = [];
    attachExit(run, {
      reportSyscallExit(_action, engine, regs) {
        if (regs.syscallNumber !== BigInt(NR_MMAP) || regs.arg(4) === -1n || regs.returnValue < 0n) return UTRACE_RESUME;
        const u = run.k.utrace;
        mapped = u.syscallWrites(engine.task);
        const last = mapped[mapped.length - 1];
        const end = BigInt(last.addr + last.bytes.length - 1);
        try {
          engine.task.writeBytes(end, Uint8Array.of(0x21));
        } catch (e) {
          faulted = e instanceof GuestFault;
        }
        last.bytes[last.bytes.length - 1] = 0x21;
        u.pokeSyscallWrites(engine.task, mapped);
        return UTRACE_RESUME;
      },
    }, true);
    await run.wait();
    const poem = fs.readFileSync(path.join(GUESTS, "data/poem.txt"));
    expect(mapped.reduce((n, w) => n + w.bytes.length, 0)).toBe(poem.length);
    expect(faulted).toBe(true);
    // The guest compares the mapping with what read() gave: the last byte is now the engine's.
    expect(run.out()).toContain("mapped, last byte 21, same as read: 0\n");
  });
});

describe("a restart code left at the exit of an aborted call", () => {
  it("restarts the call when the signal's handler has SA_RESTART, as a restart code from the kernel does", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    let reads = 0;
    let answering = false;
    const engine = attachExit(run, {
      reportSyscallEntry(action, _engine, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== BigInt(NR.read)) return utraceSyscallAction(action) | UTRACE_RESUME;
        // The first read is answered here, after a stop, as a replay answers a read of stdin that
        // a signal interrupted when recorded; the second one runs.
        answering = ++reads === 1;
        return answering ? UTRACE_SYSCALL_ABORT | UTRACE_STOP : utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_action, _engine, regs) {
        if (answering) regs.returnValue = BigInt(-ERESTARTSYS);
        answering = false;
        return UTRACE_RESUME;
      },
    }, false);
    await untilStopped(run.task);
    run.k.sendProcessSignal(run.p, { signo: SIG.USR1, code: 0 });
    expect(run.k.utrace.control(run.task, engine, UTRACE_RESUME)).toBe(0);
    await waitFor(() => reads === 2, "the read to be made again");
    run.stdin.end("abc");
    await run.wait();
    expect(run.out()).toBe('ready\nread: 3 "abc", handled 1\n');
  });
});
