// MAP_SHARED segments as an address space holds them (addSharedSegment, joinSharedSegment,
// newestBytes, and fork's clone): under a memory limit every member is charged the whole segment
// (each holds a copy of it all, memory-budget.ts); newestBytes gives the newest copy of a range that
// lies wholly inside a segment, and this space's own bytes for any range reaching outside one;
// a segment part of which stays behind at fork (MADV_DONTFORK) is not shared with the child.
import { describe, expect, it } from "vitest";
import { ADVICE, PAGE_SIZE, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { mismatch } from "./bytes.js";
import { freshSpace as fresh, releasedAfterTest } from "./fresh-space.js";

const PAGE = PAGE_SIZE;
const RW = PROT_READ | PROT_WRITE;
/** The segment's place in a and in b (different, so an offset taken from the wrong one shows). */
const A = 0x50_0000;
const B = 0x93_0000;
const SIZE = 2 * PAGE;


describe("charging a shared segment", () => {
  it("addSharedSegment charges every page, written or not; joinSharedSegment charges the joiner as much", () => {
    const budget = new MemoryBudget(100 * PAGE);
    const a = fresh(budget);
    a.map(A, SIZE, RW, "shm");
    const seg = a.addSharedSegment(A, A + SIZE);
    expect([budget.used, a.charged]).toEqual([SIZE, 2]);
    const b = fresh(budget);
    b.map(B, SIZE, RW, "shm");
    b.joinSharedSegment(B, B + SIZE, seg);
    expect([budget.used, b.charged]).toEqual([2 * SIZE, 2]);
  });
});

describe("newestBytes", () => {
  /**
   * a and b share the segment; a ran last and wrote to it, so b's copy is stale. Each also has a
   * private page of its own just below and just above the segment.
   */
  function stalePair() {
    const a = fresh();
    const b = fresh();
    for (const [as, at] of [[a, A], [b, B]] as const) {
      as.map(at - PAGE, SIZE + 2 * PAGE, RW, "around");
      as.bytes.fill(as === a ? 0xa1 : 0xb1, at - PAGE, at);
      as.bytes.fill(as === a ? 0xa2 : 0xb2, at + SIZE, at + SIZE + PAGE);
    }
    const seg = a.addSharedSegment(A, A + SIZE);
    b.joinSharedSegment(B, B + SIZE, seg);
    a.syncShared();
    const newest = Uint8Array.from({ length: SIZE }, (_, i) => (i * 13 + 5) & 0xff);
    a.bytes.set(newest, A);
    return { a, b, newest };
  }

  it("inside the segment: the owner's newest bytes, exactly as many as asked", () => {
    const { b, newest } = stalePair();
    expect(mismatch(b.newestBytes(B, B + SIZE), newest)).toBeNull();
    expect(mismatch(b.newestBytes(B + PAGE, B + PAGE + 16), newest.subarray(PAGE, PAGE + 16))).toBeNull();
  });

  it("a range reaching outside the segment on either side: this space's own bytes", () => {
    const { b } = stalePair();
    expect(mismatch(b.newestBytes(B - PAGE, B + PAGE), b.bytes.slice(B - PAGE, B + PAGE))).toBeNull();
    expect(mismatch(b.newestBytes(B + PAGE, B + SIZE + PAGE), b.bytes.slice(B + PAGE, B + SIZE + PAGE))).toBeNull();
  });

  it("after the owner left: the bytes it left behind, exactly as many as asked", () => {
    const { a, b, newest } = stalePair();
    a.unmap(A, SIZE);
    expect(mismatch(b.newestBytes(B + 8, B + 24), newest.subarray(8, 24))).toBeNull();
  });
});

describe("clone and a segment part of which stays behind", () => {
  it("the child gets the rest as a private copy, not shared", () => {
    const parent = fresh();
    parent.map(A, SIZE, RW, "shm");
    parent.addSharedSegment(A, A + SIZE);
    parent.advise(A + PAGE, A + SIZE, ADVICE.DONTFORK, 0);
    parent.writeU8(A + 1, 4);
    const child = parent.clone();
    releasedAfterTest(child);
    expect(child.listMappings().map((m) => [m.start, m.end])).toEqual([[A, A + PAGE]]);
    expect(child.sharedKey(A)).toBeNull();
    expect(child.readU8(A + 1)).toBe(4);
    // A later write by the parent does not reach the child.
    parent.writeU8(A + 1, 5);
    child.syncShared();
    expect(child.readU8(A + 1)).toBe(4);
  });
});
