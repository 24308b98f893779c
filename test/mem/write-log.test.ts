// AddressSpace.writeLog: while set (around one syscall's handler, for record and replay), every
// write through the checked accessors and poke appends [address, length]; reads and empty writes
// add nothing. An engine replaying a syscall rewrites exactly these ranges, so a missed entry
// would replay a call without the bytes it wrote.
import { afterAll, describe, expect, it } from "vitest";
import { AddressSpace, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";

const BASE = 0x70000;
const mem = new AddressSpace();
afterAll(() => mem.release());

describe("writeLog", () => {
  it("records each write's range in order, not reads nor empty writes", () => {
    mem.map(BASE, 2 * 4096, PROT_READ | PROT_WRITE, "data");
    mem.writeLog = [];
    mem.writeU32(BASE + 4, 1);
    mem.readU32(BASE + 4);
    mem.write(BASE + 100, new Uint8Array(3));
    mem.write(BASE + 200, new Uint8Array(0));
    mem.writeU64(BASE + 4090, 5n);
    mem.poke(BASE + 300, Uint8Array.of(1, 2));
    expect(mem.writeLog).toEqual([BASE + 4, 4, BASE + 100, 3, BASE + 4090, 8, BASE + 300, 2]);
    mem.writeLog = null;
    mem.writeU8(BASE, 1); // no log: nothing to record into, and no error
    expect(mem.readU8(BASE)).toBe(1);
  });
});
