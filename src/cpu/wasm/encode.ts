// The few pieces of the WebAssembly binary format the compiled tier needs: LEB128 numbers, the
// opcodes it emits (a table, as the format's own), and the assembly of a module with one function.
// Specification: WebAssembly Core Specification 2.0, chapter 5 (binary format).

/** Opcodes, by their names in the specification's text format. */
export const enum W {
  unreachable = 0x00,
  block = 0x02,
  loop = 0x03,
  if = 0x04,
  else = 0x05,
  end = 0x0b,
  br = 0x0c,
  br_if = 0x0d,
  br_table = 0x0e,
  return = 0x0f,
  call = 0x10,
  call_indirect = 0x11,
  drop = 0x1a,
  select = 0x1b,
  local_get = 0x20,
  local_set = 0x21,
  local_tee = 0x22,
  i32_load = 0x28,
  i64_load = 0x29,
  f64_load = 0x2b,
  i32_load8_u = 0x2d,
  i32_load16_u = 0x2f,
  i64_load8_s = 0x30,
  i64_load8_u = 0x31,
  i64_load16_s = 0x32,
  i64_load16_u = 0x33,
  i64_load32_s = 0x34,
  i64_load32_u = 0x35,
  i32_store = 0x36,
  i32_store16 = 0x3b,
  i64_store = 0x37,
  f64_store = 0x39,
  i64_store8 = 0x3c,
  i64_store16 = 0x3d,
  i64_store32 = 0x3e,
  i32_const = 0x41,
  i64_const = 0x42,
  f64_const = 0x44,
  i32_eqz = 0x45,
  i32_eq = 0x46,
  i32_ne = 0x47,
  i32_lt_s = 0x48,
  i32_lt_u = 0x49,
  i32_gt_s = 0x4a,
  i32_gt_u = 0x4b,
  i32_le_s = 0x4c,
  i32_ge_s = 0x4e,
  i32_ge_u = 0x4f,
  i64_eqz = 0x50,
  i64_eq = 0x51,
  i64_ne = 0x52,
  i64_lt_s = 0x53,
  i64_lt_u = 0x54,
  i64_gt_u = 0x56,
  i64_ge_s = 0x59,
  i64_ge_u = 0x5a,
  f64_eq = 0x61,
  f64_ne = 0x62,
  f64_lt = 0x63,
  f64_gt = 0x64,
  f64_le = 0x65,
  f64_ge = 0x66,
  i32_add = 0x6a,
  i32_sub = 0x6b,
  i32_mul = 0x6c,
  i32_div_s = 0x6d,
  i32_div_u = 0x6e,
  i32_rem_s = 0x6f,
  i32_rem_u = 0x70,
  i32_and = 0x71,
  i32_or = 0x72,
  i32_xor = 0x73,
  i32_shl = 0x74,
  i32_shr_s = 0x75,
  i32_shr_u = 0x76,
  i64_add = 0x7c,
  i64_sub = 0x7d,
  i64_mul = 0x7e,
  i64_div_s = 0x7f,
  i64_div_u = 0x80,
  i64_rem_s = 0x81,
  i64_rem_u = 0x82,
  i64_and = 0x83,
  i64_or = 0x84,
  i64_xor = 0x85,
  i64_shl = 0x86,
  i64_shr_s = 0x87,
  i64_shr_u = 0x88,
  f64_abs = 0x99,
  f64_neg = 0x9a,
  f64_add = 0xa0,
  f64_sub = 0xa1,
  f64_mul = 0xa2,
  f64_div = 0xa3,
  f64_min = 0xa4,
  f64_max = 0xa5,
  i32_wrap_i64 = 0xa7,
  i64_extend_i32_s = 0xac,
  i64_extend_i32_u = 0xad,
  f64_convert_i32_s = 0xb7,
  f64_convert_i32_u = 0xb8,
  f64_convert_i64_s = 0xb9,
  f64_convert_i64_u = 0xba,
  i64_reinterpret_f64 = 0xbd,
  f64_reinterpret_i64 = 0xbf,
}

/** Value types and the empty block type. */
export const enum T {
  i32 = 0x7f,
  i64 = 0x7e,
  f64 = 0x7c,
  externref = 0x6f,
  void = 0x40,
}

/** Appends n (a non-negative integer below 2^53) as unsigned LEB128. */
export function uleb(out: number[], n: number): void {
  for (;;) {
    const b = n % 128;
    n = Math.floor(n / 128);
    if (n === 0) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Appends n (an integer of magnitude below 2^53) as signed LEB128. */
export function sleb(out: number[], n: number): void {
  for (;;) {
    const b = ((n % 128) + 128) % 128;
    n = Math.floor(n / 128);
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Appends v as an f64.const immediate: its IEEE 754 bits, little-endian. */
export function f64(out: number[], v: number): void {
  const b = new Uint8Array(new Float64Array([v]).buffer);
  for (const x of b) out.push(x);
}

/** A function body being written: instructions with their immediates, as the format encodes them. */
export class CodeWriter {
  readonly out: number[] = [];

  /** Opcodes and raw immediate bytes (block types, small label depths and indexes). */
  op(...bytes: number[]): void {
    for (const b of bytes) this.out.push(b);
  }

  i32(v: number): void {
    this.out.push(W.i32_const);
    sleb(this.out, v | 0);
  }

  i64(v: number): void {
    this.out.push(W.i64_const);
    sleb(this.out, v);
  }

  f64(v: number): void {
    this.out.push(W.f64_const);
    f64(this.out, v);
  }

  get(local: number): void {
    this.out.push(W.local_get);
    uleb(this.out, local);
  }

  set(local: number): void {
    this.out.push(W.local_set);
    uleb(this.out, local);
  }

  tee(local: number): void {
    this.out.push(W.local_tee);
    uleb(this.out, local);
  }

  /** A load or store with a constant offset (alignment hint 0: any address may come). */
  access(opcode: W, offset: number): void {
    this.out.push(opcode, 0);
    uleb(this.out, offset);
  }

  br(depth: number): void {
    this.out.push(W.br);
    uleb(this.out, depth);
  }
}

function utf8(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  out.push(...bytes);
}

/** Appends a section: its id, its size, its contents. */
function section(out: number[], id: number, contents: number[]): void {
  out.push(id);
  uleb(out, contents.length);
  for (const b of contents) out.push(b);
}

/** A function type: parameter and result types. */
export interface FuncType {
  params: T[];
  results: T[];
}

export interface ModuleSpec {
  /** The function types; imports and the function refer to them by index. */
  types: FuncType[];
  /** The imported memory ("m" "mem"): shared, `pages` 64 KiB pages, fixed size. */
  memoryPages: number;
  /** Whether a function table is imported too ("t" "table", funcref): call_indirect's table 0. */
  table?: boolean;
  /** Imported functions, module "h": their names and type indexes. */
  imports: { name: string; type: number }[];
  /** The one function defined, exported as "r": its type, its locals beyond the parameters, its body. */
  func: { type: number; locals: T[]; body: number[] };
}

function typeSection(types: FuncType[]): number[] {
  const out: number[] = [];
  uleb(out, types.length);
  for (const t of types) {
    out.push(0x60);
    uleb(out, t.params.length);
    out.push(...t.params);
    uleb(out, t.results.length);
    out.push(...t.results);
  }
  return out;
}

/**
 * The bytes of a module that imports JavaScript functions (module "h", `names[k]` of type k) and
 * exports them again under the same names: the way to make them WebAssembly functions, which a
 * function table can hold.
 */
export function reexportBytes(types: FuncType[], names: string[]): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(out, 1, typeSection(types));
  const imports: number[] = [];
  uleb(imports, names.length);
  names.forEach((n, k) => {
    utf8(imports, "h");
    utf8(imports, n);
    imports.push(0x00);
    uleb(imports, k);
  });
  section(out, 2, imports);
  const exports: number[] = [];
  uleb(exports, names.length);
  names.forEach((n, k) => {
    utf8(exports, n);
    exports.push(0x00);
    uleb(exports, k);
  });
  section(out, 7, exports);
  return new Uint8Array(out);
}

/** The bytes of a module as the spec describes. */
export function moduleBytes(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

  section(out, 1, typeSection(spec.types));

  const imports: number[] = [];
  uleb(imports, spec.imports.length + 1 + (spec.table ? 1 : 0));
  utf8(imports, "m");
  utf8(imports, "mem");
  imports.push(0x02, 0x03); // a memory, limits with a maximum, shared
  uleb(imports, spec.memoryPages);
  uleb(imports, spec.memoryPages);
  if (spec.table) {
    utf8(imports, "t");
    utf8(imports, "table");
    imports.push(0x01, 0x70, 0x00, 0x00); // a table of funcref, limits: at least 0
  }
  for (const f of spec.imports) {
    utf8(imports, "h");
    utf8(imports, f.name);
    imports.push(0x00);
    uleb(imports, f.type);
  }
  section(out, 2, imports);

  const funcs: number[] = [1];
  uleb(funcs, spec.func.type);
  section(out, 3, funcs);

  const exports: number[] = [1];
  utf8(exports, "r");
  exports.push(0x00);
  uleb(exports, spec.imports.length); // the defined function comes after the imported ones
  section(out, 7, exports);

  const body: number[] = [];
  // Locals, as runs of one type.
  const runs: [number, T][] = [];
  for (const t of spec.func.locals) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  uleb(body, runs.length);
  for (const [count, t] of runs) {
    uleb(body, count);
    body.push(t);
  }
  for (const b of spec.func.body) body.push(b);
  body.push(W.end);
  const code: number[] = [1];
  uleb(code, body.length);
  for (const b of body) code.push(b);
  section(out, 10, code);

  return new Uint8Array(out);
}
