// The memory's top 2 MiB, [GUEST_LIMIT, 4 GiB), belong to rvtrace (src/mem/address-space.ts): the
// register slots of the harts running in the address space from GUEST_LIMIT up, and the permission
// table from PERMS_BASE up. Compiled guest code will reach them in the same memory as the guest's
// pages, so nothing the guest or the kernel does on the guest's behalf may map, read or write them:
// map refuses them, unmap stops short of them, every page of them has permission 0 (the checked
// accessors and the CPU fault there as on an unmapped page), and their bytes survive it all.
// The slots themselves: claimRegisterSlot hands them out, freeRegisterSlot takes them back, and
// release tells every owner to move out.
import { afterEach, describe, expect, it } from "vitest";
import {
  ADDRESS_LIMIT, GUEST_LIMIT, GuestFault, PAGE_CODE, PAGE_MAPPED, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE, REGION_INDEX_BASE, REGION_INDEX_ENTRIES, REGISTER_SLOT_COUNT, REGISTER_SLOT_SIZE,
  type AddressSpace, type RegisterSlotOwner,
} from "../../src/mem/address-space.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { Exit, Hart, REGS_X, SEGV_MAPERR } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { ecall, jalr, load, store, words } from "../cpu/rv-encode.js";
import { mismatch } from "./bytes.js";
import { drainPool, freshSpace as fresh } from "./fresh-space.js";
import { faultOf } from "./fault-of.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const BASE = 0x40000;
/** Pages of guest memory, and of the whole memory. */
const GUEST_PAGES = GUEST_LIMIT / PAGE;
const ALL_PAGES = ADDRESS_LIMIT / PAGE;
const SLOT_COUNT = REGISTER_SLOT_COUNT;

/** An owner that only counts how often it was told to move out. */
function owner(): RegisterSlotOwner & { evictions: number } {
  return { evictions: 0, evictRegisters() { this.evictions++; } };
}

/** A copy of the reserved top's bytes. */
const reservedBytes = (as: AddressSpace) => as.bytes.slice(GUEST_LIMIT, ADDRESS_LIMIT);

/** The pages of the reserved top whose permission byte is not 0, as "page: bits". */
const openReservedPages = (as: AddressSpace) =>
  Array.from(as.perms.subarray(GUEST_PAGES, ALL_PAGES)).flatMap((bits, k) => (bits ? [`${GUEST_PAGES + k}: ${bits}`] : []));

/** Fills a claimed slot with a pattern of its own (what a hart's registers would be). */
function fillSlot(as: AddressSpace, slot: number): void {
  for (let k = 0; k < REGISTER_SLOT_SIZE; k++) as.bytes[slot + k] = (k * 7 + 3) & 0xff;
}

describe("map refuses the reserved top", () => {
  it("throws RangeError for any range reaching past GUEST_LIMIT, and changes nothing", () => {
    const as = fresh();
    const before = reservedBytes(as);
    for (const [start, len] of [
      [GUEST_LIMIT - PAGE, 2 * PAGE], // the last guest page and one more
      [GUEST_LIMIT, PAGE], // the first register slots
      [PERMS_BASE, PAGE], // the permission table
      [ADDRESS_LIMIT - PAGE, PAGE], // the memory's last page
      [0, ADDRESS_LIMIT], // everything
    ]) {
      expect(() => as.map(start, len, RW, "x"), `0x${start.toString(16)}+0x${len.toString(16)}`).toThrow(RangeError);
    }
    expect(as.listMappings()).toEqual([]);
    expect(mismatch(reservedBytes(as), before)).toBeNull();
  });

  it("maps the last guest page, and leaves the page above it unmapped", () => {
    const as = fresh();
    as.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    expect([as.perms[GUEST_PAGES - 1], as.perms[GUEST_PAGES]]).toEqual([RW | PAGE_MAPPED, 0]);
  });
});

describe("unmap stops at GUEST_LIMIT", () => {
  for (const budget of [false, true]) {
    it(`a range running to 4 GiB leaves the permission table and the register slots as they were${budget ? " (under a memory limit)" : ""}`, () => {
      const as = fresh(budget ? new MemoryBudget(64 * PAGE) : null);
      as.map(BASE, PAGE, RW, "low");
      as.map(GUEST_LIMIT - 2 * PAGE, 2 * PAGE, RW, "top");
      as.writeU32(GUEST_LIMIT - 4, 0xdeadbeef); // charges the page under a limit
      const slots = [as.claimRegisterSlot(owner()), as.claimRegisterSlot(owner())];
      for (const s of slots) fillSlot(as, s);
      const before = reservedBytes(as);
      as.unmap(GUEST_LIMIT - PAGE, ADDRESS_LIMIT - (GUEST_LIMIT - PAGE));
      // The one change in the reserved top: the table's byte for the page unmapped.
      const permOfUnmapped = PERMS_BASE + GUEST_PAGES - 1 - GUEST_LIMIT;
      expect(before[permOfUnmapped]).toBe(RW | PAGE_MAPPED);
      before[permOfUnmapped] = 0;
      expect(mismatch(reservedBytes(as), before)).toBeNull();
      expect(as.listMappings().map((m) => [m.start, m.end])).toEqual([[BASE, BASE + PAGE], [GUEST_LIMIT - 2 * PAGE, GUEST_LIMIT - PAGE]]);
      // The table still works: the pages left are there, a new mapping gets its bits.
      expect(as.readU32(GUEST_LIMIT - 2 * PAGE)).toBe(0);
      as.map(GUEST_LIMIT - PAGE, PAGE, PROT_READ, "again");
      expect(as.readU32(GUEST_LIMIT - 4)).toBe(0);
      // Everything: every guest page goes, the slots stay as they were.
      const slotBytes = slots.map((s) => as.bytes.slice(s, s + REGISTER_SLOT_SIZE));
      as.unmap(0, ADDRESS_LIMIT);
      expect(as.listMappings()).toEqual([]);
      expect(as.perms.every((bits) => bits === 0)).toBe(true);
      slots.forEach((s, k) => expect(mismatch(as.bytes.subarray(s, s + REGISTER_SLOT_SIZE), slotBytes[k])).toBeNull());
      if (budget) expect(as.charged).toBe(0);
    });
  }
});

describe("the reserved pages' permissions", () => {
  it("read 0 for every reserved page, whatever is mapped, protected, claimed and cloned", () => {
    const as = fresh();
    expect(openReservedPages(as)).toEqual([]);
    as.map(GUEST_LIMIT - 8 * PAGE, 8 * PAGE, RW | PROT_EXEC, "top");
    as.protect(GUEST_LIMIT - PAGE, PAGE, PROT_READ);
    fillSlot(as, as.claimRegisterSlot(owner()));
    expect(openReservedPages(as)).toEqual([]);
    // The table's own bytes are not all 0 (it holds the top mapping's bits), yet its pages are closed.
    expect(as.bytes[PERMS_BASE + GUEST_PAGES - 1]).toBe(PROT_READ | PAGE_MAPPED);
    const copy = as.clone();
    try {
      expect(openReservedPages(copy)).toEqual([]);
      expect(copy.perms[GUEST_PAGES - 1]).toBe(PROT_READ | PAGE_MAPPED);
    } finally {
      copy.release();
    }
  });
});

describe("checked accessors in the reserved top", () => {
  it("check faults at GUEST_LIMIT, and at any address above it, for reads and writes", () => {
    const as = fresh();
    as.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    const slot = as.claimRegisterSlot(owner());
    expect(faultOf(() => as.check(GUEST_LIMIT - 8, 8, RW))).toBeNull();
    expect(faultOf(() => as.check(GUEST_LIMIT - 8, 16, PROT_READ))).toBe(GUEST_LIMIT);
    for (const addr of [GUEST_LIMIT, slot + 8, PERMS_BASE, PERMS_BASE + GUEST_PAGES, ADDRESS_LIMIT - 8]) {
      expect(faultOf(() => as.check(addr, 8, PROT_READ)), `read 0x${addr.toString(16)}`).toBe(addr);
      expect(faultOf(() => as.check(addr, 1, PROT_WRITE)), `write 0x${addr.toString(16)}`).toBe(addr);
    }
  });

  it("writes through the accessors change no byte there, reads return none", () => {
    const as = fresh();
    const slot = as.claimRegisterSlot(owner());
    fillSlot(as, slot);
    const before = reservedBytes(as);
    // What a syscall writing through a guest pointer would do; the perms byte here is the slot page's own.
    const permOfSlot = PERMS_BASE + (slot >>> 12);
    expect(() => as.writeU64(slot, 0x1122334455667788n)).toThrow(GuestFault);
    expect(() => as.write(slot + 16, Uint8Array.of(1, 2, 3))).toThrow(GuestFault);
    expect(() => as.writeU8(permOfSlot, RW | PAGE_MAPPED)).toThrow(GuestFault);
    expect(() => as.poke(PERMS_BASE, Uint8Array.of(0xff))).toThrow(GuestFault);
    expect(mismatch(reservedBytes(as), before)).toBeNull();
    expect(() => as.read(slot, 8)).toThrow(GuestFault);
    expect(() => as.readU32(PERMS_BASE)).toThrow(GuestFault);
  });

  it("readCStringBytes faults at GUEST_LIMIT when the last guest page has no NUL, and on a string inside the top", () => {
    const as = fresh();
    as.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    as.bytes.fill(0x61, GUEST_LIMIT - PAGE, GUEST_LIMIT);
    // A NUL right after the limit (a register slot's zero byte) must not end the string.
    as.bytes[GUEST_LIMIT] = 0;
    expect(faultOf(() => as.readCStringBytes(GUEST_LIMIT - 5, 100))).toBe(GUEST_LIMIT);
    const slot = as.claimRegisterSlot(owner());
    as.bytes.set(Uint8Array.of(0x62, 0x63, 0), slot);
    expect(faultOf(() => as.readCStringBytes(slot, 100))).toBe(slot);
    expect(faultOf(() => as.readCStringBytes(PERMS_BASE + GUEST_PAGES - 1, 100))).toBe(PERMS_BASE + GUEST_PAGES - 1);
  });
});

describe("guest loads, stores and fetches in the reserved top", () => {
  const CODE = 0x10000;
  const saved = { ...jitConfig };
  afterEach(() => Object.assign(jitConfig, saved));

  interface Setup {
    as: AddressSpace;
    h: Hart;
  }

  /** An address space with a code page, a hart homed in it (its first run, an ecall, homes it). */
  function setup(): Setup {
    jitConfig.enabled = false; // the interpreter's own paths (test/cpu/prot-faults.test.ts has the compiled ones)
    const as = fresh();
    as.map(CODE, PAGE, PROT_READ | PROT_EXEC, "code");
    as.map(GUEST_LIMIT - PAGE, PAGE, RW, "top");
    const h = new Hart();
    as.poke(CODE, words(ecall()));
    h.pc = CODE;
    expect(run(h, as, 10)).toBe(Exit.Ecall);
    expect(h.home === as).toBe(true); // (not toBe: a failing compare would print 4 GiB)
    return { as, h };
  }

  const X6 = 0x0102030405060708n;
  const X7 = 0x7777n;

  /** Puts `insn` (base x5 = addr, data x6; x7 set too) then an ecall at CODE, for `go`. */
  function prepare({ as, h }: Setup, insn: number, addr: number): void {
    as.poke(CODE, words(insn, ecall()));
    h.setX(5, BigInt(addr));
    h.setX(6, X6);
    h.setX(7, X7);
    h.pc = CODE;
  }

  const go = ({ as, h }: Setup) => run(h, as, 10);

  const targets = (s: Setup): [string, number][] => [
    ["GUEST_LIMIT", GUEST_LIMIT],
    // x7 in the running hart's own slot: a store of x6 or a load into x6 that went through would
    // change a register.
    ["the hart's own register slot", s.h.regs + REGS_X + 7 * 8],
    ["another register slot", GUEST_LIMIT + 5 * REGISTER_SLOT_SIZE + 8],
    ["PERMS_BASE", PERMS_BASE],
    // The table's byte for the first reserved page: a store there would open the slots to the guest.
    ["the permission byte of GUEST_LIMIT's page", PERMS_BASE + GUEST_PAGES],
    ["the memory's last bytes", ADDRESS_LIMIT - 8],
  ];

  it("a store faults (SEGV_MAPERR at the address) and changes no byte there", () => {
    const s = setup();
    fillSlot(s.as, GUEST_LIMIT + 5 * REGISTER_SLOT_SIZE);
    for (const [what, addr] of targets(s)) {
      for (const op of ["sb", "sd"] as const) {
        prepare(s, store(op, 6, 5), addr);
        const before = reservedBytes(s.as);
        // The one change the run makes there: the code page is marked as holding decoded code.
        before[PERMS_BASE + CODE / PAGE - GUEST_LIMIT] |= PAGE_CODE;
        const exit = go(s);
        expect({ what, op, exit, pc: s.h.pc, code: s.h.trapCode, value: s.h.trapValue, address: s.h.trapAddress }).toEqual({
          what, op, exit: Exit.MemFault, pc: CODE, code: SEGV_MAPERR, value: addr, address: BigInt(addr),
        });
        const after = reservedBytes(s.as);
        expect(`${what} ${op}: ${mismatch(after, before) ?? "unchanged"}`).toBe(`${what} ${op}: unchanged`);
        expect([s.h.getX(6), s.h.getX(7)]).toEqual([X6, X7]);
      }
    }
  });

  it("a load faults (SEGV_MAPERR at the address) and leaves its destination register as it was", () => {
    const s = setup();
    for (const [what, addr] of targets(s)) {
      prepare(s, load("ld", 6, 5), addr);
      const exit = go(s);
      expect({ what, exit, code: s.h.trapCode, value: s.h.trapValue, x6: s.h.getX(6) }).toEqual({
        what, exit: Exit.MemFault, code: SEGV_MAPERR, value: addr, x6: X6,
      });
    }
  });

  it("a jump to GUEST_LIMIT faults on the fetch", () => {
    const s = setup();
    prepare(s, jalr(0, 5), GUEST_LIMIT);
    const exit = go(s);
    expect({ exit, pc: s.h.pc, code: s.h.trapCode, value: s.h.trapValue }).toEqual({
      exit: Exit.FetchFault, pc: GUEST_LIMIT, code: SEGV_MAPERR, value: GUEST_LIMIT,
    });
  });
});

describe("register slots", () => {
  it("are handed out at GUEST_LIMIT + k * REGISTER_SLOT_SIZE, each once, until all are taken", () => {
    const as = fresh();
    const got = Array.from({ length: SLOT_COUNT }, () => as.claimRegisterSlot(owner()));
    expect(SLOT_COUNT).toBe(1024);
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: SLOT_COUNT }, (_, k) => GUEST_LIMIT + k * REGISTER_SLOT_SIZE));
    // They all lie below the compiled tier's region index, which lies below the permission table.
    expect(Math.max(...got) + REGISTER_SLOT_SIZE).toBe(REGION_INDEX_BASE);
    expect(REGION_INDEX_BASE + REGION_INDEX_ENTRIES * 8).toBeLessThanOrEqual(PERMS_BASE);
    expect(as.claimRegisterSlot(owner())).toBe(-1);
    expect(as.claimRegisterSlot(owner())).toBe(-1);
  });

  it("a freed slot is handed out again, once, even when freed twice", () => {
    const as = fresh();
    const [a, b, c] = [as.claimRegisterSlot(owner()), as.claimRegisterSlot(owner()), as.claimRegisterSlot(owner())];
    as.freeRegisterSlot(b);
    as.freeRegisterSlot(b);
    const again = as.claimRegisterSlot(owner());
    const next = as.claimRegisterSlot(owner());
    expect(again).toBe(b);
    expect(new Set([a, b, c, next]).size).toBe(4);
    // With every slot taken, a freed one is the only one there is.
    while (as.claimRegisterSlot(owner()) >= 0);
    as.freeRegisterSlot(c);
    expect(as.claimRegisterSlot(owner())).toBe(c);
    expect(as.claimRegisterSlot(owner())).toBe(-1);
  });

  it("release tells every owner to move out, once, and the owners of freed slots not at all", () => {
    const as = fresh();
    const owners = Array.from({ length: 5 }, owner);
    const slots = owners.map((o) => as.claimRegisterSlot(o));
    as.freeRegisterSlot(slots[2]);
    const replacement = owner();
    expect(as.claimRegisterSlot(replacement)).toBe(slots[2]);
    as.release();
    expect([...owners.map((o) => o.evictions), replacement.evictions]).toEqual([1, 1, 0, 1, 1, 1]);
    as.release();
    expect([...owners.map((o) => o.evictions), replacement.evictions]).toEqual([1, 1, 0, 1, 1, 1]);
  });

  it("release passes over a slot that was freed and not claimed again", () => {
    const as = fresh();
    const owners = Array.from({ length: 3 }, owner);
    const slots = owners.map((o) => as.claimRegisterSlot(o));
    as.freeRegisterSlot(slots[1]);
    expect(() => as.release()).not.toThrow();
    expect(owners.map((o) => o.evictions)).toEqual([1, 0, 1]);
  });

  it("a released address space hands out no slot; the next one on its memory starts from the first", () => {
    drainPool();
    const as = fresh();
    for (let k = 0; k < 3; k++) as.claimRegisterSlot(owner());
    as.release();
    expect(as.claimRegisterSlot(owner())).toBe(-1);
    const next = fresh();
    expect(next.memory).toBe(as.memory);
    expect(next.claimRegisterSlot(owner())).toBe(GUEST_LIMIT);
  });
});
