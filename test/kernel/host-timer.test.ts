// Host timers for guest waits longer than Node's limit (2^31 - 1 ms, about 24.8 days): Node turns a
// longer delay into 1 ms, so setitimer, futex, poll and sigtimedwait timeouts of a month fired at
// once (found by the syscall fuzzer). Checked with vitest's fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearLongTimeout, setLongTimeout } from "../../src/kernel/host/timer.js";

const MAX = 2 ** 31 - 1;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("setLongTimeout", () => {
  it("waits the whole of a delay longer than one Node timer can", () => {
    const fn = vi.fn();
    setLongTimeout(fn, 3 * MAX + 5);
    vi.advanceTimersByTime(3 * MAX + 4);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("waits a short delay as setTimeout does, and a negative one not at all", () => {
    const short = vi.fn();
    const negative = vi.fn();
    setLongTimeout(short, 10);
    setLongTimeout(negative, -5);
    vi.advanceTimersByTime(0);
    expect(negative).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(9);
    expect(short).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(short).toHaveBeenCalledTimes(1);
  });

  it("is cancelled at any link of the chain", () => {
    const fn = vi.fn();
    const timer = setLongTimeout(fn, 2 * MAX + 100);
    vi.advanceTimersByTime(MAX + 50);
    clearLongTimeout(timer);
    vi.advanceTimersByTime(2 * MAX);
    expect(fn).not.toHaveBeenCalled();
  });
});
