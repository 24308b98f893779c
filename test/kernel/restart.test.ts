// A signal that interrupts a blocked syscall: the call returns Linux's restart code (what a tracer
// sees at syscall exit), and the signal's delivery turns it into EINTR or a restart, as Linux does.
// Guest: restart (guests/src/restart.c).
import { describe, expect, it } from "vitest";
import { UTRACE_EVENT, UTRACE_INTERRUPT, UTRACE_RESUME } from "../../src/index.js";
import { start, attach, waitFor, settle, SIG, NR } from "../utrace/helpers-b.js";
import { blocked, exits, watchTimers } from "./wait-helpers.js";

const ERESTARTSYS = 512;
const ERESTART_RESTARTBLOCK = 516;

/** glibc's nanosleep is clock_nanosleep. */
const NR_CLOCK_NANOSLEEP = 115;

describe("a signal interrupting a blocked read (ERESTARTSYS)", () => {
  it("with a handler without SA_RESTART: read fails with EINTR", async () => {
    const run = start("restart", ["read"]);
    const reads = exits(run, NR.read);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe("ready\nread: -1 Interrupted system call, handled 1\n");
    expect(reads).toEqual([-BigInt(ERESTARTSYS)]);
  });

  it("with SA_RESTART: read starts again after the handler and gets what comes later", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    const reads = exits(run, NR.read);
    await blocked(run);
    run.p.kill(SIG.USR1);
    await waitFor(() => reads.length === 1 && run.task.state === "blocked", "the restarted read to block");
    run.stdin.write("hello\n");
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe('ready\nread: 6 "hello\n", handled 1\n');
    expect(reads).toEqual([-BigInt(ERESTARTSYS), 6n]);
  });

  it("an engine's rewrite of the return value at syscall exit has the last word", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    attach(run, {
      name: "rewrite",
      reportSyscallExit(_action, _e, regs) {
        if (Number(regs.syscallNumber) === NR.read && regs.returnValue === -BigInt(ERESTARTSYS)) regs.returnValue = 0n;
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_EXIT);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe('ready\nread: 0 "", handled 1\n');
  });
});

describe("a signal interrupting nanosleep (ERESTART_RESTARTBLOCK)", () => {
  it("with a handler: EINTR whatever SA_RESTART says, the time left in rem, and the host timer cleared", async () => {
    // The sleep's host timer (the one set for about 2 s) must be cleared by the interruption, or it
    // would keep rvtrace's process alive after the guest has ended.
    const timers = watchTimers(1500, 2001);
    try {
      const run = start("restart", ["sleep"]);
      const sleeps = exits(run, NR_CLOCK_NANOSLEEP);
      await blocked(run);
      const sent = Date.now();
      run.p.kill(SIG.USR1);
      expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
      expect(Date.now() - sent).toBeLessThan(1500);
      expect(run.out()).toBe("ready\nnanosleep: -1 Interrupted system call, handled 1, rem between 1 and 2 s: 1\n");
      expect(sleeps).toEqual([-BigInt(ERESTART_RESTARTBLOCK)]);
      expect(timers.made).toHaveLength(1);
      expect(timers.clearSpy).toHaveBeenCalledWith(timers.made[0]);
    } finally {
      timers.restore();
    }
  });

  it("with no handler (an engine's INTERRUPT): the sleep restarts towards the same deadline", async () => {
    const run = start("restart", ["sleep-nohandler"]);
    const sleeps = exits(run, NR_CLOCK_NANOSLEEP);
    await blocked(run);
    await settle(100);
    const e = run.k.utrace.attachTask(run.task, 0, { name: "poke" }, undefined);
    expect(run.k.utrace.control(run.task, e, UTRACE_INTERRUPT)).toBe(0);
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe("ready\nnanosleep: 0, took 0.3 to 0.55 s: 1\n");
    expect(sleeps).toEqual([-BigInt(ERESTART_RESTARTBLOCK), 0n]);
  });
});

describe("timed futex waits", () => {
  it("take FUTEX_WAIT_BITSET's timeout as an absolute time on CLOCK_REALTIME or CLOCK_MONOTONIC", async () => {
    const run = start("restart", ["timedwait"]);
    expect(await run.wait()).toEqual({ exitCode: 0, signal: null, coreDumped: false });
    expect(run.out()).toBe(
      "sem_timedwait: -1 Connection timed out, on time 1\nsem_clockwait: -1 Connection timed out, on time 1\n",
    );
  });
});
