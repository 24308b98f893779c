// Waits that end from outside the guest: poll woken by input, poll and sigwaitinfo ended by a
// signal, and interval timers, which must not outlive the process that set them.
// Guest: waits (guests/src/waits.c); the self-contained cases are the poll and alarm guests.
import { describe, expect, it } from "vitest";
import { start, SIG } from "../utrace/helpers-b.js";
import { blocked, exits, watchTimers } from "./wait-helpers.js";

const ERESTARTNOHAND = 514;
const NR_PPOLL = 73;
const OK = { exitCode: 0, signal: null, coreDumped: false };

describe("ppoll", () => {
  it("wakes when input arrives on stdin", async () => {
    const run = start("waits", ["stdin"]);
    await blocked(run);
    run.stdin.write("hi\n");
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe('ready\npoll: 1 revents 0x1, read 3 "hi\n"\n');
  });

  it("ends with EINTR when a handled signal comes, SA_RESTART or not (ERESTARTNOHAND)", async () => {
    const run = start("waits", ["poll-signal"]);
    const polls = exits(run, NR_PPOLL);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe("ready\npoll: -1 Interrupted system call, handled 1\n");
    expect(polls).toEqual([-BigInt(ERESTARTNOHAND)]);
  });
});

describe("rt_sigtimedwait", () => {
  it("takes a blocked signal sent while it waits, without running the handler", async () => {
    const run = start("waits", ["sigwait"]);
    await blocked(run);
    run.p.kill(SIG.USR1);
    expect(await run.wait()).toEqual(OK);
    expect(run.out()).toBe("ready\nsigwaitinfo: 10 code 0, handled 0\n");
  });
});

describe("interval timers", () => {
  it("are stopped when the process ends, so no host timer is left behind", async () => {
    // alarm(100): the host timer set for 100 s must be cleared when the process ends.
    const timers = watchTimers(99_000, 100_001);
    try {
      const run = start("waits", ["alarm-exit"]);
      expect(await run.wait()).toEqual(OK);
      expect(run.out()).toBe("alarm set\n");
      expect(timers.made).toHaveLength(1);
      expect(timers.clearSpy).toHaveBeenCalledWith(timers.made[0]);
    } finally {
      timers.restore();
    }
  });
});
