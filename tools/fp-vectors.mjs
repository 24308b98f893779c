// `node tools/fp-vectors.mjs [--check | --directed | --targeted]`: F/D instruction vectors with qemu-riscv64 as the reference,
// for test/cpu/fpu.test.ts. Writes test/cpu/fpu-vectors-edge.json: every op of the F and D
// extensions on operands at the edges (signed zeros, the smallest and largest subnormals and
// normals, neighbours of 1 and of the rounding boundaries, the integer limits of the conversions,
// infinities, quiet and signaling NaNs, improperly boxed singles), in every rounding mode an op
// has. The format is test/cpu/fpu-vectors.json's: "op a b c" and a "result/fflags" per mode.
//
// The reference is tools/fp-oracle (built here with riscv64-linux-gnu-gcc, run under
// qemu-riscv64), which executes each instruction word as it is. `--check` instead runs the
// vectors of test/cpu/fpu-vectors.json through it and reports any difference: a test of this
// tool's encoder against vectors recorded before it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const M64 = (1n << 64n) - 1n;
const BOX = 0xffffffff00000000n;

// Op ids as src/cpu/fpu.ts numbers them: id = 2·kind + fmt (fmt 0 single, 1 double).
const KINDS = [
  "fadd", "fsub", "fmul", "fdiv", "fsqrt", "fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax", "feq", "flt", "fle",
  "fclass", "fcvt.w", "fcvt.wu", "fcvt.l", "fcvt.lu", "fcvt.from.w", "fcvt.from.wu", "fcvt.from.l",
  "fcvt.from.lu", "fcvt.fmt", "fmv.x", "fmv.from.x", "fmadd", "fmsub", "fnmsub", "fnmadd",
];
const NOT_ROUNDED = new Set([5, 6, 7, 8, 9, 10, 11, 12, 13, 23, 24]);
const kindOf = (op) => op >> 1;
const fmtOf = (op) => op & 1;
/** Ops that take a rounding mode and give a result that depends on it (the others get one result). */
const rounded = (op) => !NOT_ROUNDED.has(kindOf(op)) && op !== 37 && op !== 39 && op !== 45;
const readsX = (op) => kindOf(op) >= 18 && kindOf(op) <= 21 || kindOf(op) === 24;
const writesX = (op) => kindOf(op) >= 10 && kindOf(op) <= 17 || kindOf(op) === 23;

/** The instruction word of op with rounding mode rm: sources x6/f1, f2, f4; destination x7/f3. */
function encode(op, rm) {
  const fmt = fmtOf(op);
  const kind = kindOf(op);
  const rd = writesX(op) ? 7 : 3;
  const rs1 = readsX(op) ? 6 : 1;
  const R = (f5, rs2, f3) => ((f5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53) >>> 0;
  if (kind <= 3) return R(kind, 2, rm);
  if (kind === 4) return R(0x0b, 0, rm);
  if (kind <= 7) return R(0x04, 2, kind - 5);
  if (kind <= 9) return R(0x05, 2, kind - 8);
  if (kind <= 12) return R(0x14, 2, 12 - kind);
  if (kind === 13) return R(0x1c, 0, 1);
  if (kind <= 17) return R(0x18, kind - 14, rm);
  if (kind <= 21) return R(0x1a, kind - 18, rm);
  if (kind === 22) return R(0x08, fmt === 0 ? 1 : 0, rm);
  if (kind === 23) return R(0x1c, 0, 0);
  if (kind === 24) return R(0x1e, 0, 0);
  const opcode = [0x43, 0x47, 0x4b, 0x4f][kind - 25];
  return ((4 << 27) | (fmt << 25) | (2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
}

/** Builds the oracle and runs lines "WORD A B C FRM" through it; returns its output lines. */
function oracle(lines) {
  const dir = mkdtempSync(path.join(tmpdir(), "fp-oracle-"));
  const bin = path.join(dir, "fp-oracle");
  const src = path.join(root, "tools/fp-oracle");
  execFileSync("riscv64-linux-gnu-gcc", ["-O1", "-static", "-o", bin, path.join(src, "fp-oracle.c"), path.join(src, "stub.S")]);
  const out = execFileSync("qemu-riscv64", [bin], { input: lines.join("\n") + "\n", maxBuffer: 1 << 28 }).toString();
  return out.trim().split("\n");
}

/** The vector line of op on a, b, c from the oracle's answers, one per rounding mode. */
function vectors(cases) {
  const jobs = [];
  for (const [op, a, b, c] of cases) {
    for (const rm of rounded(op) ? [0, 1, 2, 3, 4] : [0]) jobs.push({ op, a, b, c, word: encode(op, rm) });
  }
  const answers = oracle(jobs.map((j) => `${j.word.toString(16)} ${j.a.toString(16)} ${j.b.toString(16)} ${j.c.toString(16)} 0`));
  const lines = [];
  let i = 0;
  for (const [op, a, b, c] of cases) {
    const results = [];
    for (const _ of rounded(op) ? [0, 1, 2, 3, 4] : [0]) {
      const [x7, f3, fl] = answers[i++].split(" ");
      results.push(`${writesX(op) ? x7 : f3}/${fl}`);
    }
    lines.push(`${op} ${a.toString(16)} ${b.toString(16)} ${c.toString(16)} ${results.join(" ")}`);
  }
  return lines;
}

// ---- operands ----

const neg = (x, sign) => x | sign;
const boxS = (x) => BOX | x;

/** Edge values of binary64, both signs where the sign matters. */
const D_EDGES = (() => {
  const pos = [
    0n, 1n, 0x000fffffffffffffn, 0x0010000000000000n, 0x0010000000000001n, 0x001fffffffffffffn,
    0x3ca0000000000000n, 0x3fe0000000000000n, 0x3fefffffffffffffn, 0x3ff0000000000000n, 0x3ff0000000000001n,
    0x3ff8000000000000n, 0x4000000000000000n, 0x41dfffffffc00000n, 0x41e0000000000000n, 0x41efffffffe00000n,
    0x41f0000000000000n, 0x4340000000000001n, 0x43dfffffffffffffn, 0x43e0000000000000n, 0x43f0000000000000n,
    0x47efffffe0000000n, 0x36a0000000000000n, 0x3810000000000000n, 0x7fefffffffffffffn, 0x7fe0000000000000n,
    0x7ff0000000000000n,
  ];
  return [...pos, ...pos.map((x) => neg(x, 1n << 63n)), 0x7ff8000000000000n, 0x7ff4000000000001n, 0xfff8000000012345n];
})();

/** Edge values of binary32 (NaN-boxed), and two improperly boxed ones. */
const S_EDGES = (() => {
  const pos = [
    0n, 1n, 0x007fffffn, 0x00800000n, 0x00800001n, 0x00ffffffn, 0x33800000n, 0x3f000000n, 0x3f7fffffn, 0x3f800000n,
    0x3f800001n, 0x3fc00000n, 0x4effffffn, 0x4f000000n, 0x4f7fffffn, 0x4f800000n, 0x5effffffn, 0x5f000000n,
    0x5f800000n, 0x7f7fffffn, 0x7f000000n, 0x7f800000n, 0x0c000000n, 0x4b800001n,
  ];
  const all = [...pos, ...pos.map((x) => neg(x, 1n << 31n)), 0x7fc00000n, 0x7f800001n, 0xffc12345n];
  return [...all.map(boxS), 0x3f800000n, 0xffffffff7f800000n ^ (1n << 40n)];
})();

/** Integer sources of the conversions to floating point: limits and rounding boundaries. */
const X_EDGES = [
  0n, 1n, M64, 0x7fffffffn, 0x80000000n, 0xffffffff80000000n, 0xffffffffn, 0x100000000n, 0x1000001n, 0x1000003n,
  0xffffffff7fffffffn, 0x20000000000001n, 0x20000000000003n, 0x7fffffffffffffffn, 0x8000000000000000n,
  0x7ffffffffffffc00n, 0x7ffffffffffffdffn, 0xfffffffffffff800n, 0xfffffffffffffc01n, 0xffffff7fffffffffn,
  0x1234567887654321n, 0xffffffffff000001n,
];

/** xorshift for a reproducible sample of operand triples. */
function rng(seed) {
  let s = BigInt(seed) | 1n;
  return (n) => {
    s ^= (s << 13n) & M64;
    s ^= s >> 7n;
    s ^= (s << 17n) & M64;
    return Number(s % BigInt(n));
  };
}

function cases() {
  const out = [];
  for (let op = 0; op <= 57; op++) {
    const kind = kindOf(op);
    const edges = fmtOf(op) ? D_EDGES : S_EDGES;
    if (readsX(op)) {
      for (const a of X_EDGES) out.push([op, a, 0n, 0n]);
    } else if (kind === 4 || kind === 13 || (kind >= 14 && kind <= 17) || kind === 23) {
      for (const a of edges) out.push([op, a, 0n, 0n]);
    } else if (kind === 22) {
      // fcvt.s.d reads a double, fcvt.d.s a single.
      for (const a of fmtOf(op) ? S_EDGES : D_EDGES) out.push([op, a, 0n, 0n]);
    } else {
      // Two or three operands: a reproducible sample of the edge values' combinations (all of them
      // would be 3,000 pairs or 170,000 triples per op).
      const pick = rng(op * 7919 + 1);
      const n = kind <= 3 ? 300 : kind <= 12 ? 150 : 400;
      const any = () => edges[pick(edges.length)];
      for (let i = 0; i < n; i++) out.push([op, any(), any(), kind <= 12 ? 0n : any()]);
    }
  }
  return out;
}

// ---- --directed: cases aimed at one rounding decision each ----
//
// Results near the overflow threshold in every mode (a directed step from the largest finite
// number to an infinity raises OF, for either sign), products and fused results exactly halfway
// between two neighbours (only RMM tells a tie from its neighbours' rounding), and results near
// the smallest normal number. Each line holds the instruction word itself, as qemu ran it:
// "WORD A B C" and "X7-or-F3/FFLAGS" per rounding mode, in one line per mode.

const D = { max: 0x7fefffffffffffffn, one: 0x3ff0000000000000n, half: 0x3fe0000000000000n, two: 0x4000000000000000n,
  onePlus: 0x3ff0000000000001n, oneMinus: 0x3fefffffffffffffn, threeHalves: 0x3ff8000000000000n,
  minNormal: 0x0010000000000000n, halfUlpMax: 0x7c90000000000000n, quarterUlpMax: 0x7c80000000000000n, sign: 1n << 63n };
const S = { max: 0x7f7fffffn, one: 0x3f800000n, half: 0x3f000000n, two: 0x40000000n, onePlus: 0x3f800001n,
  oneMinus: 0x3f7fffffn, threeHalves: 0x3fc00000n, minNormal: 0x00800000n, halfUlpMax: 0x73000000n,
  quarterUlpMax: 0x72800000n, sign: 1n << 31n };

function directedCases() {
  const out = [];
  for (const fmt of [0, 1]) {
    const F = fmt ? D : S;
    const box = (x) => (fmt ? x : BOX | x);
    const both = (x) => [box(x), box(x | F.sign)];
    const big = [F.max, F.max - 1n, F.max ^ (1n << (fmt ? 52n : 23n)), F.minNormal, F.minNormal + 1n, F.minNormal * 3n / 2n, F.onePlus];
    const near1 = [F.one, F.onePlus, F.oneMinus, F.half, F.two, F.threeHalves, F.halfUlpMax, F.quarterUlpMax];
    // fadd, fsub, fmul, fdiv on each big value and each value near 1, all four sign combinations.
    for (const kind of [0, 1, 2, 3]) {
      for (const a of big.flatMap(both)) for (const b of near1.flatMap(both)) out.push([2 * kind + fmt, a, b, 0n]);
    }
    // Products exactly halfway between two neighbours: (1 + k·ulp)·1.5 for odd k.
    for (const k of [1n, 3n, 5n]) {
      for (const a of both(F.one + k)) {
        out.push([4 + fmt, a, box(F.threeHalves), 0n]);
        for (const kind of [25, 26, 27, 28]) out.push([2 * kind + fmt, a, box(F.threeHalves), box(0n)]);
      }
    }
    // Fused operations that overflow only by the addend, or only in the directed modes.
    for (const kind of [25, 26, 27, 28]) {
      for (const a of both(F.max)) for (const c of near1.flatMap(both)) out.push([2 * kind + fmt, a, box(F.one), c]);
    }
  }
  return out;
}

/**
 * Lines of the --directed file: one instruction word per rounding mode, with qemu's answer; and
 * every op that has a rounding-mode field once with each reserved static mode (5, 6), which the
 * hart rejects as an illegal instruction (the oracle's "ill").
 */
function directedLines(cases) {
  const jobs = [];
  for (const [op, a, b, c] of cases) {
    for (const rm of rounded(op) ? [0, 1, 2, 3, 4] : [0]) jobs.push({ op, a, b, c, word: encode(op, rm) });
  }
  for (let op = 0; op <= 57; op++) {
    if (NOT_ROUNDED.has(kindOf(op))) continue;
    const one = fmtOf(op) ? D.one : BOX | S.one;
    const a = readsX(op) ? 1n : one;
    for (const rm of [5, 6]) jobs.push({ op, a, b: one, c: one, word: encode(op, rm), frm: 0 });
    // rm 7 takes frm; frm 5, 6 and 7 are reserved, 4 (RMM) is not.
    for (const frm of [4, 5, 6, 7]) jobs.push({ op, a, b: one, c: one, word: encode(op, 7), frm });
  }
  const answers = oracle(jobs.map((j) => `${j.word.toString(16)} ${j.a.toString(16)} ${j.b.toString(16)} ${j.c.toString(16)} ${(j.frm ?? 0).toString(16)}`));
  return jobs.map((j, i) => {
    const [x7, f3, fl] = answers[i].split(" ");
    const result = x7 === "ill" ? "ill" : `${writesX(j.op) ? x7 : f3}/${fl}`;
    return `${j.word.toString(16)} ${j.a.toString(16)} ${j.b.toString(16)} ${j.c.toString(16)} ${(j.frm ?? 0).toString(16)} ${result}`;
  });
}

// ---- --targeted: operands aimed at single decisions of the fast paths ----

// Each case takes a fast path (src/cpu/fpu/arith.ts) to the edge of a range it must refuse, or to
// a rounding decision only one operand pattern reaches: found by mutating that decision (the mutants
// Stryker left alive, docs/testing.md) and searching operands until the mutated fast path disagreed
// with softfloat. qemu gives the expected answers; the comments say what each case sits on.
const T = (hex) => BigInt("0x" + hex);
const TARGETED = [
  // fadd.d: a finite sum whose TwoSum overflows (s − a rounds to −∞, the error is NaN): the fast
  // path must hand it to softfloat, and the directed modes must still round the right way.
  [1, T("7ca8000000000000"), T("ffefffffffffffff"), 0n],
  // fmul.d: both operands within the fast path's bounds (≤ 2^995), the product overflows (> 2^1020).
  [5, T("fe190c9d4f7224e0"), T("c1c8400000000000"), 0n],
  // fdiv.d: a quotient above 2^995, one below 2^-1000 (underflow), a dividend below 2^-900, a
  // divisor below 2^-1000 with the quotient overflowing, a tiny dividend over a huge divisor.
  [7, T("7e30000000000001"), T("bfc0400000000000"), 0n],
  [7, T("993e3886a2900000"), T("64621c0b16c00000"), 0n],
  [7, T("802ba3b400000000"), T("8b53043119000000"), 0n],
  [7, T("4d6d5cdd2d300000"), T("8190748489e00000"), 0n],
  [7, T("07b0000000000000"), T("cf9cd42a40200000"), 0n],
  // fmadd.d: a product below 2^-900 (its error not exact) beside a large addend; a result whose
  // last TwoSum error (tl) decides the rounding; the same in RMM; a product below 2^-900 again.
  [51, T("07c0000000000000"), T("8180000000000000"), T("3bde382000000000")],
  [51, T("4340000000000001"), T("4258000000000000"), T("a0b0000000000001")],
  [51, T("3f269b6d00000000"), T("3f3ba2a3d0900000"), T("8000000000000003")],
  [51, T("0850ab348d000000"), T("ada2d578a6300000"), T("3d30000000000000")],
  // fmadd.d: an addend about 2^-52 of the product, where the second TwoSum's error (t - ul) decides.
  [51, T("fe0fffffffffffff"), T("3fdfffffffffffff"), T("fadc000000000000")],
  // fmadd.s: a result just below 2^-126 (the grid below a power of two, tininess), and two sums
  // whose binary64 rounding is a 25-bit number (the RNE shortcut must not take them).
  [50, T("ffffffff80000200"), T("ffffffff2089fbd9"), T("ffffffff00800000")],
  [50, T("ffffffffbf3e6914"), T("ffffffffc1e00000"), T("ffffffff8102e500")],
  [50, T("ffffffff53b5de06"), T("ffffffff36c00000"), T("ffffffff0cf08f81")],
  // 0 × ∞ in either order is invalid (NV, canonical NaN), in both formats.
  [4, BOX, BOX | 0x7f800000n, 0n],
  [4, BOX | 0xff800000n, BOX | 0x80000000n, 0n],
  [5, 0n, 0x7ff0000000000000n, 0n],
  [5, 0x8000000000000000n, 0xfff0000000000000n, 0n],
  // A signaling NaN whose payload is only in the high word: feq and fmin signal NV for it.
  [21, 0x7ff4000000000000n, 0x3ff0000000000000n, 0n],
  [17, 0x7ff4000000000000n, 0x3ff0000000000000n, 0n],
];

if (process.argv.includes("--directed")) {
  const lines = directedLines(directedCases());
  const file = path.join(root, "test/cpu/fpu-vectors-directed.json");
  const description =
    "F/D instructions aimed at single rounding decisions (overflow by a directed step, exact ties, results near " +
    "the smallest normal, reserved rounding modes: 'ill'), produced by tools/fp-vectors.mjs --directed with qemu-riscv64 running each word " +
    "(tools/fp-oracle). Each entry: 'WORD A B C FRM R/FLAGS' in hex: the instruction word (sources x6 or f1, f2, f4; " +
    "destination x7 or f3), the raw inputs (A in both x6 and f1), frm, and qemu's destination register and " +
    "fflags, or 'ill' for an illegal instruction.";
  writeFileSync(file, JSON.stringify({ description, vectors: lines }, null, 0).replace('"vectors":[', '"vectors":[\n').replace(/","/g, '",\n"') + "\n");
  console.log(`${lines.length} vectors in ${path.relative(root, file)}`);
} else if (process.argv.includes("--targeted")) {
  const lines = vectors(TARGETED);
  const file = path.join(root, "test/cpu/fpu-vectors-targeted.json");
  const description =
    "F/D instruction vectors aimed at single decisions of the fast paths (tools/fp-vectors.mjs --targeted, which says " +
    "what each case sits on), with qemu-riscv64 running each instruction word (tools/fp-oracle). Same format as fpu-vectors.json.";
  writeFileSync(file, JSON.stringify({ description, vectors: lines }, null, 0).replace('"vectors":[', '"vectors":[\n').replace(/","/g, '",\n"') + "\n");
  console.log(`${lines.length} vectors in ${path.relative(root, file)}`);
} else if (process.argv.includes("--check")) {
  const old = JSON.parse(readFileSync(path.join(root, "test/cpu/fpu-vectors.json"), "utf8")).vectors;
  const parsed = old.map((l) => l.split(" "));
  const mine = vectors(parsed.map(([op, a, b, c]) => [Number(op), BigInt("0x" + a), BigInt("0x" + b), BigInt("0x" + c)]));
  const diff = mine.filter((l, i) => l !== old[i]);
  console.log(`${old.length} vectors, ${diff.length} differ`);
  for (const l of diff.slice(0, 10)) console.log(l);
  process.exitCode = diff.length ? 1 : 0;
} else {
  const lines = vectors(cases());
  const file = path.join(root, "test/cpu/fpu-vectors-edge.json");
  const description =
    "F/D instruction vectors at the edges of each op's domain, produced by tools/fp-vectors.mjs with " +
    "qemu-riscv64 running each instruction word (tools/fp-oracle). Same format as fpu-vectors.json.";
  writeFileSync(file, JSON.stringify({ description, vectors: lines }, null, 0).replace('"vectors":[', '"vectors":[\n').replace(/","/g, '",\n"') + "\n");
  console.log(`${lines.length} vectors in ${path.relative(root, file)}`);
}
