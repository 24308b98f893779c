// The descriptor allocator (free-slots.ts, used by fd-table.ts) against a naive model: after any
// sequence of opens, opens at a minimum (F_DUPFD), opens at an exact number (dup2) and closes, the
// number handed out is the lowest free one, as a linear scan would find it.
import { describe, expect, it } from "vitest";
import { FreeSlots } from "../../src/kernel/free-slots.js";
import { FdTable } from "../../src/kernel/fd-table.js";
import { FileBase } from "../../src/kernel/vfs/open-file.js";
import { E } from "../../src/abi/gen/errno.js";
import type { StatInfo } from "../../src/kernel/vfs/stat.js";

/** A small seeded generator (xorshift32), so a failure can be replayed. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** The model: a set of used numbers, searched linearly. */
function naiveLowest(used: Set<number>, from: number): number {
  let i = from;
  while (used.has(i)) i++;
  return i;
}

class Probe extends FileBase {
  readonly kind = "file";
  constructor() {
    super(0, "probe");
  }
  stat(): StatInfo | number {
    return -E.ENOSYS;
  }
}

describe("FreeSlots", () => {
  for (const [seed, span] of [[1, 64], [2, 1500], [3, 40_000], [4, 3000]] as const) {
    it(`returns the lowest free slot after random marks and frees (seed ${seed}, slots up to ${span})`, () => {
      const random = rng(seed);
      const slots = new FreeSlots();
      const used = new Set<number>();
      for (let step = 0; step < 20_000; step++) {
        const op = random(10);
        if (op < 5) {
          // Take the lowest free slot at or above a minimum (0 most of the time, as open does).
          const from = op === 0 ? random(span) : 0;
          const got = slots.lowestFree(from);
          expect(got).toBe(naiveLowest(used, from));
          slots.markUsed(got);
          used.add(got);
        } else if (op < 6) {
          // Take an exact slot (dup2), possibly far past everything else.
          const at = random(span);
          slots.markUsed(at);
          used.add(at);
        } else if (used.size > 0) {
          // Free a random used slot, or a run of them (close_range).
          const list = [...used];
          const at = list[random(list.length)];
          const run = op === 9 ? 1 + random(64) : 1;
          for (let i = at; i < at + run; i++) {
            slots.markFree(i);
            used.delete(i);
          }
        }
        if (step % 97 === 0) {
          const probe = random(span);
          expect(slots.lowestFree(probe)).toBe(naiveLowest(used, probe));
          expect(slots.isUsed(probe)).toBe(used.has(probe));
        }
      }
    });
  }

  it("fills a whole multi-level tree in order and finds the holes left in it", () => {
    const slots = new FreeSlots();
    const n = 32 * 32 * 32 + 5; // past two growths
    for (let i = 0; i < n; i++) {
      expect(slots.lowestFree()).toBe(i);
      slots.markUsed(i);
    }
    for (const hole of [31_000, 1023, 32, 0]) slots.markFree(hole);
    expect(slots.lowestFree()).toBe(0);
    expect(slots.lowestFree(1)).toBe(32);
    expect(slots.lowestFree(33)).toBe(1023);
    expect(slots.lowestFree(1024)).toBe(31_000);
    expect(slots.lowestFree(31_001)).toBe(n);
  });

  it("a clone is independent of its original", () => {
    const a = new FreeSlots();
    for (let i = 0; i < 10; i++) a.markUsed(i);
    const b = a.clone();
    b.markFree(3);
    a.markFree(7);
    expect(a.lowestFree()).toBe(7);
    expect(b.lowestFree()).toBe(3);
  });
});

describe("FdTable allocation against the model", () => {
  it("install, install(min), installAt and close agree with a linear scan, and EMFILE comes at the limit", () => {
    const random = rng(7);
    const table = new FdTable();
    table.limit = 5000;
    const file = new Probe();
    const used = new Set<number>();
    for (let step = 0; step < 30_000; step++) {
      const op = random(8);
      if (op < 4) {
        const min = op === 0 ? random(table.limit) : 0;
        const expected = naiveLowest(used, min);
        const got = table.install(file, min);
        if (expected >= table.limit) expect(got).toBe(-E.EMFILE);
        else {
          expect(got).toBe(expected);
          used.add(got);
        }
      } else if (op === 4) {
        const at = random(table.limit);
        expect(table.installAt(at, file)).toBe(at);
        used.add(at);
      } else if (used.size > 0) {
        const list = [...used];
        const fd = list[random(list.length)];
        expect(table.close(fd)).toBe(0);
        used.delete(fd);
      }
    }
    expect(table.fds()).toEqual([...used].sort((a, b) => a - b));
    const copy = table.clone();
    expect(copy.install(file)).toBe(naiveLowest(used, 0));
  });

  it("charges each allocation to its meter, and a fork's copy keeps the meter", () => {
    let charged = 0;
    const table = new FdTable();
    table.meter = { chargeFdAllocation: () => charged++ };
    table.install(new Probe());
    table.installAt(9, new Probe());
    expect(charged).toBe(2);
    table.clone().install(new Probe());
    expect(charged).toBe(3);
  });
});
