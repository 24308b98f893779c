// Memory protection as the CPU enforces it (src/cpu/interp.ts, jit.ts, mem-slow.ts), on an
// AddressSpace whose pages are set up with map/protect/unmap, as the kernel's mmap, mprotect and
// munmap do. Each access runs in five ways:
//  - "interpreter": the compiled tier off;
//  - "compiled": every block compiled before it first runs (the access is met by compiled code,
//    which must hand a forbidden access to the interpreter instead of doing it);
//  - "hot loop": the same instruction runs 40 times on a good address and is compiled on the way,
//    then once on the address under test;
// the last two once with each back end of the compiled tier (WebAssembly, which checks the
// permission table inside the memory, and JavaScript, which checks the address space's copy).
// A forbidden access must stop the run with Exit.MemFault at the instruction, with Linux's si_code
// (SEGV_ACCERR for a mapped page, SEGV_MAPERR for an unmapped one) and fault address (the first
// byte the access may not touch: for an access running from a permitted page into a forbidden one,
// the forbidden page's first byte, as qemu-riscv64 reports it), and it must change nothing: no
// byte of memory (not even in the permitted page), no destination register. Permitted accesses
// next to the forbidden ones must work. guests/src/prot-faults.c checks the same through the
// kernel's SIGSEGV, against qemu.
//
// Guest memory ends at GUEST_LIMIT: the memory's top 2 MiB hold rvtrace's register slots and
// permission table, and an access there must fault as one to an unmapped page does, in every tier,
// without changing a byte of them.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Exit, Hart, SEGV_ACCERR, SEGV_MAPERR } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { ADDRESS_LIMIT, AddressSpace, GUEST_LIMIT, PERMS_BASE, PROT_EXEC, PROT_READ, PROT_WRITE, REGISTER_SLOT_SIZE } from "../../src/mem/address-space.js";
import { addi, amo, bne, ecall, jal, load, store, words, LOAD_OPS, STORE_OPS, type AmoOp, type LoadOp, type StoreOp } from "./rv-encode.js";

const RW = PROT_READ | PROT_WRITE;
const PAGE = 4096;

// ---- the address space ----
const CODE = 0x10000; // RX
const A = 0x20000; // RW, then B
const B = 0x21000; // read-only (mapped RW, then protect()ed), then C
const C = 0x22000; // PROT_NONE, then D
const D = 0x23000; // unmapped, then E
const E = 0x24000; // RW, then H
const H = 0x25000; // unmapped, then F
const F = 0x26000; // read-only, then G
const G = 0x27000; // RW
const GOOD = 0x28000; // RW: where the hot loop warms up
const TOP = GUEST_LIMIT - PAGE; // RW: the last page of guest memory (nothing can be mapped above it)
// In the reserved top: a register slot no hart of this file claims (each test's hart takes the
// first one, and gives it back after the test), and the permission table's byte for the first reserved page (a store there
// that went through would open the register slots to the guest).
const SPARE_SLOT = PERMS_BASE - REGISTER_SLOT_SIZE;
const RESERVED_PERM = PERMS_BASE + GUEST_LIMIT / PAGE;

let mem: AddressSpace;

/** What byte k of a data page initially holds. */
const initial = (addr: number) => (addr * 13 + 5) & 0xff;

beforeAll(() => {
  mem = new AddressSpace();
  mem.map(CODE, PAGE, PROT_READ | PROT_EXEC, "code");
  mem.map(A, GOOD + PAGE - A, RW, "data");
  mem.map(TOP, PAGE, RW, "top");
  for (const [start, len] of [[A, GOOD + PAGE - A], [TOP, PAGE]]) {
    mem.poke(start, Uint8Array.from({ length: len }, (_, k) => initial(start + k)));
  }
  expect(mem.protect(B, PAGE, PROT_READ)).toBe(true);
  expect(mem.protect(C, PAGE, 0)).toBe(true);
  expect(mem.protect(F, PAGE, PROT_READ)).toBe(true);
  mem.unmap(D, PAGE);
  mem.unmap(H, PAGE);
});

/** The hart of the test running: it gives its register slot back after the test. */
let hart: Hart | undefined;

const saved = { ...jitConfig };
afterEach(() => {
  Object.assign(jitConfig, saved);
  hart?.leaveHome();
  hart = undefined;
});

type Tier = "interpreter" | "compiled (wasm)" | "hot loop (wasm)" | "compiled (js)" | "hot loop (js)";
const TIERS: Tier[] = ["interpreter", "compiled (wasm)", "hot loop (wasm)", "compiled (js)", "hot loop (js)"];
const isHotLoop = (tier: Tier) => tier.startsWith("hot loop");

function setTier(tier: Tier): void {
  const compiled = tier.startsWith("compiled");
  jitConfig.enabled = tier !== "interpreter";
  jitConfig.threshold = compiled ? 1 : 3;
  jitConfig.decodeAhead = compiled;
  jitConfig.maxRegionsPerPage = 1e9;
  jitConfig.backend = tier.endsWith("(js)") ? "js" : "wasm";
}

/** What x6 and f6 hold when the access runs: the value stores write; loads overwrite it. */
const VALUE = 0x1122334455667788n;

interface Ran {
  exit: Exit;
  h: Hart;
  /** Instructions retired before the access under test. */
  before: number;
  /** Regions compiled during the run. */
  compiled: number;
}

/**
 * Runs instruction `insn` (base x5 = addr, data x6 / f6, x7 = 5 for AMOs) in `tier`, followed by
 * an ecall; the hot loop first runs it 40 times with x5 = GOOD + 64.
 */
function runAccess(insn: number, addr: number, tier: Tier): Ran {
  setTier(tier);
  const h = (hart = new Hart());
  h.setX(6, VALUE);
  h.f64bits[6] = VALUE;
  h.setX(7, 5n);
  let code: Uint8Array;
  let before = 0;
  if (isHotLoop(tier)) {
    // x5 = good address, x8 = addr, x9 = 40 iterations, x10 = 0 until x5 is switched to addr.
    //  0: insn            4: x9 -= 1        8: bne x9, x0, 0    12: bne x10, x0, 32
    // 16: x5 = x8        20: x10 = 1       24: x9 = 1          28: jal x0, 0      32: ecall
    h.setX(5, BigInt(GOOD + 64));
    h.setX(8, BigInt(addr));
    h.setX(9, 40n);
    code = words(insn, addi(9, 9, -1), bne(9, 0, -8), bne(10, 0, 20), addi(5, 8, 0), addi(10, 0, 1), addi(9, 0, 1), jal(0, -28), ecall());
    before = 40 * 3 + 5;
  } else {
    h.setX(5, BigInt(addr));
    code = words(insn, ecall());
  }
  mem.poke(CODE, code);
  h.pc = CODE;
  const regions = jitCounters().regions;
  const exit = run(h, mem, 1_000_000);
  return { exit, h, before, compiled: jitCounters().regions - regions };
}

/**
 * The readable bytes of [addr-16, addr+24) (unreadable ones as -1), and every byte of the reserved
 * top in that window (the guest cannot read them, but must not change them either).
 */
function around(addr: number): number[] {
  const out: number[] = [];
  for (let a = addr - 16; a < addr + 24; a++) {
    if (a >= ADDRESS_LIMIT) out.push(-1);
    else if (a >= GUEST_LIMIT) out.push(mem.bytes[a]);
    else out.push(mem.perms[a >>> 12] & PROT_READ ? mem.bytes[a] : -1);
  }
  return out;
}

function expectFault(r: Ran, tier: Tier, code: number, faultAddr: number): void {
  expect({ exit: r.exit, pc: r.h.pc, code: r.h.trapCode, addr: r.h.trapAddress, instret: r.h.instret }).toEqual({
    exit: Exit.MemFault, pc: CODE, code, addr: BigInt(faultAddr), instret: r.before,
  });
  // The compiled tiers really compiled the code (so compiled code met the access first).
  if (tier !== "interpreter") expect(r.compiled).toBeGreaterThan(0);
}

interface Case {
  what: string;
  insn: string;
  addr: number;
  /** si_code, or 0: the access is allowed. */
  code: number;
  /** The fault address, when it is not the access address. */
  at?: number;
}

const insnFor = (name: string) =>
  name in STORE_OPS ? store(name as StoreOp, 6, 5) : name in LOAD_OPS ? load(name as LoadOp, 6, 5) : amo(name as AmoOp, 6, 5, 7);
const sizeOf = (name: string) =>
  name in STORE_OPS ? STORE_OPS[name as StoreOp][2] : /^(lb|lbu)$/.test(name) ? 1 : /^(lh|lhu)$/.test(name) ? 2 : /d$|^ld$/.test(name) ? 8 : 4;
const isFp = (name: string) => name.startsWith("f");
const NAMES: Record<number, string> = { 0: "allowed", [SEGV_ACCERR]: "SEGV_ACCERR", [SEGV_MAPERR]: "SEGV_MAPERR" };

const STORES = ["sb", "sh", "sw", "sd", "fsw", "fsd", "amoadd.w", "amoswap.d"];
const LOADS = ["lb", "lbu", "lh", "lhu", "lw", "lwu", "ld", "flw", "fld", "lr.w"];

/** Every start address from which a store of `size` bytes runs from page `into`-1 into `into`. */
const crossing = (insn: string, size: number, into: number, what: string, code: number, at?: number): Case[] =>
  Array.from({ length: size - 1 }, (_, k) => ({ what: `${what}, ${k + 1} before`, insn, addr: into - (k + 1), code, at }));

const storeCases: Case[] = [
  ...STORES.map((insn) => ({ what: "read-only page", insn, addr: B + 16, code: SEGV_ACCERR })),
  ...STORES.map((insn) => ({ what: "PROT_NONE page", insn, addr: C + 32, code: SEGV_ACCERR })),
  ...STORES.map((insn) => ({ what: "unmapped page", insn, addr: D + 40, code: SEGV_MAPERR })),
  ...STORES.map((insn) => ({ what: "writable page", insn, addr: A + 24, code: 0 })),
  { what: "misaligned, inside a read-only page", insn: "sd", addr: B + 3, code: SEGV_ACCERR },
  { what: "misaligned, inside a read-only page", insn: "sw", addr: B + 10, code: SEGV_ACCERR },
  { what: "misaligned, inside a read-only page", insn: "sh", addr: B + 21, code: SEGV_ACCERR },
  { what: "misaligned, inside a writable page", insn: "sd", addr: A + 5, code: 0 },
  ...crossing("sh", 2, B, "writable -> read-only", SEGV_ACCERR, B),
  ...crossing("sw", 4, B, "writable -> read-only", SEGV_ACCERR, B),
  ...crossing("sd", 8, B, "writable -> read-only", SEGV_ACCERR, B),
  ...crossing("fsw", 4, B, "writable -> read-only", SEGV_ACCERR, B),
  ...crossing("fsd", 8, B, "writable -> read-only", SEGV_ACCERR, B),
  ...crossing("sd", 8, H, "writable -> unmapped", SEGV_MAPERR, H),
  ...crossing("sw", 4, G, "read-only -> writable", SEGV_ACCERR),
  ...crossing("sd", 8, E, "unmapped -> writable", SEGV_MAPERR),
  { what: "read-only -> PROT_NONE", insn: "sd", addr: C - 2, code: SEGV_ACCERR },
  { what: "writable -> writable", insn: "sd", addr: G + PAGE - 3, code: 0 },
  { what: "last guest page -> reserved top", insn: "sd", addr: GUEST_LIMIT - 4, code: SEGV_MAPERR, at: GUEST_LIMIT },
  { what: "last guest page -> reserved top", insn: "sh", addr: GUEST_LIMIT - 1, code: SEGV_MAPERR, at: GUEST_LIMIT },
  { what: "last bytes of guest memory", insn: "sd", addr: GUEST_LIMIT - 8, code: 0 },
  ...["sb", "sd", "fsd", "amoswap.d"].map((insn) => ({ what: "reserved top: first register slot", insn, addr: GUEST_LIMIT, code: SEGV_MAPERR })),
  ...["sw", "sd"].map((insn) => ({ what: "reserved top: a free register slot", insn, addr: SPARE_SLOT + 16, code: SEGV_MAPERR })),
  ...["sb", "sd", "amoadd.w"].map((insn) => ({ what: "reserved top: permission table", insn, addr: RESERVED_PERM, code: SEGV_MAPERR })),
  { what: "reserved top: permission table's start", insn: "sd", addr: PERMS_BASE, code: SEGV_MAPERR },
];

const loadCases: Case[] = [
  ...LOADS.map((insn) => ({ what: "PROT_NONE page", insn, addr: C + 48, code: SEGV_ACCERR })),
  ...LOADS.map((insn) => ({ what: "unmapped page", insn, addr: D + 56, code: SEGV_MAPERR })),
  ...LOADS.map((insn) => ({ what: "read-only page", insn, addr: B + 24, code: 0 })),
  { what: "misaligned, inside a PROT_NONE page", insn: "ld", addr: C + 5, code: SEGV_ACCERR },
  { what: "misaligned, inside a read-only page", insn: "ld", addr: B + 5, code: 0 },
  { what: "writable -> read-only", insn: "ld", addr: B - 3, code: 0 },
  { what: "read-only -> PROT_NONE", insn: "ld", addr: C - 5, code: SEGV_ACCERR, at: C },
  { what: "read-only -> PROT_NONE", insn: "lhu", addr: C - 1, code: SEGV_ACCERR, at: C },
  { what: "PROT_NONE -> unmapped", insn: "lw", addr: D - 2, code: SEGV_ACCERR },
  { what: "writable -> unmapped", insn: "lw", addr: H - 3, code: SEGV_MAPERR, at: H },
  { what: "unmapped -> writable", insn: "ld", addr: E - 6, code: SEGV_MAPERR },
  { what: "last guest page -> reserved top", insn: "ld", addr: GUEST_LIMIT - 3, code: SEGV_MAPERR, at: GUEST_LIMIT },
  { what: "last guest page -> reserved top", insn: "lw", addr: GUEST_LIMIT - 1, code: SEGV_MAPERR, at: GUEST_LIMIT },
  ...["lbu", "ld", "fld", "lr.w"].map((insn) => ({ what: "reserved top: first register slot", insn, addr: GUEST_LIMIT, code: SEGV_MAPERR })),
  ...["lw", "ld"].map((insn) => ({ what: "reserved top: permission table", insn, addr: RESERVED_PERM, code: SEGV_MAPERR })),
  { what: "reserved top: last byte of the memory", insn: "lbu", addr: ADDRESS_LIMIT - 1, code: SEGV_MAPERR },
];

const title = (tier: Tier, c: Case) => {
  const at = c.at ?? c.addr;
  const where = c.code ? ` at access${at >= c.addr ? "+" : ""}${at - c.addr}` : "";
  return `${tier}: ${c.insn} 0x${c.addr.toString(16)} (${c.what}): ${NAMES[c.code]}${where}`;
};

/** Little-endian bytes of the low `size` bytes of v. */
const bytesOf = (v: bigint, size: number) => Array.from({ length: size }, (_, k) => Number((v >> BigInt(8 * k)) & 0xffn));

/** The compiled tier never compiles atomics (jit.ts leaves them to the interpreter). */
const tiersFor = (c: Case) => (c.insn.startsWith("amo") || c.insn.startsWith("lr") ? TIERS.slice(0, 1) : TIERS);

/** What a load `insn` at addr puts in its destination register (f6 or x6) as 64 bits. */
function loaded(insn: string, addr: number): bigint {
  const size = sizeOf(insn);
  const raw = Array.from(mem.bytes.subarray(addr, addr + size)).reduce((v, b, k) => v | (BigInt(b) << BigInt(8 * k)), 0n);
  if (insn === "flw") return raw | 0xffffffff00000000n; // NaN-boxed
  if (insn.endsWith("u") || isFp(insn)) return raw;
  return BigInt.asUintN(64, BigInt.asIntN(8 * size, raw));
}

describe("stores", () => {
  for (const c of storeCases) {
    for (const tier of tiersFor(c)) {
      it(title(tier, c), () => {
        const size = sizeOf(c.insn);
        // Put the initial bytes back (an allowed store in another tier wrote them).
        if (c.code === 0) mem.poke(c.addr, Uint8Array.from({ length: size }, (_, k) => initial(c.addr + k)));
        const memBefore = around(c.addr);
        const r = runAccess(insnFor(c.insn), c.addr, tier);
        if (c.code !== 0) {
          expectFault(r, tier, c.code, c.at ?? c.addr);
          expect(around(c.addr)).toEqual(memBefore);
          return;
        }
        expect(r.exit).toBe(Exit.Ecall);
        // An AMO stores old + 5 (amoadd) or 5 (amoswap, x7); the others store x6 / f6.
        const old = Array.from(mem.bytes.subarray(c.addr, c.addr + size));
        const oldValue = memBefore.slice(16, 16 + size).reduce((v, b, k) => v | (BigInt(b) << BigInt(8 * k)), 0n);
        const stored = c.insn === "amoswap.d" ? 5n : c.insn === "amoadd.w" ? oldValue + 5n : VALUE;
        expect(old).toEqual(bytesOf(stored, size));
      });
    }
  }
});

describe("loads", () => {
  for (const c of loadCases) {
    for (const tier of tiersFor(c)) {
      it(title(tier, c), () => {
        const r = runAccess(insnFor(c.insn), c.addr, tier);
        const dest = isFp(c.insn) ? r.h.f64bits[6] : BigInt.asUintN(64, r.h.getX(6));
        if (c.code !== 0) {
          expectFault(r, tier, c.code, c.at ?? c.addr);
          // A faulting load writes no register: it still holds what it held before (in the hot
          // loop, what the last good load put there).
          expect(dest).toBe(isHotLoop(tier) ? loaded(c.insn, GOOD + 64) : VALUE);
          return;
        }
        expect(r.exit).toBe(Exit.Ecall);
        expect(dest).toBe(loaded(c.insn, c.addr));
      });
    }
  }
});
