// Instruction sequences that put a known 64-bit constant in a register, for the directed units
// (directed.mjs): the operands are then exactly the edge values chosen, whatever ran before, and
// the constants themselves exercise lui/addiw/slli/addi chains with extreme immediates.

/**
 * Instructions setting integer register rd (not x0, not sp) to `value` (a BigInt, taken modulo
 * 2^64): addi for 12 bits, lui + addiw for 32 bits, else the constant without its low 12 bits
 * (shifted down past its trailing zeros) built the same way, then slli and addi. At most 8.
 */
export function liInsns(rd, value) {
  const v = BigInt.asIntN(64, BigInt(value));
  if (v >= -2048n && v <= 2047n) return [{ name: "addi", rd, rs1: 0, imm: Number(v) }];
  const lo = BigInt.asIntN(12, v);
  if (v >= -(1n << 31n) && v < 1n << 31n) {
    // lui gives bits 31..12 sign-extended; addiw adds the low part and sign-extends again, which
    // also covers 0x7ffff800..0x7fffffff (lui 0x80000 then a negative addiw).
    const out = [{ name: "lui", rd, imm: Number(BigInt.asUintN(20, (v - lo) >> 12n)) }];
    if (lo !== 0n) out.push({ name: "addiw", rd, rs1: rd, imm: Number(lo) });
    return out;
  }
  let rest = (v - lo) >> 12n;
  let shift = 12;
  while ((rest & 1n) === 0n) {
    rest >>= 1n;
    shift++;
  }
  const out = [...liInsns(rd, rest), { name: "slli", rd, rs1: rd, imm: shift }];
  if (lo !== 0n) out.push({ name: "addi", rd, rs1: rd, imm: Number(lo) });
  return out;
}

/** What liInsns' sequence leaves in the register (for checking it): an unsigned 64-bit BigInt. */
export function evalLi(insns) {
  let r = 0n;
  for (const rec of insns) {
    switch (rec.name) {
      case "addi": r = BigInt.asIntN(64, (rec.rs1 === 0 ? 0n : r) + BigInt(rec.imm)); break;
      case "lui": r = BigInt.asIntN(32, BigInt(rec.imm) << 12n); break;
      case "addiw": r = BigInt.asIntN(32, r + BigInt(rec.imm)); break;
      case "slli": r = BigInt.asIntN(64, r << BigInt(rec.imm)); break;
      default: throw new Error(`evalLi: unexpected ${rec.name}`);
    }
  }
  return BigInt.asUintN(64, r);
}
