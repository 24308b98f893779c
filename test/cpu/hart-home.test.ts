// Where a hart's registers live (src/cpu/hart.ts): in storage of the hart's own until it first runs,
// then in a register slot of the address space it runs in (homeIn, which run() does), where compiled
// guest code will reach them in the same memory as the guest's pages; back in storage of its own
// when that address space is released (evictRegisters). Each move must keep every register's value,
// and afterwards the views (x, x64, f, f32, fi, f64bits) must be the slot's bytes and nothing else:
// a view left on the old storage would lose writes, one left on a released memory would see (and
// scribble on) the next process's registers.
import { describe, expect, it } from "vitest";
import { Exit, Hart, REGS_F, REGS_X } from "../../src/cpu/hart.js";
import { run } from "../../src/cpu/interp.js";
import { GUEST_LIMIT, PERMS_BASE, PROT_EXEC, PROT_READ, REGISTER_SLOT_SIZE, type AddressSpace } from "../../src/mem/address-space.js";
import { drainPool, freshSpace as fresh } from "../mem/fresh-space.js";
import { ecall, words } from "./rv-encode.js";

const CODE = 0x10000;

/** Distinct values in every integer and FP register (x0 stays 0), some NaN-boxed singles among them. */
function fill(h: Hart, seed: number): void {
  for (let n = 1; n < 32; n++) h.setX(n, BigInt.asIntN(64, BigInt(seed + n) * 0x9e3779b97f4a7c15n));
  for (let n = 0; n < 32; n++) h.f64bits[n] = BigInt.asUintN(64, BigInt(seed + 100 + n) * 0xc2b2ae3d27d4eb4fn);
  h.f32[2 * 3] = 1.5 + seed;
  h.fi[2 * 3 + 1] = -1;
}

/** Every register's value, through each view. */
function registers(h: Hart) {
  return {
    x64: Array.from({ length: 32 }, (_, n) => h.getX(n)),
    x: Array.from(h.x.subarray(0, 64)),
    f64bits: Array.from(h.f64bits),
    fi: Array.from(h.fi),
    f: Array.from(h.f, (v) => (Number.isNaN(v) ? "NaN" : v)),
    f32: Array.from(h.f32, (v) => (Number.isNaN(v) ? "NaN" : v)),
  };
}

/** The views whose storage is the slot at h.regs of `as` (by name), and those that are not. */
function aliasing(h: Hart, as: AddressSpace) {
  const views = { x: h.x, x64: h.x64, f: h.f, f32: h.f32, fi: h.fi, f64bits: h.f64bits };
  const expected = { x: REGS_X, x64: REGS_X, f: REGS_F, f32: REGS_F, fi: REGS_F, f64bits: REGS_F };
  return Object.fromEntries(
    Object.entries(views).map(([name, v]) => [
      name,
      v.buffer === as.memory.buffer ? v.byteOffset - h.regs - expected[name as keyof typeof expected] : "elsewhere",
    ]),
  );
}

/**
 * Which of `spaces` the hart is homed in ("none" when in storage of its own). Compared as a name:
 * a failing compare of address spaces would print their 4 GiB of bytes.
 */
function homeOf(h: Hart, spaces: Record<string, AddressSpace>): string {
  if (h.home === null) return h.regs === -1 ? "none" : `none, yet regs = ${h.regs}`;
  return Object.entries(spaces).find(([, as]) => as === h.home)?.[0] ?? "another";
}

const ALL_IN_SLOT = { x: 0, x64: 0, f: 0, f32: 0, fi: 0, f64bits: 0 };
const NONE_IN_MEMORY = { x: "elsewhere", x64: "elsewhere", f: "elsewhere", f32: "elsewhere", fi: "elsewhere", f64bits: "elsewhere" };

describe("homeIn", () => {
  it("keeps every value written before it", () => {
    const as = fresh();
    const h = new Hart();
    fill(h, 1);
    const before = registers(h);
    h.homeIn(as);
    expect(homeOf(h, { as })).toBe("as");
    expect(h.regs).toBeGreaterThanOrEqual(GUEST_LIMIT);
    expect(h.regs + REGISTER_SLOT_SIZE).toBeLessThanOrEqual(PERMS_BASE);
    expect(registers(h)).toEqual(before);
  });

  it("puts every view on the slot's bytes: a write through the memory is a register write, and back", () => {
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    expect(aliasing(h, as)).toEqual(ALL_IN_SLOT);
    // Memory -> registers.
    as.i32[(h.regs + REGS_X + 8 * 9) >>> 2] = 0x1234567;
    as.i32[(h.regs + REGS_X + 8 * 9 + 4) >>> 2] = -2;
    expect(h.getX(9)).toBe(BigInt.asIntN(64, 0xfffffffe01234567n));
    as.view.setFloat64(h.regs + REGS_F + 8 * 4, 2.25, true);
    expect(h.f[4]).toBe(2.25);
    as.view.setFloat32(h.regs + REGS_F + 8 * 5, -0.5, true);
    expect(h.f32[2 * 5]).toBe(-0.5);
    // Registers -> memory.
    h.setX(31, -3n);
    expect(as.view.getBigInt64(h.regs + REGS_X + 8 * 31, true)).toBe(-3n);
    h.f64bits[31] = 0x7ff8000000000001n;
    expect(as.view.getBigUint64(h.regs + REGS_F + 8 * 31, true)).toBe(0x7ff8000000000001n);
    h.fi[2 * 7 + 1] = -1;
    expect(as.i32[(h.regs + REGS_F + 8 * 7 + 4) >>> 2]).toBe(-1);
  });

  it("moving to a second address space keeps the values and frees the first slot", () => {
    const a = fresh();
    const b = fresh();
    const h = new Hart();
    h.homeIn(a);
    const first = h.regs;
    fill(h, 2);
    const before = registers(h);
    h.homeIn(b);
    expect(homeOf(h, { a, b })).toBe("b");
    expect(registers(h)).toEqual(before);
    expect(aliasing(h, b)).toEqual(ALL_IN_SLOT);
    expect(aliasing(h, a)).toEqual(NONE_IN_MEMORY);
    // The first slot is free again: the next claim there gets it.
    expect(a.claimRegisterSlot({ evictRegisters() {} })).toBe(first);
    // a's bytes no longer are the registers.
    a.bytes.fill(0xee, first, first + REGISTER_SLOT_SIZE);
    expect(registers(h)).toEqual(before);
    // Nor does a's end move the hart out of b.
    const slotInB = h.regs;
    a.release();
    expect([homeOf(h, { a, b }), h.regs]).toEqual(["b", slotInB]);
    expect(aliasing(h, b)).toEqual(ALL_IN_SLOT);
  });

  it("stays where it is when every slot is taken", () => {
    const as = fresh();
    while (as.claimRegisterSlot({ evictRegisters() {} }) >= 0);
    const h = new Hart();
    fill(h, 3);
    const before = registers(h);
    h.homeIn(as);
    expect(homeOf(h, { as })).toBe("none");
    expect(aliasing(h, as)).toEqual(NONE_IN_MEMORY);
    expect(registers(h)).toEqual(before);
  });
});

describe("evictRegisters", () => {
  it("keeps the values, unlinks the hart, and leaves the memory's bytes behind", () => {
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    fill(h, 4);
    const slot = h.regs;
    const before = registers(h);
    h.evictRegisters();
    expect(homeOf(h, { as })).toBe("none");
    expect(registers(h)).toEqual(before);
    expect(aliasing(h, as)).toEqual(NONE_IN_MEMORY);
    as.bytes.fill(0x55, slot, slot + REGISTER_SLOT_SIZE);
    expect(registers(h)).toEqual(before);
    // And the registers are writable where they are now.
    h.setX(5, 77n);
    expect(h.getX(5)).toBe(77n);
    expect(as.bytes[slot + REGS_X + 8 * 5]).toBe(0x55);
  });

  it("is what release does to a hart homed there: registers kept, the memory (and its next owner) not aliased", () => {
    drainPool();
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    fill(h, 5);
    const slot = h.regs;
    const before = registers(h);
    as.release();
    expect(homeOf(h, { as })).toBe("none");
    expect(registers(h)).toEqual(before);
    // The released memory (still reachable through the old object) is written: nothing changes.
    new Uint8Array(as.memory.buffer).fill(0x66, slot, slot + REGISTER_SLOT_SIZE);
    expect(registers(h)).toEqual(before);
    // The next address space gets the memory and hands the same slot to a hart of its own.
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    const other = new Hart();
    fill(other, 6);
    other.homeIn(next);
    expect(other.regs).toBe(slot);
    expect(registers(h)).toEqual(before);
    h.setX(1, 1n);
    expect(other.getX(1)).not.toBe(1n);
  });
});

describe("leaveHome", () => {
  // What the kernel does when it reaps a thread (exit.ts reapTask): a process may start far more
  // threads than there are slots, one after another, and each needs one to run compiled code.
  it("frees the slot for the next hart, keeps the values, and unlinks the hart from the memory", () => {
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    fill(h, 10);
    const slot = h.regs;
    const before = registers(h);
    h.leaveHome();
    expect([homeOf(h, { as }), h.regs]).toEqual(["none", -1]);
    expect(registers(h)).toEqual(before);
    expect(aliasing(h, as)).toEqual(NONE_IN_MEMORY);
    // The next hart gets the same slot; writing its registers leaves the first hart's alone.
    const next = new Hart();
    next.homeIn(as);
    expect(next.regs).toBe(slot);
    fill(next, 11);
    expect(registers(h)).toEqual(before);
  });

  it("is idempotent: a second call does not free the slot a new owner holds now", () => {
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    const slot = h.regs;
    h.leaveHome();
    const next = new Hart();
    next.homeIn(as);
    expect(next.regs).toBe(slot);
    h.leaveHome();
    expect([homeOf(next, { as }), next.regs]).toEqual(["as", slot]);
    // Were the slot free again, the next claim would hand it out a second time.
    const third = new Hart();
    third.homeIn(as);
    expect(third.regs).not.toBe(slot);
    expect(third.regs).toBeGreaterThanOrEqual(GUEST_LIMIT);
  });

  it("does nothing to a hart that never ran, or whose address space was released", () => {
    const never = new Hart();
    fill(never, 12);
    const neverBefore = registers(never);
    never.leaveHome();
    expect([never.home, never.regs]).toEqual([null, -1]);
    expect(registers(never)).toEqual(neverBefore);

    drainPool();
    const as = fresh();
    const h = new Hart();
    h.homeIn(as);
    const slot = h.regs;
    fill(h, 13);
    const before = registers(h);
    as.release();
    // The memory's next owner hands the same slot to a hart of its own.
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    const other = new Hart();
    other.homeIn(next);
    expect(other.regs).toBe(slot);
    h.leaveHome();
    expect(registers(h)).toEqual(before);
    expect([homeOf(other, { next }), other.regs]).toEqual(["next", slot]);
    const third = new Hart();
    third.homeIn(next);
    expect(third.regs).not.toBe(slot);
  });

  it("3000 harts one after another (far more than the 1024 slots) each run homed, in the one slot they pass on", () => {
    const as = fresh();
    as.map(CODE, 4096, PROT_READ | PROT_EXEC, "code");
    as.poke(CODE, words(ecall()));
    const slots = new Set<number>();
    for (let k = 0; k < 3000; k++) {
      const h = new Hart();
      h.setX(10, BigInt(k));
      h.pc = CODE;
      expect(run(h, as, 10)).toBe(Exit.Ecall);
      if (h.home !== as) expect.fail(`hart ${k} ran without a slot`);
      slots.add(h.regs);
      h.leaveHome();
      if (h.getX(10) !== BigInt(k)) expect.fail(`hart ${k} lost a0`);
    }
    expect(slots.size).toBe(1);
  });
});

describe("run", () => {
  it("homes the hart in the address space it runs in, with the values it had", () => {
    const a = fresh();
    const b = fresh();
    for (const as of [a, b]) {
      as.map(CODE, 4096, PROT_READ | PROT_EXEC, "code");
      as.poke(CODE, words(ecall()));
    }
    const h = new Hart();
    fill(h, 7);
    const before = registers(h);
    h.pc = CODE;
    expect(run(h, a, 10)).toBe(Exit.Ecall);
    expect(homeOf(h, { a, b })).toBe("a");
    expect(aliasing(h, a)).toEqual(ALL_IN_SLOT);
    expect(registers(h)).toEqual(before);
    // Another address space (a fork's child, an execve's new image): the hart follows.
    h.pc = CODE;
    expect(run(h, b, 10)).toBe(Exit.Ecall);
    expect(homeOf(h, { a, b })).toBe("b");
    expect(aliasing(h, b)).toEqual(ALL_IN_SLOT);
    expect(registers(h)).toEqual(before);
  });
});

describe("copyFrom", () => {
  it("copies every register between a homed and an unhomed hart, both ways, without aliasing them", () => {
    const as = fresh();
    const homed = new Hart();
    homed.homeIn(as);
    fill(homed, 8);
    homed.pc = 0x4242;
    homed.fcsr = 0x65;
    const unhomed = new Hart();
    unhomed.copyFrom(homed);
    expect(registers(unhomed)).toEqual(registers(homed));
    expect([unhomed.pc, unhomed.fcsr]).toEqual([0x4242, 0x65]);
    const copied = registers(unhomed);
    homed.setX(10, 1n);
    homed.f64bits[10] = 1n;
    expect(registers(unhomed)).toEqual(copied);

    const source = new Hart();
    fill(source, 9);
    const target = new Hart();
    target.homeIn(as);
    target.copyFrom(source);
    expect(registers(target)).toEqual(registers(source));
    // Copied into the slot itself, where compiled code will read them.
    expect(as.view.getBigInt64(target.regs + REGS_X + 8 * 17, true)).toBe(source.getX(17));
    expect(as.view.getBigUint64(target.regs + REGS_F + 8 * 17, true)).toBe(source.f64bits[17]);
  });
});
