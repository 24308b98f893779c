// World.pendingTimers: what the deadlock check (src/kernel/deadlock.ts) counts as a timer that can
// still wake a task. A timer counts from set until it fires or is cancelled, once: a count that
// leaked would make a later deadlock wait for ever, one that went short would end a run whose
// sleep was still going.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HostWorld } from "../../src/kernel/world/host-world.js";
import { DeterministicWorld } from "../../src/kernel/world/deterministic-world.js";

describe("HostWorld.pendingTimers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "hrtime"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts a timer until it fires, and a cancel after that changes nothing", () => {
    const w = new HostWorld();
    let fired = 0;
    const h = w.setTimer(w.monotonicNs() + 5_000_000n, () => fired++);
    expect(w.pendingTimers()).toBe(1);
    vi.advanceTimersByTime(4);
    expect([w.pendingTimers(), fired]).toEqual([1, 0]);
    vi.advanceTimersByTime(1);
    expect([w.pendingTimers(), fired]).toEqual([0, 1]);
    h.cancel();
    expect(w.pendingTimers()).toBe(0);
  });

  it("counts a timer until it is cancelled, once however often, and a cancelled one never fires", () => {
    const w = new HostWorld();
    let fired = 0;
    const a = w.setTimer(w.monotonicNs() + 5_000_000n, () => fired++);
    w.setTimer(w.monotonicNs() + 10_000_000n, () => fired++);
    expect(w.pendingTimers()).toBe(2);
    a.cancel();
    a.cancel();
    expect(w.pendingTimers()).toBe(1);
    vi.advanceTimersByTime(10);
    expect([w.pendingTimers(), fired]).toEqual([0, 1]);
  });

  it("a timer set by a firing one (an interval timer re-arming) counts again", () => {
    const w = new HostWorld();
    w.setTimer(w.monotonicNs() + 1_000_000n, () => w.setTimer(w.monotonicNs() + 1_000_000n, () => {}));
    vi.advanceTimersByTime(1);
    expect(w.pendingTimers()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(w.pendingTimers()).toBe(0);
  });
});

describe("DeterministicWorld.pendingTimers", () => {
  it("counts virtual timers until they fire or are cancelled", () => {
    const w = new DeterministicWorld(() => 0, { seed: 0n, dateNs: 0n });
    const a = w.setTimer(w.monotonicNs() + 1000n, () => {});
    w.setTimer(w.monotonicNs() + 2000n, () => {});
    expect(w.pendingTimers()).toBe(2);
    a.cancel();
    expect(w.pendingTimers()).toBe(1);
    expect(w.skipToNextTimer()).toBe(true);
    expect(w.pendingTimers()).toBe(0);
  });
});
