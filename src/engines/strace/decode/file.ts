// Decoders of file-name syscalls whose printing the ArgSpec rows cannot express (strace src/open.c,
// access.c, statx.c, mknod.c, memfd_create.c): openat's mode printed only with O_CREAT or O_TMPFILE,
// the access mode part of open flags, F_OK, statx's two-part flags, mknodat's device number.
import type { Decoded, DecoderTable, DecodeOptions, Entry } from "./types.js";
import {
  ACCESS_MODES, AT_FLAGS, AT_STATX_SYNC_TYPE, AT_STATX_SYNC_TYPES, FACCESSAT_FLAGS, MEMFD_FLAGS,
  OPEN_ACCESS_MODES, OPEN_MODE_FLAGS, RESOLVE_FLAGS, STATX_MASKS,
} from "../../../abi/xlat/fs.js";
import { O, S } from "../../../abi/fs.js";
import { dirfd, flags, hex, matchFlags, mode, u32, xval } from "./print.js";
import { printCStrBounded, printPath } from "./strings.js";
import { dev, fields, statx as statxStruct, struct, symbolicMode } from "./structs.js";
import { fdRet, out } from "./deferred.js";

/** open(2) flags as strace prints them: the access mode by name, then the other bits. */
export function openFlags(v: bigint, o: DecodeOptions): string {
  const accmode = v & 3n;
  const rest = v & ~3n;
  if (o.constStyle === "raw") return hex(v);
  let text = xval(accmode, OPEN_ACCESS_MODES, undefined, { ...o, constStyle: "abbrev" });
  if (rest !== 0n) {
    const { names, rest: unknown } = matchFlags(rest, OPEN_MODE_FLAGS);
    for (const n of names) text += "|" + n;
    if (unknown !== 0n) text += "|" + hex(unknown);
  }
  return o.constStyle === "verbose" ? `${hex(v)} /* ${text} */` : text;
}

const CREAT_OR_TMPFILE = BigInt(O.CREAT | O.TMPFILE_BIT);

/** struct open_how (openat2): flags, mode when it matters, resolve. */
export const openHow = struct(24, (v, o) => {
  const fl = v.u64(0);
  const m = v.u64(8);
  const parts = [`flags=${openFlags(fl, o)}`];
  if (fl & CREAT_OR_TMPFILE || m !== 0n) parts.push(`mode=${mode(m)}`);
  parts.push(`resolve=${flags(v.u64(16), RESOLVE_FLAGS, "RESOLVE_???", o)}`);
  return fields(parts);
});

function openat(e: Entry): Decoded {
  const [d, p, f, m] = e.args;
  const fl = u32(f);
  const args = [dirfd(d, e.o), printPath(e.mem, p, e.o), openFlags(fl, e.o)];
  if (fl & CREAT_OR_TMPFILE) args.push(mode(u32(m)));
  return { args, ret: fdRet };
}

function openat2(e: Entry): Decoded {
  const [d, p, how, size] = e.args;
  return { args: [dirfd(d, e.o), printPath(e.mem, p, e.o), openHow(e.mem, how, e.o), String(size)], ret: fdRet };
}

/** An access(2) mode: F_OK for zero. */
export function accessMode(v: bigint, o: DecodeOptions): string {
  if (v === 0n && o.constStyle === "abbrev") return "F_OK";
  if (v === 0n && o.constStyle === "verbose") return "0 /* F_OK */";
  return flags(v, ACCESS_MODES, "?_OK", o);
}

function faccessat(e: Entry): Decoded {
  const [d, p, m, f] = e.args;
  const args = [dirfd(d, e.o), printPath(e.mem, p, e.o), accessMode(u32(m), e.o)];
  if (e.name === "faccessat2") args.push(flags(u32(f), FACCESSAT_FLAGS, "AT_???", e.o));
  return { args };
}

/** statx flags: the AT_STATX_SYNC_TYPE part, then the other at-flags. */
export function statxFlags(v: bigint, o: DecodeOptions): string {
  const sync = v & BigInt(AT_STATX_SYNC_TYPE);
  const rest = v & ~BigInt(AT_STATX_SYNC_TYPE);
  const head = flags(sync, AT_STATX_SYNC_TYPES, undefined, o) || "0";
  return rest === 0n ? head : head + "|" + flags(rest, AT_FLAGS, undefined, o);
}

function statx(e: Entry): Decoded {
  const [d, p, f, m, buf] = e.args;
  return {
    args: [
      dirfd(d, e.o), printPath(e.mem, p, e.o), statxFlags(u32(f), e.o), flags(u32(m), STATX_MASKS, "STATX_???", e.o),
      out(buf, (x) => statxStruct(x.mem, buf, x.o)),
    ],
  };
}

function mknodat(e: Entry): Decoded {
  const [d, p, m, dv] = e.args;
  const mm = u32(m);
  const args = [dirfd(d, e.o), printPath(e.mem, p, e.o), symbolicMode(mm, e.o)];
  const fmt = mm & BigInt(S.IFMT);
  if (fmt === BigInt(S.IFCHR) || fmt === BigInt(S.IFBLK)) args.push(dev(dv, e.o));
  return { args };
}

const MFD_HUGE_SHIFT = 26n;
const MFD_HUGE_MASK = 0x3fn;

/** memfd_create flags with the MFD_HUGE_* size as `21<<MFD_HUGE_SHIFT`. */
export function memfdFlags(v: bigint, o: DecodeOptions): string {
  if (o.constStyle === "raw") return hex(v);
  const huge = (v >> MFD_HUGE_SHIFT) & MFD_HUGE_MASK;
  const rest = v & ~(MFD_HUGE_MASK << MFD_HUGE_SHIFT);
  let text = rest !== 0n || huge === 0n ? flags(rest, MEMFD_FLAGS, "MFD_???", { ...o, constStyle: "abbrev" }) : "";
  if (huge !== 0n) text += (text === "" ? "" : "|") + `${huge}<<MFD_HUGE_SHIFT`;
  return o.constStyle === "verbose" && v !== 0n ? `${hex(v)} /* ${text} */` : text;
}

function memfdCreate(e: Entry): Decoded {
  const [name, f] = e.args;
  return { args: [printCStrBounded(e.mem, name, 250, e.o), memfdFlags(u32(f), e.o)], ret: fdRet };
}

/** Hand-written decoders of the file family. */
export const FILE_DECODERS: DecoderTable = {
  openat,
  openat2,
  faccessat,
  faccessat2: faccessat,
  statx,
  mknodat,
  memfd_create: memfdCreate,
};
