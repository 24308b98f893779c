// src/utrace/syscall-writes.ts on its own, on a real AddressSpace: what docs/engines.md ("Guest
// memory a syscall wrote") promises of the write log an engine gets and of writing it back.
// syscallWrites gives "the runs of memory this syscall wrote, sorted and merged" (touching runs
// join) with the bytes they hold now, leaving out pages unmapped since; pokeSyscallWrites writes
// with the kernel's rights, "but every page must be mapped, else GuestFault and nothing is written".
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ADDRESS_LIMIT, AddressSpace, GuestFault, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { collectWrites, pokeWrites } from "../../src/utrace/syscall-writes.js";

const P = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
// Two read-write pages at BASE, a hole (page 2), a read-only page (page 3).
const BASE = 0x100000;
const HOLE = BASE + 2 * P;
const RO = BASE + 3 * P;

let mem: AddressSpace;
beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmap(0, ADDRESS_LIMIT);
  mem.map(BASE, 2 * P, RW, "rw");
  mem.map(RO, P, PROT_READ, "ro");
  // A pattern to tell each byte's address by its value (low byte of a mix of the address).
  for (const start of [BASE, RO]) {
    const n = start === BASE ? 2 * P : P;
    mem.poke(start, Uint8Array.from({ length: n }, (_, i) => ((start + i) * 7 + 3) & 0xff));
  }
});
afterAll(() => mem.release());

/** The pattern's bytes of [addr, addr+len). */
const pattern = (addr: number, len: number) => Uint8Array.from({ length: len }, (_, i) => ((addr + i) * 7 + 3) & 0xff);

describe("collectWrites", () => {
  it("gives no runs for an empty log", () => {
    expect(collectWrites(mem, [])).toEqual([]);
  });

  it("sorts runs by address, numerically (0x2000 before 0x10000)", () => {
    mem.map(0x2000, P, RW, "low");
    mem.map(0x10000, P, RW, "high");
    mem.poke(0x2000, Uint8Array.of(1, 2, 3, 4));
    mem.poke(0x10000, Uint8Array.of(5, 6, 7, 8));
    expect(collectWrites(mem, [0x10000, 4, 0x2000, 4])).toEqual([
      { addr: 0x2000, bytes: Uint8Array.of(1, 2, 3, 4) },
      { addr: 0x10000, bytes: Uint8Array.of(5, 6, 7, 8) },
    ]);
  });

  it("merges overlapping, contained and touching ranges, and keeps a gap apart", () => {
    // [B, B+16) with [B+8, B+12) inside it, [B+16, B+24) touching it, [B+40, B+48) after a gap.
    const log = [BASE + 40, 8, BASE + 16, 8, BASE, 16, BASE + 8, 4];
    expect(collectWrites(mem, log)).toEqual([
      { addr: BASE, bytes: pattern(BASE, 24) },
      { addr: BASE + 40, bytes: pattern(BASE + 40, 8) },
    ]);
  });

  it("splits a run at an unmapped page, on both sides of it", () => {
    expect(collectWrites(mem, [HOLE - 8, P + 16])).toEqual([
      { addr: HOLE - 8, bytes: pattern(HOLE - 8, 8) },
      { addr: RO, bytes: pattern(RO, 8) },
    ]);
  });

  it("leaves out the unmapped start or end of a run, and a run wholly unmapped", () => {
    expect(collectWrites(mem, [HOLE + 16, P])).toEqual([{ addr: RO, bytes: pattern(RO, 16) }]);
    expect(collectWrites(mem, [HOLE - 4, 8])).toEqual([{ addr: HOLE - 4, bytes: pattern(HOLE - 4, 4) }]);
    expect(collectWrites(mem, [HOLE + 100, 200])).toEqual([]);
  });

  it("handles a run that starts at address 0 like any other", () => {
    mem.map(0, 2 * P, RW, "zero");
    mem.poke(0, pattern(0, P + 8));
    expect(collectWrites(mem, [0, P + 8])).toEqual([{ addr: 0, bytes: pattern(0, P + 8) }]);
    mem.unmap(P, P);
    expect(collectWrites(mem, [0, P + 8])).toEqual([{ addr: 0, bytes: pattern(0, P) }]);
    expect(collectWrites(mem, [0, 16])).toEqual([{ addr: 0, bytes: pattern(0, 16) }]);
  });
});

describe("pokeWrites", () => {
  it("writes into a read-only page, as the kernel fills a file mapping", () => {
    pokeWrites(mem, [{ addr: RO + 5, bytes: Uint8Array.of(0xaa, 0xbb) }]);
    expect(mem.bytes.slice(RO + 4, RO + 8)).toEqual(Uint8Array.of(pattern(RO + 4, 1)[0], 0xaa, 0xbb, pattern(RO + 7, 1)[0]));
  });

  it("writes nothing when one run reaches an unmapped page, and faults at that run's address", () => {
    const writes = [
      { addr: BASE, bytes: Uint8Array.of(0xee, 0xee, 0xee) },
      // Its first two bytes are mapped, the last two are in the hole.
      { addr: HOLE - 2, bytes: Uint8Array.of(1, 2, 3, 4) },
    ];
    let fault: unknown = null;
    try {
      pokeWrites(mem, writes);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(GuestFault);
    expect((fault as GuestFault).address).toBe(HOLE - 2);
    expect(mem.bytes.slice(BASE, BASE + 3)).toEqual(pattern(BASE, 3));
    expect(mem.bytes.slice(HOLE - 2, HOLE)).toEqual(pattern(HOLE - 2, 2));
  });
});
