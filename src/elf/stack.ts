// The initial process stack, laid out as Linux's execve leaves it for a riscv64 program
// (fs/exec.c copies the strings, fs/binfmt_elf.c create_elf_tables() writes the rest).
//
// From the top (LAYOUT.stackTop) down:
//   8 zero bytes                       (the end marker exec.c starts below)
//   execfn string                      (AT_EXECFN points here)
//   envp strings, argv strings         (argv[0]'s string lowest; each NUL-terminated)
//   padding to 16 bytes                (arch_align_stack without randomisation)
//   16 random bytes                    (AT_RANDOM points here)
//   padding                            (so that sp ends 16-byte aligned)
//   auxv: (type, value) pairs of u64, ending with AT_NULL
//   envp[0..envc-1], NULL
//   argv[0..argc-1], NULL
//   argc                               <- sp, 16-byte aligned (RISC-V psABI)
// The stack mapping is [stackTop - stackSize, stackTop), RW (+X when the program asks for an
// executable stack), named "[stack]"; the page below it is left unmapped as the guard page.

import {
  type AddressSpace,
  LAYOUT,
  PAGE_SIZE,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
} from "../mem/address-space.js";
import { AT } from "./auxv.js";
import { ElfError } from "./errors.js";
import type { LoadedImage } from "./image.js";

/** What the new process is told, besides the image itself. */
export interface StackInfo {
  /** Arguments (strings are encoded as UTF-8; byte arrays are passed as they are). */
  readonly argv: readonly (string | Uint8Array)[];
  readonly envp: readonly (string | Uint8Array)[];
  /** The path execve was given (AT_EXECFN). */
  readonly execfn: string | Uint8Array;
  /** 16 bytes for AT_RANDOM. */
  readonly random: Uint8Array;
  readonly uid: number;
  readonly euid: number;
  readonly gid: number;
  readonly egid: number;
  readonly hwcap: bigint;
  readonly clktck: number;
  /** AT_MINSIGSTKSZ; 0 means unknown (Linux then writes AT_IGNORE in its place). */
  readonly minsigstksz: number;
  /** AT_PAGESZ. */
  readonly pageSize: number;
  /** AT_SECURE; default: the real and effective ids differ (a set-id program). */
  readonly secure?: boolean;
  /** AT_BASE: where the program's interpreter (dynamic loader) was loaded; 0 or absent for none. */
  readonly interpBase?: number;
}

/** Linux's MAX_ARG_STRLEN: longest single argument or environment string, NUL included. */
export const MAX_ARG_STRLEN = 32 * 4096;
/** Linux's ARG_MAX floor for the argument area. */
const ARG_MIN_LIMIT = 32 * 4096;

const encoder = new TextEncoder();

function encode(s: string | Uint8Array): Uint8Array {
  const bytes = typeof s === "string" ? encoder.encode(s) : s;
  if (bytes.includes(0)) throw new ElfError("argument or environment string contains a NUL byte", "EINVAL");
  if (bytes.length + 1 > MAX_ARG_STRLEN) throw new ElfError("argument or environment string too long", "E2BIG");
  return bytes;
}

/** The auxv entries in the order create_elf_tables() writes them (AT_NULL not included). */
function auxvEntries(loaded: LoadedImage, info: StackInfo, randomAddr: number, execfnAddr: number): [number, bigint][] {
  const secure = info.secure ?? (info.uid !== info.euid || info.gid !== info.egid);
  const u = (n: number): bigint => BigInt.asUintN(64, BigInt(n));
  return [
    // ARCH_DLINFO (riscv): AT_SYSINFO_EHDR and the cache entries are left out (no vDSO, no cache
    // information); AT_MINSIGSTKSZ, or AT_IGNORE when unknown.
    info.minsigstksz ? [AT.AT_MINSIGSTKSZ, u(info.minsigstksz)] : [AT.AT_IGNORE, 0n],
    [AT.AT_HWCAP, BigInt.asUintN(64, info.hwcap)],
    [AT.AT_PAGESZ, u(info.pageSize)],
    [AT.AT_CLKTCK, u(info.clktck)],
    [AT.AT_PHDR, u(loaded.phdrAddr)],
    [AT.AT_PHENT, u(loaded.phent)],
    [AT.AT_PHNUM, u(loaded.phnum)],
    [AT.AT_BASE, u(info.interpBase ?? 0)],
    [AT.AT_FLAGS, 0n],
    [AT.AT_ENTRY, u(loaded.entry)],
    [AT.AT_UID, u(info.uid >>> 0)],
    [AT.AT_EUID, u(info.euid >>> 0)],
    [AT.AT_GID, u(info.gid >>> 0)],
    [AT.AT_EGID, u(info.egid >>> 0)],
    [AT.AT_SECURE, secure ? 1n : 0n],
    [AT.AT_RANDOM, u(randomAddr)],
    [AT.AT_EXECFN, u(execfnAddr)],
  ];
}

/**
 * Maps the stack and writes the strings, AT_RANDOM bytes, auxv, envp, argv and argc on it.
 * Returns the initial sp (16-byte aligned, pointing at argc). Throws ElfError (code E2BIG) when
 * the strings do not fit Linux's limit of a quarter of the stack size.
 */
export function buildInitialStack(as: AddressSpace, loaded: LoadedImage, info: StackInfo): number {
  if (info.random.length !== 16) throw new RangeError("AT_RANDOM needs exactly 16 bytes");
  const argv = info.argv.map(encode);
  const envp = info.envp.map(encode);
  const execfn = encode(info.execfn);

  // bprm_stack_limits(): strings and pointers must fit in a quarter of the stack rlimit.
  const limit = Math.max(LAYOUT.stackSize / 4, ARG_MIN_LIMIT);
  const pointerBytes = (Math.max(argv.length, 1) + envp.length) * 8;
  const stringBytes = [...argv, ...envp, execfn].reduce((n, s) => n + s.length + 1, 0);
  if (pointerBytes + stringBytes > limit) throw new ElfError("argument list too long", "E2BIG");

  const top = LAYOUT.stackTop;
  const bottom = top - LAYOUT.stackSize;
  if (as.isAnyMapped(bottom - PAGE_SIZE, LAYOUT.stackSize + PAGE_SIZE)) {
    throw new ElfError("the stack area is already in use", "EINVAL");
  }

  // Strings, top down: execfn, then envp and argv, each list's last string highest.
  let p = top - 8;
  p -= execfn.length + 1;
  const execfnAddr = p;
  const place = (list: Uint8Array[]): number[] => {
    const addrs = new Array<number>(list.length);
    for (let i = list.length - 1; i >= 0; i--) {
      p -= list[i].length + 1;
      addrs[i] = p;
    }
    return addrs;
  };
  const envpAddrs = place(envp);
  const argvAddrs = place(argv);

  p -= p % 16;
  p -= 16;
  const randomAddr = p;

  const auxv = auxvEntries(loaded, info, randomAddr, execfnAddr);
  p -= (auxv.length + 1) * 16;
  const items = argv.length + 1 + (envp.length + 1) + 1;
  const sp = p - items * 8 - ((p - items * 8) % 16);

  // Everything from sp to the top, assembled here and written in one go.
  const image = new Uint8Array(top - sp);
  const view = new DataView(image.buffer);
  const put = (addr: number, value: bigint): void => view.setBigUint64(addr - sp, value, true);
  const putBytes = (addr: number, bytes: Uint8Array): void => image.set(bytes, addr - sp);

  putBytes(execfnAddr, execfn);
  envp.forEach((s, i) => putBytes(envpAddrs[i], s));
  argv.forEach((s, i) => putBytes(argvAddrs[i], s));
  putBytes(randomAddr, info.random);

  let q = sp;
  put(q, BigInt(argv.length));
  q += 8;
  for (const a of argvAddrs) {
    put(q, BigInt(a));
    q += 8;
  }
  q += 8; // argv's NULL
  for (const a of envpAddrs) {
    put(q, BigInt(a));
    q += 8;
  }
  q += 8; // envp's NULL
  for (const [type, value] of auxv) {
    put(q, BigInt(type));
    put(q + 8, value);
    q += 16;
  }
  // AT_NULL: already zero.

  // Linux's stack grows down (VM_GROWSDOWN): mprotect(PROT_GROWSDOWN) reaches its bottom.
  as.map(bottom, LAYOUT.stackSize, PROT_READ | PROT_WRITE | (loaded.execStack ? PROT_EXEC : 0), "[stack]", { growsDown: true });
  as.poke(sp, image);
  return sp;
}

/** The initial stack read back: what the program sees at its entry point. */
export interface InitialStack {
  readonly argc: number;
  readonly argv: string[];
  readonly envp: string[];
  /** (type, value) pairs in stack order, AT_NULL excluded. */
  readonly auxv: { type: number; value: bigint }[];
}

/**
 * Decodes an initial stack at `sp` (as buildInitialStack lays it out), e.g. to keep the auxv for
 * /proc/PID/auxv. Throws GuestFault if a pointer leads outside readable memory.
 */
export function readInitialStack(as: AddressSpace, sp: number): InitialStack {
  const argc = Number(as.readU64(sp));
  let q = sp + 8;
  const argv: string[] = [];
  for (let i = 0; i < argc; i++, q += 8) argv.push(as.readCString(Number(as.readU64(q)), MAX_ARG_STRLEN));
  q += 8;
  const envp: string[] = [];
  for (let a = as.readU64(q); a !== 0n; q += 8, a = as.readU64(q)) envp.push(as.readCString(Number(a), MAX_ARG_STRLEN));
  q += 8;
  const auxv: { type: number; value: bigint }[] = [];
  for (let t = as.readU64(q); t !== 0n; q += 16, t = as.readU64(q)) auxv.push({ type: Number(t), value: as.readU64(q + 8) });
  return { argc, argv, envp, auxv };
}
