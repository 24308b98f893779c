// Start-up training of the interpreter: before the first guest instruction, run() executes a small
// built-in program that uses every instruction of its main switch, both ways of every branch, the
// compiled tier (a loop hot enough to compile with a lowered threshold) and the shared exit, on a
// throwaway hart, in pages mapped for the purpose at the top of the address space and unmapped
// right after.
//
// Why: V8 optimises run() after a few hundred guest instructions, from the type feedback gathered
// so far. Any operation that has not run by then has no feedback, and the first time it runs the
// optimised code is thrown away and run() is compiled again (100–300 ms of compiler time each, on
// a machine with two cores). A program typically meets a dozen such "first times" spread over its
// run (the first `ori`, the first region entered, the first full quantum, the first stack address
// above 2^31 in some load). After this warm-up they have all happened.
//
// Nothing of it is visible to the guest: its hart is separate, the pages are unmapped again (and
// zero, as unmapped memory always is), and nothing is counted.
import { Exit, Hart } from "./hart.js";
import { jitConfig, jitCounters } from "./jit.js";
import { codeCacheOf } from "./code-cache.js";
import { AddressSpace, GUEST_LIMIT, PROT_EXEC, PROT_READ, PROT_WRITE } from "../mem/address-space.js";

/** Two executable pages (the program at the start of the first) and a data page, at the top of guest memory. */
const CODE = GUEST_LIMIT - 0x3000;
const DATA = GUEST_LIMIT - 0x1000;

let done = false;

/** How the warm-up program ended (for tests): it must reach its ecall. */
export const warmUpResult = { exit: -1, instret: 0, regions: 0 };

/** Runs the warm-up once per process, with `run` (passed in to avoid an import cycle). */
export function warmUpOnce(mem: AddressSpace, run: (h: Hart, mem: AddressSpace, budget: number) => Exit): void {
  if (done) return;
  done = true;
  if (!jitConfig.warmUp || mem.isAnyMapped(CODE, 3 * 4096)) return;
  const threshold = jitConfig.threshold;
  try {
    mem.map(CODE, 8192, PROT_READ | PROT_EXEC, "[rvtrace warm-up]");
    mem.map(DATA, 4096, PROT_READ | PROT_WRITE, "[rvtrace warm-up data]");
    mem.poke(CODE, program());
    // An instruction straddling the two code pages, then an ecall; and one straddling into the
    // data page, whose fetch faults.
    mem.poke(CODE + 4094, Uint8Array.of(0x13, 0, 0, 0, 0x73, 0, 0, 0));
    mem.poke(CODE + 8190, Uint8Array.of(0x13, 0));
    const h = new Hart();
    // In a register slot, as a guest's hart is (WebAssembly regions read the registers there).
    h.homeIn(mem);
    h.setXNumber(2, DATA + 0x800); // sp: an address above 2^31, as real stacks are
    // V8 allocates a function's feedback vector only after it has run a while, and records no
    // feedback before; so the program runs three times, its code decoded afresh each time, the last
    // time with a threshold low enough for its loop to be compiled and entered.
    const cache = codeCacheOf(mem);
    const before = jitCounters().regions;
    for (let pass = 0; pass < 3; pass++) {
      for (const page of [CODE >>> 12, (CODE >>> 12) + 1]) {
        const pg = cache.peek(page);
        pg?.heat.fill(0);
        pg?.d.fill(0);
      }
      jitConfig.threshold = pass < 2 ? 0 : 2;
      h.setXNumber(31, 8);
      h.pc = CODE;
      warmUpResult.exit = run(h, mem, 100_000);
      warmUpResult.instret = h.instret;
      jitConfig.threshold = 0;
      for (const pc of [CODE + 4094, CODE + 8190]) {
        h.pc = pc;
        run(h, mem, 10);
      }
    }
    warmUpResult.regions = jitCounters().regions - before;
    h.leaveHome();
  } catch {
    // Only a missed optimisation: the guest runs the same either way.
  } finally {
    jitConfig.threshold = threshold;
    mem.unmap(CODE, 3 * 4096);
  }
}

// ---- a minimal assembler ----

const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) =>
  (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const S = (imm: number, rs2: number, rs1: number, f3: number) =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
const B = (off: number, rs2: number, rs1: number, f3: number) =>
  (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
  (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63;
const J = (off: number, rd: number) =>
  (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12) |
  (rd << 7) | 0x6f;

const [ZERO, RA, SP, T0, T1, T2, A0, A1, A2, A3, A4, A5, A6, A7, T6] = [0, 1, 2, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 31];

/** The warm-up program (32-bit instructions; compressed ones decode to the same cases). */
function program(): Uint8Array {
  const w: number[] = [];
  const at = () => w.length * 4;
  const fix: [number, (off: number) => number, string][] = [];
  const labels = new Map<string, number>();
  const branch = (make: (off: number) => number, label: string) => {
    fix.push([w.length, make, label]);
    w.push(0);
  };
  const label = (name: string) => labels.set(name, at());

  w.push(I(5, ZERO, 0, A0, 0x13)); // li a0, 5
  w.push(I(-3, A0, 0, A1, 0x13)); // addi a1, a0, -3 (a1 = 2)
  w.push(I(0, A0, 0, A2, 0x13)); // mv a2, a0
  w.push(I(7, A1, 0, A3, 0x1b)); // addiw a3, a1, 7
  w.push(R(0, A1, A0, 0, A4, 0x33)); // add a4, a0, a1
  w.push(R(0x20, A1, A0, 0, A5, 0x33)); // sub a5, a0, a1
  w.push((0x12345 << 12) | (A6 << 7) | 0x37); // lui a6, 0x12345
  w.push((A7 << 7) | 0x17); // auipc a7, 0
  w.push(I(0x55, A0, 4, T0, 0x13)); // xori
  w.push(I(1, A0, 6, T0, 0x13)); // ori
  w.push(I(3, A0, 7, T0, 0x13)); // andi
  w.push(R(0, A1, A0, 4, T0, 0x33)); // xor
  w.push(R(0, A1, A0, 6, T0, 0x33)); // or
  w.push(R(0, A1, A0, 7, T0, 0x33)); // and
  w.push(R(0, A1, A0, 3, T0, 0x33)); // sltu
  w.push(I(33, A0, 1, T0, 0x13)); // slli t0, a0, 33
  w.push(I(3, A0, 1, T0, 0x13)); // slli t0, a0, 3
  w.push(I(1, A0, 5, T0, 0x13)); // srli t0, a0, 1
  w.push(I(40, T0, 5, T0, 0x13)); // srli t0, t0, 40
  w.push(I(3, A0, 1, T0, 0x1b)); // slliw
  w.push(I(2, A0, 5, T0, 0x1b)); // srliw
  w.push(R(1, A1, A0, 0, T0, 0x33)); // mul
  w.push(S(0, A0, SP, 3)); // sd a0, 0(sp)
  w.push(S(8, A0, SP, 2)); // sw a0, 8(sp)
  w.push(S(12, A0, SP, 0)); // sb a0, 12(sp)
  w.push(I(0, SP, 3, T0, 0x03)); // ld
  w.push(I(-8, SP, 3, T0, 0x03)); // ld (negative offset)
  w.push(I(8, SP, 2, T0, 0x03)); // lw
  w.push(I(12, SP, 4, T0, 0x03)); // lbu
  w.push(I(8, SP, 5, T0, 0x03)); // lhu
  w.push(I(10, A0, 3, T0, 0x13)); // sltiu (one of the instructions run() leaves to execRare)
  // Every branch both ways (a0 = 5, a1 = 2).
  const both = (f3: number, taken: [number, number], notTaken: [number, number], name: string) => {
    branch((off) => B(off, taken[1], taken[0], f3), name);
    w.push(I(0, ZERO, 0, ZERO, 0x13)); // skipped
    label(name);
    branch((off) => B(off, notTaken[1], notTaken[0], f3), "bad");
  };
  both(0, [A0, A2], [A0, A1], "beq");
  both(1, [A0, A1], [A0, A2], "bne");
  both(4, [A1, A0], [A0, A1], "blt");
  both(5, [A0, A1], [A1, A0], "bge");
  both(6, [A1, A0], [A0, A1], "bltu");
  both(7, [A0, A1], [A1, A0], "bgeu");
  // A call and a return.
  branch((off) => J(off, RA), "callee");
  // A loop that gets compiled (threshold 2) and entered.
  w.push(I(0, T6, 0, T1, 0x13)); // mv t1, t6 (the host sets t6: how many times round)
  label("loop");
  w.push(I(-1, T1, 0, T1, 0x13)); // addi t1, t1, -1
  w.push(S(16, T1, SP, 3)); // sd t1, 16(sp)
  w.push(I(16, SP, 3, T2, 0x03)); // ld t2, 16(sp)
  branch((off) => B(off, ZERO, T2, 1), "loop"); // bnez t2, loop
  w.push(0x00000073); // ecall: run() returns Exit.Ecall
  label("callee");
  w.push(I(0, RA, 0, ZERO, 0x67)); // ret
  label("bad");
  w.push(0x00100073); // ebreak (not reached)

  for (const [i, make, name] of fix) w[i] = make(labels.get(name)! - i * 4);
  const bytes = new Uint8Array(w.length * 4);
  const view = new DataView(bytes.buffer);
  w.forEach((insn, i) => view.setUint32(i * 4, insn >>> 0, true));
  return bytes;
}
