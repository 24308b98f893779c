// The fault address of a jalr to an odd negative target (found while writing the mutation tests of
// src/cpu/alu.ts). jalr's target is (rs1 + imm) with bit 0 cleared, as a 64-bit value: for
// rs1 + imm = -3 that is ...11100 = -4, so the fetch faults at 0xfffffffffffffffc. qemu-riscv64
// reports exactly that as si_addr for `jalr ra, 0(t)` with t = -3 (checked by hand with a static
// guest that prints si_addr from a SIGSEGV handler).
// jalrFault computes target - (target % 2), which for a negative odd target adds one instead of
// clearing the bit: -3 - (-1) = -2, so rvtrace reports 0xfffffffffffffffe.
// This file is not in a mutation-testing group (stryker/groups.mjs): Stryker needs every test of
// a group to pass before it mutates anything.
import { describe, expect, it } from "vitest";
import { Hart, SEGV_MAPERR } from "../../src/cpu/hart.js";
import { jalrFault } from "../../src/cpu/alu.js";

describe("jalrFault with an odd negative target", () => {
  it("clears bit 0 of the two's complement address, as jalr does", () => {
    const h = new Hart();
    jalrFault(h, -3);
    expect(h.trapAddress).toBe(2n ** 64n - 4n);
    expect(h.trapCode).toBe(SEGV_MAPERR);
  });
});
