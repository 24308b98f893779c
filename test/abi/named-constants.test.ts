// The single constants the kernel names (clock ids in src/abi/clocks.ts, signal numbers in
// src/abi/signals.ts) have the values of the tables the strace printer uses: CLOCK_NAMES and SIGNALS,
// which the xlat header tests compare with Debian's riscv64 kernel headers.
import { describe, expect, it } from "vitest";
import * as clocks from "../../src/abi/clocks.js";
import * as signals from "../../src/abi/signals.js";
import { CLOCK_NAMES } from "../../src/abi/xlat/time.js";

describe("named constants", () => {
  it("each clock id has the value its name has in CLOCK_NAMES", () => {
    const named = new Map(CLOCK_NAMES.entries.map(([name, value]) => [name, Number(value)]));
    const ids = Object.entries(clocks);
    expect(ids.length).toBe(10);
    for (const [name, value] of ids) expect([name, value]).toEqual([name, named.get(name)]);
  });

  it("each signal number has the value its name has in SIGNALS", () => {
    const named = new Map(signals.SIGNALS.map(([number, name]) => [name, number]));
    const numbers = Object.entries(signals).filter(([name, v]) => /^SIG[A-Z]+$/.test(name) && typeof v === "number");
    expect(numbers.length).toBeGreaterThan(15);
    for (const [name, value] of numbers) expect([name, value]).toEqual([name, named.get(name)]);
  });
});
