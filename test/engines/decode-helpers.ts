// A fake guest memory and a driver for the strace decoder tests: lay out strings and structures at
// known addresses, make a call, and compare the printed line with what strace prints.
import {
  beginCall, finishCall, unfinishedCall, DEFAULT_DECODE_OPTIONS, type DecodeOptions, type GuestMemory,
} from "../../src/engines/strace/decode.js";
import { SYSCALL_NUMBERS, type SyscallName } from "../../src/abi/gen/syscall-numbers.js";

/** Guest memory made of byte regions; anything outside them is unreadable. */
export class FakeMemory implements GuestMemory {
  private readonly regions: { addr: bigint; bytes: Uint8Array }[] = [];
  private next = 0x10000n;

  /** Places bytes at `addr`. */
  put(addr: bigint, bytes: Uint8Array): bigint {
    this.regions.push({ addr, bytes });
    return addr;
  }

  /** Places bytes at the next free address (page-aligned regions, so tests read like traces). */
  alloc(bytes: Uint8Array | string): bigint {
    const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    const at = this.next;
    this.next += (BigInt(b.length) + 0xfffn) & ~0xfffn;
    if (b.length === 0) this.next += 0x1000n;
    return this.put(at, b);
  }

  /** A NUL-terminated string. */
  str(s: string): bigint {
    const b = new TextEncoder().encode(s);
    const z = new Uint8Array(b.length + 1);
    z.set(b);
    return this.alloc(z);
  }

  /** Bytes built with little-endian fields: [size, value] pairs (size 1, 2, 4 or 8). */
  struct(fields: readonly (readonly [number, number | bigint])[]): bigint {
    return this.alloc(pack(fields));
  }

  /** Overwrites bytes inside a region (what the kernel writes during the call). */
  write(addr: bigint, bytes: Uint8Array): void {
    for (const r of this.regions) {
      if (addr >= r.addr && addr + BigInt(bytes.length) <= r.addr + BigInt(r.bytes.length)) {
        r.bytes.set(bytes, Number(addr - r.addr));
        return;
      }
    }
    throw new Error(`write outside the fake memory at 0x${addr.toString(16)}`);
  }

  read(addr: bigint, len: number): Uint8Array | null {
    for (const r of this.regions) {
      if (addr >= r.addr && addr + BigInt(len) <= r.addr + BigInt(r.bytes.length)) {
        const off = Number(addr - r.addr);
        return r.bytes.slice(off, off + len);
      }
    }
    return null;
  }
}

/** Packs little-endian fields. */
export function pack(fields: readonly (readonly [number, number | bigint])[]): Uint8Array {
  const size = fields.reduce((n, [s]) => n + s, 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  let off = 0;
  for (const [s, v] of fields) {
    const big = BigInt.asUintN(64, BigInt(v));
    if (s === 1) dv.setUint8(off, Number(big & 0xffn));
    else if (s === 2) dv.setUint16(off, Number(big & 0xffffn), true);
    else if (s === 4) dv.setUint32(off, Number(big & 0xffffffffn), true);
    else dv.setBigUint64(off, big, true);
    off += s;
  }
  return b;
}

export const opts = (o: Partial<DecodeOptions> = {}): DecodeOptions => ({ ...DEFAULT_DECODE_OPTIONS, ...o });

/** Arguments as the registers hold them; negative numbers are sign-extended like C ints. */
export type RegArg = number | bigint;

function regs(args: readonly RegArg[]): bigint[] {
  return args.map((a) => BigInt.asUintN(64, BigInt(a)));
}

export interface TraceOptions {
  o?: Partial<DecodeOptions>;
  /** Runs between entry and exit: what the kernel writes into guest memory. */
  during?: () => void;
  note?: string;
  sp?: bigint;
}

/** The line strace prints for the call `name(args)` returning `ret`. */
export function trace(mem: FakeMemory, name: SyscallName | number, args: readonly RegArg[], ret: RegArg, t: TraceOptions = {}): string {
  const nr = typeof name === "number" ? name : SYSCALL_NUMBERS[name];
  const call = { nr, args: regs(args), mem, sp: t.sp };
  const o = opts(t.o);
  const p = beginCall(call, o);
  t.during?.();
  const line = finishCall(p, call, BigInt(ret), o, t.note);
  const prefix = unfinishedCall(p);
  if (!line.startsWith(prefix)) throw new Error(`unfinished ${JSON.stringify(prefix)} is not a prefix of ${JSON.stringify(line)}`);
  return line;
}

/** The entry text strace prints before ` <unfinished ...>` or `) = ?`. */
export function entryOnly(mem: FakeMemory, name: SyscallName | number, args: readonly RegArg[], o: Partial<DecodeOptions> = {}): string {
  const nr = typeof name === "number" ? name : SYSCALL_NUMBERS[name];
  return unfinishedCall(beginCall({ nr, args: regs(args), mem }, opts(o)));
}

export const AT_FDCWD = -100;
export const E = { ENOENT: -2, EBADF: -9, EFAULT: -14, EINVAL: -22, ENOTTY: -25, ENOSYS: -38, EAGAIN: -11 } as const;

/** struct stat of riscv64 (asm-generic/stat.h, 128 bytes). */
export function statBytes(s: {
  dev?: bigint; ino?: bigint; mode: number; nlink?: number; uid?: number; gid?: number; rdev?: bigint; size?: bigint;
  blksize?: number; blocks?: bigint; atime?: [bigint, bigint]; mtime?: [bigint, bigint]; ctime?: [bigint, bigint];
}): Uint8Array {
  const t = (x: [bigint, bigint] | undefined): [number, bigint][] => [[8, x?.[0] ?? 0n], [8, x?.[1] ?? 0n]];
  return pack([
    [8, s.dev ?? 0n], [8, s.ino ?? 0n], [4, s.mode], [4, s.nlink ?? 1], [4, s.uid ?? 0], [4, s.gid ?? 0],
    [8, s.rdev ?? 0n], [8, 0], [8, s.size ?? 0n], [4, s.blksize ?? 4096], [4, 0], [8, s.blocks ?? 0n],
    ...t(s.atime), ...t(s.mtime), ...t(s.ctime), [4, 0], [4, 0],
  ]);
}
