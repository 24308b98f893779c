// A minimal static riscv64 ELF64 executable: ELF header, two PT_LOADs (code R+X, data R+W) or one
// (R+W+X), no sections. Enough for both qemu-riscv64 and rvtrace's loader.

const PAGE = 0x1000;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const ET_EXEC = 2;
const EM_RISCV = 243;
const EF_RISCV_RVC = 0x1;
const EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

const roundUp = (v, a) => Math.ceil(v / a) * a;

/**
 * Builds the file. code and data are Uint8Arrays; codeAddr and dataAddr page-aligned; the entry
 * point is codeAddr. dataMemSize (≥ data.length) lets the data segment extend with zeros. Without
 * data there is only the code segment, writable too when writableCode is set.
 */
export function buildElf({ code, codeAddr, data, dataAddr, dataMemSize = data?.length ?? 0, writableCode = false }) {
  const segments = data ? 2 : 1;
  if (codeAddr % PAGE || (data && dataAddr % PAGE)) throw new Error("segment addresses must be page-aligned");
  if (data && codeAddr + code.length > dataAddr) throw new Error(`code (${code.length} bytes) runs into the data segment`);
  const codeOff = PAGE;
  const dataOff = roundUp(codeOff + code.length, PAGE);
  const file = new Uint8Array(data ? dataOff + data.length : codeOff + code.length);
  const v = new DataView(file.buffer);

  file.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* little-endian */, 1 /* EV_CURRENT */, 0 /* SYSV */]);
  v.setUint16(16, ET_EXEC, true);
  v.setUint16(18, EM_RISCV, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(codeAddr), true); // e_entry
  v.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  v.setBigUint64(40, 0n, true); // e_shoff
  v.setUint32(48, EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE, true);
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, segments, true); // e_phnum
  v.setUint16(58, 64, true); // e_shentsize
  v.setUint16(60, 0, true); // e_shnum
  v.setUint16(62, 0, true); // e_shstrndx

  const phdr = (i, flags, offset, addr, filesz, memsz) => {
    const o = EHDR_SIZE + i * PHDR_SIZE;
    v.setUint32(o, PT_LOAD, true);
    v.setUint32(o + 4, flags, true);
    v.setBigUint64(o + 8, BigInt(offset), true);
    v.setBigUint64(o + 16, BigInt(addr), true);
    v.setBigUint64(o + 24, BigInt(addr), true);
    v.setBigUint64(o + 32, BigInt(filesz), true);
    v.setBigUint64(o + 40, BigInt(memsz), true);
    v.setBigUint64(o + 48, BigInt(PAGE), true);
  };
  phdr(0, PF_R | PF_X | (writableCode ? PF_W : 0), codeOff, codeAddr, code.length, code.length);
  file.set(code, codeOff);
  if (data) {
    phdr(1, PF_R | PF_W, dataOff, dataAddr, data.length, Math.max(dataMemSize, data.length));
    file.set(data, dataOff);
  }
  return file;
}
