// Decoders of memory syscalls (strace src/mem.c): mmap's flags (the MAP_TYPE value, the flag bits,
// the MAP_HUGE_* size as `21<<MAP_HUGE_SHIFT`), and mremap's new address, printed only when it is
// used.
import type { Decoded, DecoderTable, DecodeOptions, Entry } from "./types.js";
import {
  MAP_HUGE_MASK, MAP_HUGE_SHIFT, MAP_TYPE, MMAP_FLAGS, MMAP_PROT, MMAP_TYPES, MREMAP_FLAGS,
} from "../../../abi/xlat/mem.js";
import { fd, flags, hex, ptr, u32, u64, xval } from "./print.js";

/** mmap flags as strace's print_mmap_flags prints them. */
export function mmapFlags(v: bigint, o: DecodeOptions): string {
  if (o.constStyle === "raw") return hex(v);
  const abbrev: DecodeOptions = { ...o, constStyle: "abbrev" };
  let text = xval(v & MAP_TYPE, MMAP_TYPES, "MAP_???", abbrev);
  const hugeMask = MAP_HUGE_MASK << MAP_HUGE_SHIFT;
  const huge = (v & hugeMask) >> MAP_HUGE_SHIFT;
  const rest = v & ~MAP_TYPE & ~hugeMask;
  if (rest !== 0n) text += "|" + flags(rest, MMAP_FLAGS, undefined, abbrev);
  if (huge !== 0n) text += `|${huge}<<MAP_HUGE_SHIFT`;
  return o.constStyle === "verbose" ? `${hex(v)} /* ${text} */` : text;
}

function mmap(e: Entry): Decoded {
  const [addr, len, prot, fl, fdArg, off] = e.args;
  return {
    args: [ptr(addr), String(u64(len)), flags(u32(prot), MMAP_PROT, "PROT_???", e.o), mmapFlags(u32(fl), e.o), fd(fdArg, e.o), hex(off)],
    ret: (x) => hex(x.ret),
  };
}

const MREMAP_MAYMOVE = 1n;
const MREMAP_FIXED = 2n;

function mremap(e: Entry): Decoded {
  const [old, oldSize, newSize, fl, newAddr] = e.args;
  const f = u32(fl);
  const args = [ptr(old), String(u64(oldSize)), String(u64(newSize)), flags(f, MREMAP_FLAGS, "MREMAP_???", e.o)];
  if ((f & (MREMAP_MAYMOVE | MREMAP_FIXED)) === (MREMAP_MAYMOVE | MREMAP_FIXED)) args.push(ptr(newAddr));
  return { args, ret: (x) => hex(x.ret) };
}

/** Hand-written decoders of the memory family. */
export const MEM_DECODERS: DecoderTable = {
  mmap,
  mremap,
};
