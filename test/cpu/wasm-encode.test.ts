// The WebAssembly binary encoder of the compiled tier (src/cpu/wasm/encode.ts): LEB128 numbers, and
// moduleBytes, which every WebAssembly region goes through. A wrong LEB128 byte or section size
// makes V8 reject a region (compileRegion then silently leaves the code to the interpreter), or
// worse, decode a different constant or branch target and compute something else. So:
// - uleb/sleb against encodings worked out by hand from the format's definition (WebAssembly Core
//   Specification 2.0, 5.2.2: 7 bits a byte, low bits first, high bit = more; signed: two's
//   complement, the last byte's bit 6 is the sign) and the two examples in the LEB128 literature,
//   at every byte-length boundary the tier uses; then a sweep decoded by an independent decoder;
// - small modules built with moduleBytes that WebAssembly.validate accepts and that compute what
//   they should: parameters, locals of mixed types, a br_table dispatch as regions use it, i64
//   constants, calls to imports beside the exported function, and the shared memory import.
import { describe, expect, it } from "vitest";
import { moduleBytes, sleb, T, uleb, W, type ModuleSpec } from "../../src/cpu/wasm/encode.js";

const u = (n: number) => {
  const out: number[] = [];
  uleb(out, n);
  return out;
};
const s = (n: number) => {
  const out: number[] = [];
  sleb(out, n);
  return out;
};

/** Decodes LEB128 bytes (all of them must be used) as BigInt: unsigned, or signed. */
function decode(bytes: number[], signed: boolean): bigint {
  let v = 0n;
  let shift = 0n;
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k];
    v |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    const more = (b & 0x80) !== 0;
    if (more !== (k < bytes.length - 1)) throw new Error(`continuation bit wrong at byte ${k} of ${bytes}`);
    if (!more && signed && b & 0x40) v -= 1n << shift;
  }
  return v;
}

/** The fewest bytes that hold n: unsigned (bits / 7, rounded up), or signed (one more bit for the sign). */
function minimalLength(n: bigint, signed: boolean): number {
  let bits = 1;
  if (signed) while (!(n >= -(1n << BigInt(bits - 1)) && n < 1n << BigInt(bits - 1))) bits++;
  else while (n >= 1n << BigInt(bits)) bits++;
  return Math.ceil(bits / 7);
}

describe("uleb", () => {
  it("encodes the values at each length boundary as the format says", () => {
    expect(u(0)).toEqual([0x00]);
    expect(u(1)).toEqual([0x01]);
    expect(u(127)).toEqual([0x7f]);
    expect(u(128)).toEqual([0x80, 0x01]);
    expect(u(255)).toEqual([0xff, 0x01]);
    expect(u(16383)).toEqual([0xff, 0x7f]);
    expect(u(16384)).toEqual([0x80, 0x80, 0x01]);
    expect(u(624485)).toEqual([0xe5, 0x8e, 0x26]); // the customary example
    expect(u(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(u(2 ** 32)).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(u(2 ** 35 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x7f]);
    expect(u(2 ** 53 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it("appends to what the array holds", () => {
    const out = [0xaa];
    uleb(out, 300);
    expect(out).toEqual([0xaa, 0xac, 0x02]);
  });

  it("round-trips, in the fewest bytes, across 0 .. 2^53 - 1", () => {
    const values = [0, 1, 63, 64, 65, 4095, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 42 + 5, 2 ** 49 - 1, 2 ** 49, 2 ** 52 + 3];
    for (let k = 1; k < 53; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
    values.push(Number.MAX_SAFE_INTEGER);
    for (const v of values) {
      const bytes = u(v);
      expect(decode(bytes, false), `${v}`).toBe(BigInt(v));
      expect(bytes.length, `${v}`).toBe(minimalLength(BigInt(v), false));
    }
  });
});

describe("sleb", () => {
  it("encodes the values at each length boundary as the format says", () => {
    expect(s(0)).toEqual([0x00]);
    expect(s(1)).toEqual([0x01]);
    expect(s(-1)).toEqual([0x7f]);
    expect(s(63)).toEqual([0x3f]);
    expect(s(64)).toEqual([0xc0, 0x00]); // bit 6 set would read as negative: one more byte
    expect(s(-64)).toEqual([0x40]);
    expect(s(-65)).toEqual([0xbf, 0x7f]);
    expect(s(127)).toEqual([0xff, 0x00]);
    expect(s(-128)).toEqual([0x80, 0x7f]);
    expect(s(8191)).toEqual([0xff, 0x3f]);
    expect(s(8192)).toEqual([0x80, 0xc0, 0x00]);
    expect(s(-8192)).toEqual([0x80, 0x40]);
    expect(s(-8193)).toEqual([0xff, 0xbf, 0x7f]);
    expect(s(-123456)).toEqual([0xc0, 0xbb, 0x78]); // the customary example
    // int32's ends (i32.const operands), and 2^32 either side (i64 register values).
    expect(s(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(s(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(s(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(s(-(2 ** 32))).toEqual([0x80, 0x80, 0x80, 0x80, 0x70]);
    expect(s(2 ** 53 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(s(-(2 ** 53 - 1))).toEqual([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70]);
  });

  it("round-trips, in the fewest bytes, across -(2^53 - 1) .. 2^53 - 1", () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 0x7ffff000, -0x80000800];
    for (let k = 1; k < 53; k++) values.push(2 ** k - 1, 2 ** k, -(2 ** k), -(2 ** k) - 1, -(2 ** k) + 1);
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    for (const v of values) {
      const bytes = s(v);
      expect(decode(bytes, true), `${v}`).toBe(BigInt(v));
      expect(bytes.length, `${v}`).toBe(minimalLength(BigInt(v), true));
    }
  });
});

/** A one-page shared memory, the kind moduleBytes's import asks for with memoryPages 1. */
const oneSharedPage = () => new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });

/** Validates the module, instantiates it on `mem` (and imports `h`), and returns its export "r". */
function instantiate(spec: ModuleSpec, h: WebAssembly.ModuleImports = {}, mem = oneSharedPage()): (...args: unknown[]) => unknown {
  const bytes = moduleBytes(spec);
  expect(WebAssembly.validate(bytes)).toBe(true);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem }, h });
  return instance.exports.r as (...args: unknown[]) => unknown;
}

/** A body's local.get / local.set n. */
const get = (n: number) => [W.local_get, n];
const set = (n: number) => [W.local_set, n];
const i32 = (v: number) => [W.i32_const, ...s(v)];
const i64 = (v: number) => [W.i64_const, ...s(v)];

describe("moduleBytes", () => {
  it("starts with the magic number and version 1", () => {
    const bytes = moduleBytes({ types: [{ params: [], results: [] }], memoryPages: 1, imports: [], func: { type: 0, locals: [], body: [] } });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it("a function adding its two parameters", () => {
    const add = instantiate({
      types: [{ params: [T.i32, T.i32], results: [T.i32] }],
      memoryPages: 1,
      imports: [],
      func: { type: 0, locals: [], body: [...get(0), ...get(1), W.i32_add] },
    });
    expect(add(2, 3)).toBe(5);
    expect(add(-1, 1)).toBe(0);
    expect(add(0x7fffffff, 1)).toBe(-(2 ** 31));
  });

  it("locals of mixed types after the parameters, numbered in order", () => {
    // (p: i64) -> i64 with locals i32, i32, i64, i32 (three runs): l1 = 7, l2 = 8, l3 = p, l4 = 9;
    // result l3 * 1000 + (l1 * 100 + l2 * 10 + l4). A wrong run count or type would not validate;
    // locals numbered wrongly would give another sum.
    const f = instantiate({
      types: [{ params: [T.i64], results: [T.i64] }],
      memoryPages: 1,
      imports: [],
      func: {
        type: 0,
        locals: [T.i32, T.i32, T.i64, T.i32],
        body: [
          ...i32(7), ...set(1), ...i32(8), ...set(2), ...get(0), ...set(3), ...i32(9), ...set(4),
          ...get(3), ...i64(1000), W.i64_mul,
          ...get(1), ...i32(100), W.i32_mul, ...get(2), ...i32(10), W.i32_mul, W.i32_add, ...get(4), W.i32_add,
          W.i64_extend_i32_s, W.i64_add,
        ],
      },
    });
    expect(f(5n)).toBe(5789n);
    expect(f(-1n)).toBe(-1000n + 789n);
  });

  it("i64 constants at the ends of what sleb takes", () => {
    for (const v of [0, -1, 2 ** 31, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1)]) {
      const f = instantiate({ types: [{ params: [], results: [T.i64] }], memoryPages: 1, imports: [], func: { type: 0, locals: [], body: i64(v) } });
      expect(f(), `${v}`).toBe(BigInt(v));
    }
  });

  it("a br_table dispatch into nested blocks, as regions dispatch on the pc", () => {
    // block $d { block $c { block $b { block $a { br_table $a $b $c default $d (p) } 10 } 20 } 30 } 99
    const body = [
      W.block, T.void, W.block, T.void, W.block, T.void, W.block, T.void,
      ...get(0), W.br_table, ...u(3), 0, 1, 2, 3,
      W.end, ...i32(10), W.return,
      W.end, ...i32(20), W.return,
      W.end, ...i32(30), W.return,
      W.end, ...i32(99),
    ];
    const dispatch = instantiate({ types: [{ params: [T.i32], results: [T.i32] }], memoryPages: 1, imports: [], func: { type: 0, locals: [], body } });
    expect([0, 1, 2, 3, 4, -1, 0x7fffffff].map((p) => dispatch(p))).toEqual([10, 20, 30, 99, 99, 99, 99]);
  });

  it("a body longer than 127 bytes (section and body sizes of two LEB128 bytes)", () => {
    // p + 1 + 2 + ... + 100, as 100 i32.const/i32.add pairs (over 300 bytes).
    const body = [...get(0)];
    for (let k = 1; k <= 100; k++) body.push(...i32(k), W.i32_add);
    expect(body.length).toBeGreaterThan(300);
    const f = instantiate({ types: [{ params: [T.i32], results: [T.i32] }], memoryPages: 1, imports: [], func: { type: 0, locals: [], body } });
    expect(f(7)).toBe(7 + 5050);
  });

  it("imported functions come first: the export is the defined function, which calls them by index", () => {
    // Imports: 0 "twice" (i32) -> i32, 1 "note" (externref, i32) -> (). The function (externref, i32)
    // -> i32 calls note(ref, p) and returns twice(p) + 1.
    const seen: unknown[] = [];
    const token = { name: "the hart" };
    const f = instantiate(
      {
        types: [
          { params: [T.externref, T.i32], results: [T.i32] },
          { params: [T.i32], results: [T.i32] },
          { params: [T.externref, T.i32], results: [] },
        ],
        memoryPages: 1,
        imports: [
          { name: "twice", type: 1 },
          { name: "note", type: 2 },
        ],
        func: { type: 0, locals: [], body: [...get(0), ...get(1), W.call, 1, ...get(1), W.call, 0, ...i32(1), W.i32_add] },
      },
      { twice: (p: number) => 2 * p, note: (ref: unknown, p: number) => seen.push(ref, p) },
    );
    expect(f(token, 5)).toBe(11);
    expect(seen).toEqual([token, 5]);
    expect(seen[0]).toBe(token);
  });

  it("imports the memory as m.mem, shared, memoryPages pages: loads and stores reach it", () => {
    // (addr: i32, v: i64) -> i64: stores v + 1 at addr + 8, returns the i64 at addr.
    const mem = oneSharedPage();
    const f = instantiate(
      {
        types: [{ params: [T.i32, T.i64], results: [T.i64] }],
        memoryPages: 1,
        imports: [],
        func: {
          type: 0,
          locals: [],
          body: [...get(0), ...get(1), ...i64(1), W.i64_add, W.i64_store, 0, ...u(8), ...get(0), W.i64_load, 0, 0],
        },
      },
      {},
      mem,
    );
    const view = new DataView(mem.buffer);
    view.setBigInt64(4000, -2n, true);
    expect(f(4000, 41n)).toBe(-2n);
    expect(view.getBigInt64(4008, true)).toBe(42n);
    // The last bytes of the one page are in bounds, the next would trap.
    expect(f(65536 - 16, 0n)).toBe(0n);
    expect(view.getBigInt64(65536 - 8, true)).toBe(1n);
    expect(() => f(65536 - 8, 0n)).toThrow(WebAssembly.RuntimeError);
  });

  it("the memory import must be shared and exactly memoryPages pages", () => {
    const bytes = moduleBytes({ types: [{ params: [], results: [] }], memoryPages: 1, imports: [], func: { type: 0, locals: [], body: [] } });
    const module = new WebAssembly.Module(bytes);
    const link = (mem: WebAssembly.Memory) => () => new WebAssembly.Instance(module, { m: { mem }, h: {} });
    expect(link(oneSharedPage())).not.toThrow();
    expect(link(new WebAssembly.Memory({ initial: 1, maximum: 1 }))).toThrow(WebAssembly.LinkError);
    expect(link(new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true }))).toThrow(WebAssembly.LinkError);
    // The declared maximum is memoryPages too: a memory that may grow past it does not fit.
    expect(link(new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }))).toThrow(WebAssembly.LinkError);
  });
});
