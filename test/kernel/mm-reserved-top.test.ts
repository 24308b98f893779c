// The memory syscalls and the reserved top of the memory (src/kernel/syscalls/mm-range.ts LIMIT):
// guest memory ends at GUEST_LIMIT (0xffe00000); the 2 MiB above hold rvtrace's register slots and
// permission table, and count as lying beyond the end of guest memory. A request for them is ENOMEM
// as one past 4 GiB always was, and a range running over them acts on the guest's part only: the
// table and the slots must come out of any such call as they went in, and the guest must run on.
// Each call is the handler itself on a bare task (mm-call.ts); the task's hart runs real code in
// between (src/cpu/interp.ts), homed in the task's address space as every running hart is.
import { describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { Exit } from "../../src/cpu/hart.js";
import { run } from "../../src/cpu/interp.js";
import {
  ADDRESS_LIMIT, GUEST_LIMIT, PAGE_MAPPED, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE, REGISTER_SLOT_SIZE,
  type AddressSpace,
} from "../../src/mem/address-space.js";
import { ecall, load, store, words } from "../cpu/rv-encode.js";
import { bareTask, call, type BareTask } from "./mm-call.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const MADV_DONTNEED = 4;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const err = (e: number) => BigInt(-e);
const GUEST_PAGES = GUEST_LIMIT / PAGE;
/** The range the hostile calls below cover: the last MiB of guest memory and the whole reserved top. */
const LOW = 0xffd0_0000;
const TO_4GIB = ADDRESS_LIMIT - LOW;

/** The pages of the reserved top whose permission byte is not 0, as "page: bits". */
const openReservedPages = (as: AddressSpace) =>
  Array.from(as.perms.subarray(GUEST_PAGES)).flatMap((bits, k) => (bits ? [`${GUEST_PAGES + k}: ${bits}`] : []));

/** Runs a syscall, giving its exception's text instead of throwing (so a crash fails an assertion). */
function tryCall(t: BareTask, name: string, ...args: (bigint | number)[]): bigint | string {
  try {
    return call(t, name, ...args);
  } catch (e) {
    return `threw ${String(e)}`;
  }
}

describe("mmap in the reserved top", () => {
  it("MAP_FIXED at 0xffe00000, at 0xfffff000, or running from the last guest page into them, is ENOMEM and maps nothing", () => {
    const t = bareTask();
    for (const addr of [0xffe0_0000, 0xffff_f000, PERMS_BASE]) {
      for (const flags of [ANON | MAP_FIXED, ANON | MAP_FIXED_NOREPLACE]) {
        expect([addr.toString(16), flags, call(t, "mmap", addr, PAGE, RW, flags, -1, 0)]).toEqual([addr.toString(16), flags, err(E.ENOMEM)]);
      }
    }
    expect(call(t, "mmap", GUEST_LIMIT - PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(t.mem.mappingCount()).toBe(0);
    expect(openReservedPages(t.mem)).toEqual([]);
    // The last guest page itself is guest memory like any other.
    expect(call(t, "mmap", GUEST_LIMIT - PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(GUEST_LIMIT - PAGE));
    expect(openReservedPages(t.mem)).toEqual([]);
  });

  it("a hint there is not followed: the mapping goes into guest memory", () => {
    const t = bareTask();
    for (const hint of [0xffe0_0000, 0xffff_f000]) {
      const a = Number(call(t, "mmap", hint, PAGE, RW, ANON, -1, 0));
      expect(a).toBeGreaterThan(0);
      expect(a + PAGE).toBeLessThanOrEqual(GUEST_LIMIT);
    }
    expect(openReservedPages(t.mem)).toEqual([]);
  });
});

describe("munmap, mprotect and madvise over [0xffd00000, 4 GiB)", () => {
  it("leave the permission table and the register slots as they were; a later mapping works and the guest runs on", () => {
    const t = bareTask();
    const { mem, hart: h } = t;
    // The program: part one stores x6 to the data page; part two (after the calls) loads it back,
    // stores it at the top of guest memory (x8) and loads it from there.
    const code = Number(call(t, "mmap", 0, PAGE, PROT_READ | PROT_EXEC, ANON, -1, 0));
    const data = Number(call(t, "mmap", 0, PAGE, RW, ANON, -1, 0));
    expect(call(t, "mmap", LOW, GUEST_LIMIT - LOW, RW, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(LOW));
    mem.poke(code, words(store("sd", 6, 5), ecall(), load("ld", 7, 5), store("sd", 7, 8), load("ld", 9, 8), ecall()));
    const VALUE = 0x5eed_1234_abcd_0042n;
    for (let n = 16; n < 32; n++) h.setX(n, BigInt(n) * 0x1111_1111n);
    for (let n = 0; n < 32; n++) h.f64bits[n] = BigInt(n) * 0x0101_0101_0101n;
    h.setX(5, BigInt(data));
    h.setX(6, VALUE);
    h.pc = code;
    expect(run(h, mem, 100)).toBe(Exit.Ecall);
    expect(h.home === mem).toBe(true);
    const slot = h.regs;
    // Another hart's slot, with bytes of its own.
    const other = mem.claimRegisterSlot({ evictRegisters() {} });
    for (let k = 0; k < REGISTER_SLOT_SIZE; k++) mem.bytes[other + k] = (k * 5 + 1) & 0xff;
    const otherBytes = mem.bytes.slice(other, other + REGISTER_SLOT_SIZE);
    // Registers the calls do not take as arguments (a0..a5 they do).
    const kept = () => [...[5, 6, 7, 8, 9].map((n) => h.getX(n)), ...Array.from({ length: 16 }, (_, k) => h.getX(16 + k)), ...h.f64bits];
    const keptBefore = kept();

    // mprotect and madvise act on the mapped part, then find the end of guest memory: ENOMEM.
    expect(call(t, "mprotect", LOW, TO_4GIB, PROT_READ)).toBe(err(E.ENOMEM));
    expect(mem.findMapping(LOW)?.prot).toBe(PROT_READ);
    expect(call(t, "mprotect", LOW, TO_4GIB, RW)).toBe(err(E.ENOMEM));
    expect(call(t, "madvise", LOW, TO_4GIB, MADV_DONTNEED)).toBe(err(E.ENOMEM));
    expect(call(t, "mprotect", GUEST_LIMIT, ADDRESS_LIMIT - GUEST_LIMIT, RW)).toBe(err(E.ENOMEM));
    expect(call(t, "munmap", LOW, TO_4GIB)).toBe(0n);
    expect(call(t, "munmap", GUEST_LIMIT, ADDRESS_LIMIT - GUEST_LIMIT)).toBe(0n);
    expect(mem.findMapping(LOW)).toBeUndefined();

    expect(openReservedPages(mem)).toEqual([]);
    expect(mem.perms[data / PAGE]).toBe(RW | PAGE_MAPPED);
    expect(mem.perms[code / PAGE] & (PROT_READ | PROT_EXEC | PAGE_MAPPED)).toBe(PROT_READ | PROT_EXEC | PAGE_MAPPED);
    expect(mem.bytes.subarray(other, other + REGISTER_SLOT_SIZE).every((b, k) => b === otherBytes[k])).toBe(true);
    expect([h.home === mem, h.regs]).toEqual([true, slot]);
    expect(kept()).toEqual(keptBefore);

    // A new mapping where the old one was, and the guest runs on into it.
    expect(call(t, "mmap", LOW, GUEST_LIMIT - LOW, RW, ANON | MAP_FIXED, -1, 0)).toBe(BigInt(LOW));
    h.setX(8, BigInt(GUEST_LIMIT - 8));
    h.pc += 4;
    expect(run(h, mem, 100)).toBe(Exit.Ecall);
    expect([h.getX(7), h.getX(9)]).toEqual([VALUE, VALUE]);
    expect(mem.readU64(GUEST_LIMIT - 8)).toBe(VALUE);
    expect(openReservedPages(mem)).toEqual([]);
  });
});

describe("brk at the end of guest memory", () => {
  it("a break that would grow into the reserved top fails as Linux's does (the old break back), mapping nothing", () => {
    // A program whose last segment ends just below GUEST_LIMIT (elf/validate.ts allows it) starts
    // its heap there.
    const t = bareTask();
    const start = GUEST_LIMIT - PAGE;
    t.mem.brkStart = t.mem.brk = start;
    expect(tryCall(t, "brk", start + PAGE)).toBe(BigInt(start + PAGE));
    expect(tryCall(t, "brk", start + 3 * PAGE)).toBe(BigInt(start + PAGE));
    expect(tryCall(t, "brk", ADDRESS_LIMIT)).toBe(BigInt(start + PAGE));
    expect(openReservedPages(t.mem)).toEqual([]);
    expect(t.mem.listMappings().map((m) => [m.start, m.end])).toEqual([[start, GUEST_LIMIT]]);
  });
});
