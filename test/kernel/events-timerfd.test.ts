// timerfd's counting on a virtual clock (src/kernel/events/timerfd.ts), where the host cannot give
// exact numbers: every interval elapsed counts once whenever the count is read, the time to the
// next expiry is exact, a timer nobody waits on stops asking the world for wake-ups (a periodic
// timer must not keep a deterministic run's clock ticking for ever), and closing cancels it.
import { describe, expect, it } from "vitest";
import { VirtualTimers } from "../../src/kernel/world/virtual-timers.js";
import type { World } from "../../src/kernel/world/world.js";
import { TimerFdFile } from "../../src/kernel/events/timerfd.js";
import { Blocked } from "../../src/kernel/wait-queue.js";
import { O } from "../../src/abi/fs.js";

const MS = 1_000_000n;
const REALTIME_OFFSET = 1_700_000_000_000_000_000n;

/** A world of nothing but a virtual monotonic clock, its realtime a fixed offset away. */
function clock() {
  const timers = new VirtualTimers();
  let now = 0n;
  const world = {
    monotonicNs: () => now,
    realtimeNs: () => now + REALTIME_OFFSET,
    setTimer: (deadline: bigint, cb: () => void) => timers.add(deadline, cb),
  } as unknown as World;
  const advance = (ns: bigint) => {
    now += ns;
    timers.fireDue(now);
  };
  return { world, timers, advance };
}

function readCount(f: TimerFdFile): bigint | number | Blocked {
  const buf = new Uint8Array(8);
  const r = f.read(buf);
  return typeof r === "number" && r === 8 ? new DataView(buf.buffer).getBigUint64(0, true) : r;
}

const TIME = { sec: 0n, nsec: 0n };

describe("timerfd on a virtual clock", () => {
  it("counts every interval elapsed, and shows the exact time to the next expiry", () => {
    const c = clock();
    const f = new TimerFdFile(c.world, 1, O.NONBLOCK, TIME);
    f.set(1n * MS, 1n * MS, false);
    c.advance(10n * MS + MS / 2n);
    expect(f.get()).toEqual({ value: MS / 2n, interval: MS });
    expect(readCount(f)).toBe(10n);
    c.advance(3n * MS);
    expect(readCount(f)).toBe(3n);
    expect(readCount(f)).toBe(-11); // EAGAIN
  });

  it("an absolute realtime deadline is met on the monotonic clock", () => {
    const c = clock();
    const f = new TimerFdFile(c.world, 0, 0, TIME);
    f.set(REALTIME_OFFSET + 5n * MS, 0n, true);
    c.advance(5n * MS - 1n);
    expect(readCount(f)).toBeInstanceOf(Blocked);
    c.advance(1n);
    expect(readCount(f)).toBe(1n);
    expect(f.get()).toEqual({ value: 0n, interval: 0n });
  });

  it("a periodic timer nobody waits on asks for no more wake-ups; a wait asks again", () => {
    const c = clock();
    const f = new TimerFdFile(c.world, 1, O.NONBLOCK, TIME);
    f.set(1n * MS, 1n * MS, false);
    expect(c.timers.size).toBe(1);
    c.advance(1n * MS);
    expect(c.timers.size).toBe(0);
    let woken = 0;
    expect(readCount(f)).toBe(1n);
    f.queue.add(() => woken++);
    expect(c.timers.size).toBe(1);
    c.advance(1n * MS);
    expect(woken).toBe(1);
    expect(f.poll().events & 1).toBe(1);
  });

  it("settime returns the old setting and resets the count; close cancels the timer", () => {
    const c = clock();
    const f = new TimerFdFile(c.world, 1, O.NONBLOCK, TIME);
    f.set(4n * MS, 2n * MS, false);
    c.advance(9n * MS);
    expect(f.set(0n, 0n, false)).toEqual({ value: 1n * MS, interval: 2n * MS });
    expect(readCount(f)).toBe(-11);
    f.set(1n * MS, 0n, false);
    expect(c.timers.size).toBe(1);
    f.close();
    expect(c.timers.size).toBe(0);
  });
});
