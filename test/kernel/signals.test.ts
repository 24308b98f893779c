// src/kernel/signals.ts on its own: the dispositions a process starts with, and the order Linux's
// next_signal dequeues in (delivery and signalfd both take signals in it).
import { describe, expect, it } from "vitest";
import { NSIG, SIGBUS, SIGCHLD, SIGSEGV, SIGSYS, SIGTRAP } from "../../src/abi/signals.js";
import { defaultSigActions, nextSignalIndex, sigbit, type SignalInfo } from "../../src/kernel/signals.js";

const queued = (...signos: number[]): SignalInfo[] => signos.map((signo, i) => ({ signo, code: i }));
const all = (): boolean => true;

describe("defaultSigActions", () => {
  it("has a default entry for every signal, 1 to NSIG (indexed by number)", () => {
    const acts = defaultSigActions();
    expect(acts).toHaveLength(NSIG + 1);
    for (let s = 1; s <= NSIG; s++) expect(acts[s]).toEqual({ handler: 0n, flags: 0n, restorer: 0n, mask: 0n });
    // each its own object: a sigaction set for one signal is not another's
    acts[2].handler = 1n;
    expect(acts[3].handler).toBe(0n);
  });
});

describe("nextSignalIndex (next_signal's order)", () => {
  it("the lowest number first", () => {
    expect(nextSignalIndex(queued(15, 10, 12), all)).toBe(1);
  });

  it("a signal a fault raises before any other, the lowest of them first", () => {
    expect(nextSignalIndex(queued(2, SIGSYS, SIGCHLD, SIGSEGV, SIGTRAP), all)).toBe(4);
    expect(nextSignalIndex(queued(1, SIGSYS), all)).toBe(1);
    expect(nextSignalIndex(queued(SIGSEGV, SIGBUS), all)).toBe(1);
  });

  it("of one number, the one sent first (real-time signals queue)", () => {
    expect(nextSignalIndex(queued(40, 34, 34), all)).toBe(1);
  });

  it("only among the signals `wanted` takes; -1 when none", () => {
    const list = queued(SIGSEGV, 10, 12);
    expect(nextSignalIndex(list, (s) => s !== SIGSEGV)).toBe(1);
    expect(nextSignalIndex(list, (s) => (sigbit(12) & sigbit(s)) !== 0n)).toBe(2);
    expect(nextSignalIndex(list, () => false)).toBe(-1);
    expect(nextSignalIndex([], all)).toBe(-1);
  });
});
