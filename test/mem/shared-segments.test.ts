// SharedSegment (src/mem/shared-segments.ts) on its own: which member's copy is the newest, and
// what takeOver and leave copy between members. Every member here is a real AddressSpace (the
// segment copies between their `bytes`), with the segment at a different address in each, so a
// copy taken from or put at the wrong place shows.
import { afterEach, describe, expect, it } from "vitest";
import { AddressSpace } from "../../src/mem/address-space.js";
import { SharedSegment } from "../../src/mem/shared-segments.js";
import { mismatch } from "./bytes.js";

const PAGE = 4096;
const SIZE = 2 * PAGE;
const AT_A = 0x100000;
const AT_B = 0x230000;
const AT_C = 0x3a0000;

const spaces: AddressSpace[] = [];
function space(at: number): AddressSpace {
  const as = new AddressSpace();
  as.map(at, SIZE, 3, "shared");
  spaces.push(as);
  return as;
}
// Released after each test, so the next ones reuse their memories (each is a 4 GiB reservation).
afterEach(() => spaces.splice(0).forEach((s) => s.release()));

/** A segment with members a, b (and c when asked), a the owner, as addSharedSegment and fork leave it. */
function segmentOf(withC = false) {
  const seg = new SharedSegment(SIZE);
  const a = space(AT_A);
  const b = space(AT_B);
  seg.members.set(a, AT_A);
  seg.members.set(b, AT_B);
  const c = withC ? space(AT_C) : undefined;
  if (c) seg.members.set(c, AT_C);
  seg.owner = a;
  return { seg, a, b, c: c! };
}

/** Fills the segment's bytes in `as` (at `at`) with a pattern from `seed`, the last byte included. */
function fill(as: AddressSpace, at: number, seed: number): Uint8Array {
  const pattern = Uint8Array.from({ length: SIZE }, (_, i) => (seed + i * 7) & 0xff);
  as.bytes.set(pattern, at);
  return pattern;
}

describe("takeOver", () => {
  it("copies the owner's bytes into the new owner, at the new owner's own address", () => {
    const { seg, a, b } = segmentOf();
    const want = fill(a, AT_A, 1);
    seg.takeOver(b);
    expect(seg.owner).toBe(b);
    expect(mismatch(b.bytes.slice(AT_B, AT_B + SIZE), want)).toBeNull();
    // Nothing is written past the segment's end in the new owner.
    expect(b.bytes[AT_B + SIZE]).toBe(0);
    expect(b.bytes[AT_B - 1]).toBe(0);
  });

  it("by the owner itself copies nothing (its bytes are the newest)", () => {
    const { seg, a, b } = segmentOf();
    fill(b, AT_B, 9); // stale bytes in the other member
    const mine = fill(a, AT_A, 3);
    seg.takeOver(a);
    expect(seg.owner).toBe(a);
    expect(mismatch(a.bytes.slice(AT_A, AT_A + SIZE), mine)).toBeNull();
  });

  it("hands the bytes along a chain of owners", () => {
    const { seg, a, b, c } = segmentOf(true);
    fill(a, AT_A, 1);
    seg.takeOver(b);
    const newest = fill(b, AT_B, 50); // b writes while it runs
    seg.takeOver(c);
    expect(mismatch(c.bytes.slice(AT_C, AT_C + SIZE), newest)).toBeNull();
    seg.takeOver(a);
    expect(mismatch(a.bytes.slice(AT_A, AT_A + SIZE), newest)).toBeNull();
  });

  it("after the owner left, takes the bytes from the snapshot, once", () => {
    const { seg, a, b } = segmentOf();
    const want = fill(a, AT_A, 5);
    seg.leave(a);
    seg.takeOver(b);
    expect(mismatch(b.bytes.slice(AT_B, AT_B + SIZE), want)).toBeNull();
    expect(seg.snapshot).toBeNull();
    expect(seg.owner).toBe(b);
  });

  it("with neither an owner nor a snapshot, leaves the member's bytes as they are", () => {
    const seg = new SharedSegment(SIZE);
    const b = space(AT_B);
    seg.members.set(b, AT_B);
    const mine = fill(b, AT_B, 11);
    seg.takeOver(b);
    expect(mismatch(b.bytes.slice(AT_B, AT_B + SIZE), mine)).toBeNull();
    expect(seg.owner).toBe(b);
  });
});

describe("leave", () => {
  it("by the owner: the newest bytes are kept in a snapshot of exactly the segment", () => {
    const { seg, a, b } = segmentOf();
    const want = fill(a, AT_A, 21);
    seg.leave(a);
    expect(seg.owner).toBeNull();
    expect(mismatch(seg.snapshot, want)).toBeNull();
    expect(seg.members.has(a)).toBe(false);
    expect(seg.members.get(b)).toBe(AT_B);
    // A copy, not a view: the old owner's memory may be reused for something else.
    a.bytes[AT_A] ^= 0xff;
    expect(seg.snapshot![0]).toBe(want[0]);
  });

  it("by another member: the owner and its bytes stay, no snapshot is made", () => {
    const { seg, a, b } = segmentOf();
    fill(a, AT_A, 2);
    seg.leave(b);
    expect(seg.owner).toBe(a);
    expect(seg.snapshot).toBeNull();
    expect([...seg.members.keys()]).toEqual([a]);
  });

  it("by an address space that is not a member changes nothing", () => {
    const { seg, a, b } = segmentOf();
    const stranger = space(AT_C);
    seg.owner = stranger as AddressSpace; // even if it were recorded as the owner
    seg.leave(stranger);
    expect(seg.owner).toBe(stranger);
    expect(seg.snapshot).toBeNull();
    expect([...seg.members.keys()]).toEqual([a, b]);
  });
});

describe("joining a segment and reading its newest bytes (mappings of one in-memory file)", () => {
  it("a second address space joins with the owner's bytes, and each reads the other's newest", () => {
    const a = space(AT_A);
    const b = space(AT_B);
    const seg = a.addSharedSegment(AT_A, AT_A + SIZE);
    a.bytes.set([1, 2, 3], AT_A + 100);
    b.joinSharedSegment(AT_B, AT_B + SIZE, seg);
    expect(seg.owner).toBe(b);
    expect([...b.bytes.subarray(AT_B + 100, AT_B + 103)]).toEqual([1, 2, 3]);
    // b stores while it runs; a has not run since, so a's newest bytes are b's copy.
    b.bytes[AT_B + 200] = 9;
    expect(a.bytes[AT_A + 200]).toBe(0);
    expect(a.newestBytes(AT_A + 200, AT_A + 201)[0]).toBe(9);
    expect(b.newestBytes(AT_B + 200, AT_B + 201)[0]).toBe(9);
    // A range outside every segment is the address space's own.
    expect(a.newestBytes(AT_A, AT_A + SIZE + 1)).toEqual(a.bytes.subarray(AT_A, AT_A + SIZE + 1));
    // Once b has left, its bytes live on in the snapshot.
    seg.leave(b);
    expect(a.newestBytes(AT_A + 200, AT_A + 201)[0]).toBe(9);
  });
});
