// Engines' scratch memory (src/kernel/scratch.ts) and the reserved top of the memory: scratch lies
// in hidden pages, which are mapped read-write and zeroed when released, so a scratch range in
// [GUEST_LIMIT, 4 GiB) would open the register slots and the permission table to the guest (and to
// every syscall's checked accessors) and then wipe them. However much scratch one address space
// takes, all of it must lie in guest memory.
import { describe, expect, it } from "vitest";
import { Hart } from "../../src/cpu/hart.js";
import { allocScratch, releaseScratch } from "../../src/kernel/scratch.js";
import type { Task } from "../../src/kernel/task.js";
import { AddressSpace, GUEST_LIMIT, PAGE_MAPPED, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";

const PAGE = 4096;
const MIB = 1 << 20;

describe("scratch memory", () => {
  it("stays below GUEST_LIMIT until it runs out, and its release leaves the registers and permission table alone", () => {
    const mem = new AddressSpace();
    try {
      mem.map(0x10000, PAGE, PROT_READ | PROT_WRITE, "data");
      const hart = new Hart();
      hart.homeIn(mem);
      for (let n = 1; n < 32; n++) hart.setX(n, BigInt(n) * 0x0123_4567n);
      const registers = () => Array.from({ length: 32 }, (_, n) => hart.getX(n));
      const before = registers();
      const t = { process: { mem }, mem, hart, scratch: null, origA0: 0n } as unknown as Task;
      // One syscall's engine asking for 1 MiB at a time until there is none left.
      const ranges: string[] = [];
      for (let k = 0; k < 1024; k++) {
        let at: number;
        try {
          at = allocScratch(t, MIB);
        } catch (e) {
          expect(String(e)).toMatch(/scratch memory exhausted/);
          break;
        }
        if (at + MIB > GUEST_LIMIT) ranges.push(`0x${at.toString(16)}-0x${(at + MIB).toString(16)}`);
      }
      expect(ranges).toEqual([]);
      expect(Array.from(mem.perms.subarray(GUEST_LIMIT / PAGE)).every((bits) => bits === 0)).toBe(true);
      releaseScratch(t);
      expect(registers()).toEqual(before);
      expect(mem.perms[0x10000 / PAGE]).toBe(PROT_READ | PROT_WRITE | PAGE_MAPPED);
    } finally {
      mem.release();
    }
  });
});
