// Instruction fetch and page protections (src/cpu/interp.ts, jit.ts, code-cache.ts): a jump to a
// page without PROT_EXEC stops the run with Exit.FetchFault at the target, SEGV_ACCERR if the page
// is mapped and SEGV_MAPERR if not; a 4-byte instruction whose second half lies in such a page
// faults at that page's first byte; and code that has run (and been compiled) stops being run the
// moment its page loses PROT_EXEC, and is decoded afresh when the page gets it back. Each call
// comes from the interpreter, from code compiled before it ran, and from a hot, compiled loop.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Exit, Hart, SEGV_ACCERR, SEGV_MAPERR } from "../../src/cpu/hart.js";
import { jitConfig, run } from "../../src/cpu/interp.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { addi, bne, ecall, jal, jalr, words } from "./rv-encode.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const RX = PROT_READ | PROT_EXEC;

const CALLER = 0x10000; // RX: the calling program
const GOOD = 0x11000; // RX: a function that is always there
const DATA = 0x20000; // RW: holds a copy of the function, never executable
const NONE = 0x21000; // PROT_NONE
const HOLE = 0x22000; // unmapped
const FLIP = 0x30000; // a function whose page changes protection
const STRADDLE = 0x40000; // RX, then STRADDLE + PAGE: a 4-byte instruction across the two

/** "addi a0, a0, 1; ret": each call adds 1 to a0. */
const FUNCTION = words(addi(10, 10, 1), jalr(0, 1, 0));
/** The same function adding 100 (what FLIP is rewritten with). */
const FUNCTION_100 = words(addi(10, 10, 100), jalr(0, 1, 0));

let mem: AddressSpace;

beforeAll(() => {
  mem = new AddressSpace();
  mem.map(CALLER, PAGE, RX, "caller");
  mem.map(GOOD, PAGE, RX, "good");
  mem.poke(GOOD, FUNCTION);
  mem.map(DATA, 2 * PAGE, RW, "data");
  mem.poke(DATA, FUNCTION);
  mem.protect(NONE, PAGE, 0);
  mem.map(FLIP, PAGE, RX, "flip");
  mem.poke(FLIP, FUNCTION);
  mem.map(STRADDLE, 2 * PAGE, RW, "straddle");
  // The function's first instruction (4 bytes) starts 2 bytes before the second page.
  mem.poke(STRADDLE + PAGE - 2, FUNCTION);
  mem.protect(STRADDLE, PAGE, RX);
});

const saved = { ...jitConfig };
afterEach(() => {
  Object.assign(jitConfig, saved);
});

type Tier = "interpreter" | "compiled" | "hot loop";
const TIERS: Tier[] = ["interpreter", "compiled", "hot loop"];

interface Ran {
  exit: Exit;
  h: Hart;
  /** Instructions retired before the call under test. */
  before: number;
  compiled: number;
}

/** Calls `target` (jalr ra, 0(x5)) then ecalls; the hot loop first calls `warm` 40 times. */
function call(target: number, tier: Tier, warm = GOOD): Ran {
  jitConfig.enabled = tier !== "interpreter";
  jitConfig.threshold = tier === "compiled" ? 1 : 3;
  jitConfig.decodeAhead = tier === "compiled";
  jitConfig.maxRegionsPerPage = 1e9;
  const h = new Hart();
  let code: Uint8Array;
  let before = 0;
  if (tier === "hot loop") {
    //  0: call x5        4: x9 -= 1        8: bne x9, x0, 0    12: bne x11, x0, 32
    // 16: x5 = x8       20: x11 = 1       24: x9 = 1          28: jal x0, 0       32: ecall
    h.setX(5, BigInt(warm));
    h.setX(8, BigInt(target));
    h.setX(9, 40n);
    code = words(jalr(1, 5, 0), addi(9, 9, -1), bne(9, 0, -8), bne(11, 0, 20), addi(5, 8, 0), addi(11, 0, 1), addi(9, 0, 1), jal(0, -28), ecall());
    before = 40 * 5 + 5; // each good call: jalr, the function's 2, the loop's 2
  } else {
    h.setX(5, BigInt(target));
    code = words(jalr(1, 5, 0), ecall());
  }
  mem.poke(CALLER, code);
  h.pc = CALLER;
  const regions = jitCounters().regions;
  const exit = run(h, mem, 1_000_000);
  return { exit, h, before, compiled: jitCounters().regions - regions };
}

function expectFetchFault(r: Ran, tier: Tier, pc: number, code: number, addr: number): void {
  expect({ exit: r.exit, pc: r.h.pc, code: r.h.trapCode, addr: r.h.trapAddress, instret: r.h.instret }).toEqual({
    exit: Exit.FetchFault, pc, code, addr: BigInt(addr), instret: r.before + 1, // the jalr itself ran
  });
  if (tier !== "interpreter") expect(r.compiled).toBeGreaterThan(0);
}

/** The call ran the function once (a0 counts calls; the hot loop's 40 good calls too). */
function expectCalled(r: Ran, tier: Tier, times = 1, step = 1): void {
  expect(r.exit).toBe(Exit.Ecall);
  expect(r.h.getX(10)).toBe(BigInt((tier === "hot loop" ? 40 : 0) + times * step));
}

describe("calls into pages without PROT_EXEC", () => {
  for (const tier of TIERS) {
    it(`${tier}: a read-write page holding code: SEGV_ACCERR at the target`, () => {
      expectFetchFault(call(DATA, tier), tier, DATA, SEGV_ACCERR, DATA);
    });
    it(`${tier}: a PROT_NONE page: SEGV_ACCERR`, () => {
      expectFetchFault(call(NONE + 8, tier), tier, NONE + 8, SEGV_ACCERR, NONE + 8);
    });
    it(`${tier}: an unmapped page: SEGV_MAPERR`, () => {
      expectFetchFault(call(HOLE + 16, tier), tier, HOLE + 16, SEGV_MAPERR, HOLE + 16);
    });
    it(`${tier}: an executable page runs`, () => {
      expectCalled(call(GOOD, tier), tier);
    });
  }
});

describe("a 4-byte instruction across an executable page and another", () => {
  for (const tier of TIERS) {
    it(`${tier}: faults at the second page's first byte unless both are executable`, () => {
      const at = STRADDLE + PAGE - 2;
      mem.protect(STRADDLE + PAGE, PAGE, RW);
      expectFetchFault(call(at, tier), tier, at, SEGV_ACCERR, STRADDLE + PAGE);
      mem.protect(STRADDLE + PAGE, PAGE, RX);
      expectCalled(call(at, tier), tier);
      // Decoded (and compiled) while both pages were executable: taking PROT_EXEC from the
      // second page must drop the instruction, which lives in the first page's decoded code.
      mem.protect(STRADDLE + PAGE, PAGE, RW);
      expectFetchFault(call(at, tier), tier, at, SEGV_ACCERR, STRADDLE + PAGE);
      mem.unmap(STRADDLE + PAGE, PAGE);
      expectFetchFault(call(at, tier), tier, at, SEGV_MAPERR, STRADDLE + PAGE);
      mem.map(STRADDLE + PAGE, PAGE, RW, "straddle");
      mem.poke(STRADDLE + PAGE - 2, FUNCTION);
    });
  }
});

describe("a page whose code ran loses PROT_EXEC", () => {
  for (const tier of TIERS) {
    it(`${tier}: stops running at once, and runs its new code once executable again`, () => {
      mem.poke(FLIP, FUNCTION);
      mem.protect(FLIP, PAGE, RX);
      expectCalled(call(FLIP, tier), tier);
      // FLIP itself hot (compiled: its own region) before PROT_EXEC is taken away.
      const regions = jitCounters().regions;
      expectCalled(call(FLIP, "hot loop", FLIP), "hot loop");
      expect(jitCounters().regions).toBeGreaterThan(regions);
      mem.protect(FLIP, PAGE, RW);
      expectFetchFault(call(FLIP, tier), tier, FLIP, SEGV_ACCERR, FLIP);
      mem.protect(FLIP, PAGE, PROT_READ);
      expectFetchFault(call(FLIP, tier), tier, FLIP, SEGV_ACCERR, FLIP);
      // Rewritten while writable, as a JIT does, then made executable: the new code runs.
      mem.protect(FLIP, PAGE, RW);
      mem.write(FLIP, FUNCTION_100);
      mem.protect(FLIP, PAGE, RX);
      expectCalled(call(FLIP, tier), tier, 1, 100);
    });
  }
});
