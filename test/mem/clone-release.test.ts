// fork's copy (AddressSpace.clone), the end of an address space (release, and the pool of backing
// memories it feeds), and MAP_SHARED segments as the address spaces see them (addSharedSegment,
// syncShared, sharedKey, and leaving a segment by unmapping or ending). clone skips runs of zeros
// (64 KiB at a time) and release zeroes only runs holding data, so the data here is placed at the
// edges of those runs: at a mapping's first and last byte, on both sides of a 64 KiB boundary,
// and in a mapping that starts and ends in the middle of a 64 KiB chunk.
import { describe, expect, it } from "vitest";
import { AddressSpace, PAGE_CODE, PAGE_MAPPED, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { mismatch, nonZero } from "./bytes.js";
import { drainPool, freshSpace as fresh, releasedAfterTest } from "./fresh-space.js";

const PAGE = 4096;
const CHUNK = 64 * 1024;
const RW = PROT_READ | PROT_WRITE;


/**
 * Takes every memory the pool holds (it keeps at most four, left by earlier tests), so the next
 * release is the one a new address space gets back.
 */

/** Bytes written at the edges of zero-skipping runs: [address, value]. */
const A = 0x103000; // mid-chunk start
const A_END = A + 3 * CHUNK + 2 * PAGE; // mid-chunk end
const B = 0x800000; // chunk-aligned start
const B_END = B + 4 * CHUNK;
const MARKS: [number, number][] = [
  [A, 1], [A + CHUNK - 1, 2], [A_END - 1, 3], // first and last byte of A; within A's first partial chunk
  [0x110000 - 1, 4], [0x110000, 5], // both sides of a 64 KiB boundary inside A
  [B + 2 * CHUNK, 6], // a chunk in the middle of B, with zero chunks on both sides
  [B_END - 1, 7], // B's last byte, its run reaching the mapping's end
];

function populate(as: AddressSpace): void {
  as.map(A, A_END - A, RW, "a");
  as.map(B, B_END - B, PROT_READ, "b");
  for (const [addr, v] of MARKS) as.bytes[addr] = v;
}

describe("clone", () => {
  it("copies every byte that is not zero, wherever the zero-skipping runs begin and end", () => {
    const parent = fresh();
    populate(parent);
    const child = parent.clone();
    releasedAfterTest(child);
    for (const [addr, v] of MARKS) expect([addr, child.bytes[addr]]).toEqual([addr, v]);
    expect(mismatch(child.bytes.subarray(A, A_END), parent.bytes.subarray(A, A_END))).toBeNull();
    expect(mismatch(child.bytes.subarray(B, B_END), parent.bytes.subarray(B, B_END))).toBeNull();
  });

  it("copies mappings high in the address space (the stack's) and at address 0", () => {
    const parent = fresh();
    const HIGH = 0xbffe0000;
    parent.map(HIGH, 2 * CHUNK, RW, "[stack]");
    parent.bytes[HIGH + 2 * CHUNK - 1] = 8;
    parent.map(0, 2 * CHUNK, RW, "low");
    parent.bytes[0] = 9; // a run of data that starts at address 0 ...
    parent.bytes[CHUNK] = 10; // ... goes on in the next chunk ...
    parent.bytes[2 * CHUNK - 1] = 11; // ... and reaches the mapping's end
    const child = parent.clone();
    releasedAfterTest(child);
    expect([child.bytes[HIGH + 2 * CHUNK - 1], child.bytes[0], child.bytes[CHUNK], child.bytes[2 * CHUNK - 1]]).toEqual([8, 9, 10, 11]);
  });

  it("copies the mappings, the permissions without decoded-code marks, and the program break", () => {
    const parent = fresh();
    populate(parent);
    parent.map(0x400000, 2 * PAGE, PROT_READ | PROT_EXEC, "code");
    parent.perms[0x400000 / PAGE + 1] |= PAGE_CODE;
    parent.brkStart = 0x500000;
    parent.brk = 0x502000;
    const child = parent.clone();
    releasedAfterTest(child);
    expect(child.listMappings()).toEqual(parent.listMappings());
    expect(child.perms[0x400000 / PAGE]).toBe(PROT_READ | PROT_EXEC | PAGE_MAPPED);
    expect(child.perms[0x400000 / PAGE + 1]).toBe(PROT_READ | PROT_EXEC | PAGE_MAPPED);
    expect(child.perms[A / PAGE]).toBe(RW | PAGE_MAPPED);
    expect(child.perms[A_END / PAGE - 1]).toBe(RW | PAGE_MAPPED);
    expect(child.perms[A_END / PAGE]).toBe(0);
    expect(child.perms[B_END / PAGE - 1]).toBe(PROT_READ | PAGE_MAPPED);
    expect([child.brkStart, child.brk]).toEqual([0x500000, 0x502000]);
    // The parent keeps its mark; the two lists are independent.
    expect(parent.perms[0x400000 / PAGE + 1] & PAGE_CODE).toBe(PAGE_CODE);
    child.unmap(B, B_END - B);
    expect(parent.listMappings()).toHaveLength(3);
  });

  it("the copies are independent afterwards", () => {
    const parent = fresh();
    populate(parent);
    const child = parent.clone();
    releasedAfterTest(child);
    child.writeU8(A, 0x55);
    parent.writeU8(A + 1, 0x66);
    expect([parent.readU8(A), child.readU8(A + 1)]).toEqual([1, 0]);
  });
});

describe("release", () => {
  it("leaves nothing mapped in the released object, so a stale reference faults", () => {
    const as = fresh();
    populate(as);
    as.release();
    expect(as.listMappings()).toEqual([]);
    expect(() => as.readU8(A)).toThrow();
    expect(as.perms.every((p) => p === 0)).toBe(true);
    as.release(); // a second release does nothing
    expect(as.listMappings()).toEqual([]);
  });

  it("hands the memory to a later address space zeroed, bytes and permission table alike", () => {
    drainPool();
    const as = new AddressSpace();
    populate(as);
    as.perms[A / PAGE] |= PAGE_CODE;
    const { memory, perms } = as;
    as.release();
    const next = fresh();
    expect(next.memory).toBe(memory);
    // The permission table lives in the memory, so it comes along: the same bytes, seen afresh.
    // (Compared by identity: a structural compare of two 4 GiB buffers would never end.)
    expect(next.perms.buffer === memory.buffer).toBe(true);
    expect([next.perms.byteOffset, next.perms.length]).toEqual([PERMS_BASE, perms.length]);
    for (const [addr] of MARKS) expect([addr, next.bytes[addr]]).toEqual([addr, 0]);
    expect(nonZero(next.bytes.subarray(A, A_END))).toBeNull();
    expect(nonZero(next.bytes.subarray(B, B_END))).toBeNull();
    expect(next.perms.every((p) => p === 0)).toBe(true);
    expect(next.listMappings()).toEqual([]);
  });

  it("leaves the zeroing to whoever takes the memory, so that a run's last process ends without scanning it", () => {
    drainPool();
    const as = new AddressSpace();
    populate(as);
    const raw = new Uint8Array(as.memory.buffer);
    as.release();
    // Still there after the release (nothing maps it: the released object's table is empty)...
    expect(nonZero(raw.subarray(A, A_END))).not.toBeNull();
    // ...and gone for the next address space.
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    expect(nonZero(next.bytes.subarray(A, A_END))).toBeNull();
  });

  it("the second release of the same object does not put its memory in the pool twice", () => {
    drainPool();
    const as = new AddressSpace();
    as.release();
    as.release();
    const first = fresh();
    const second = fresh();
    expect(first.memory).toBe(as.memory);
    expect(second.memory).not.toBe(as.memory);
  });

  it("keeps at most four memories for reuse", () => {
    drainPool();
    const six = Array.from({ length: 6 }, () => new AddressSpace());
    const mine = new Set(six.map((as) => as.memory));
    six.forEach((as) => as.release());
    const after = Array.from({ length: 6 }, () => fresh());
    expect(after.filter((as) => mine.has(as.memory))).toHaveLength(4);
  });

  it("drops the code-invalidation listener (an engine's), which must not outlive the process", () => {
    const as = new AddressSpace();
    as.map(0x10000, PAGE, RW, "a");
    as.onCodeInvalidate = () => {};
    as.release();
    expect(as.onCodeInvalidate).toBeNull();
  });
});

describe("shared segments", () => {
  const S = 0x200000;
  const S_END = S + 2 * PAGE;

  function sharedPair() {
    const parent = fresh();
    parent.map(S, S_END - S, RW, "shared");
    parent.addSharedSegment(S, S_END);
    const child = parent.clone();
    releasedAfterTest(child);
    return { parent, child };
  }

  it("sharedKey: the same key for both processes, the offset from the segment's start", () => {
    const { parent, child } = sharedPair();
    const k = parent.sharedKey(S + 12)!;
    expect(k.offset).toBe(12);
    expect(child.sharedKey(S + 12)!.key).toBe(k.key);
    expect(parent.sharedKey(S)!.offset).toBe(0);
    expect(parent.sharedKey(S_END - 1)!.offset).toBe(S_END - 1 - S);
    expect(parent.sharedKey(S_END)).toBeNull();
    expect(parent.sharedKey(S - 1)).toBeNull();
    expect(fresh().sharedKey(S)).toBeNull();
  });

  it("a write by one shows in the other once it syncs (the scheduler's switch)", () => {
    const { parent, child } = sharedPair();
    child.syncShared();
    child.writeU32(S_END - 4, 0xcafe);
    parent.syncShared();
    expect(parent.readU32(S_END - 4)).toBe(0xcafe);
    parent.writeU8(S, 9);
    child.syncShared();
    expect(child.readU8(S)).toBe(9);
  });

  it("clone takes the newest bytes first, from whichever process wrote them", () => {
    const { parent, child } = sharedPair();
    child.syncShared();
    child.writeU8(S + 1, 42);
    const grandchild = parent.clone();
    releasedAfterTest(grandchild);
    expect(grandchild.readU8(S + 1)).toBe(42);
    expect(parent.readU8(S + 1)).toBe(42);
  });

  it("unmapping part of the segment stops sharing it in that process only", () => {
    const { parent, child } = sharedPair();
    child.syncShared();
    child.writeU8(S + PAGE + 1, 8);
    child.unmap(S, PAGE);
    expect(child.sharedKey(S + PAGE)).toBeNull();
    expect(parent.sharedKey(S + PAGE)).not.toBeNull();
    // The child's copy was the newest: its bytes live on for the parent.
    parent.syncShared();
    expect(parent.readU8(S + PAGE + 1)).toBe(8);
    // From now on the child's remaining page is its own.
    parent.writeU8(S + PAGE, 3);
    child.syncShared();
    expect(child.readU8(S + PAGE)).toBe(0);
  });

  it("only the segment's bytes are shared, not what lies after it in the same mapping", () => {
    const parent = fresh();
    parent.map(S, S_END - S + PAGE, RW, "shared, then private");
    parent.addSharedSegment(S, S_END);
    const child = parent.clone();
    releasedAfterTest(child);
    parent.writeU8(S_END - 1, 1);
    parent.writeU8(S_END, 2);
    child.writeU8(S_END, 3);
    child.syncShared();
    expect([child.readU8(S_END - 1), child.readU8(S_END)]).toEqual([1, 3]);
  });

  it("unmapping next to the segment leaves it shared", () => {
    const { parent } = sharedPair();
    parent.map(S_END, PAGE, RW, "after");
    parent.map(S - PAGE, PAGE, RW, "before");
    parent.unmap(S_END, PAGE);
    parent.unmap(S - PAGE, PAGE);
    expect(parent.sharedKey(S)).not.toBeNull();
  });

  it("the bytes of a process that ended live on for the others", () => {
    const { parent, child } = sharedPair();
    child.syncShared();
    child.writeU8(S + 7, 77);
    child.release();
    parent.syncShared();
    expect(parent.readU8(S + 7)).toBe(77);
  });
});
