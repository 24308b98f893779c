// Helpers for the things engines do most: fail a syscall with an errno, hand a syscall other bytes
// than the guest's (in scratch memory the guest never sees), and read strings and C structs from
// guest memory without the exceptions that would detach an engine.
import type { Task } from "../kernel/task.js";
import type { Regs } from "../utrace/regs.js";
import { UTRACE_SYSCALL_ABORT } from "../utrace/constants.js";
import { GuestFault } from "../mem/address-space.js";
import { errnoNumber } from "./constants.js";

/**
 * At syscall entry: skip the call and make it fail with `errno` (a number or a name, "EACCES").
 * Returns UTRACE_SYSCALL_ABORT for the callback's result:
 *   `return deny(regs, E.EACCES) | UTRACE_RESUME;`
 */
export function deny(regs: Regs, errno: number | string): number {
  const n = typeof errno === "string" ? errnoNumber(errno) : errno;
  if (n === undefined || !Number.isInteger(n) || n <= 0 || n > 4095) throw new RangeError(`not an errno: ${errno}`);
  regs.returnValue = -BigInt(n);
  return UTRACE_SYSCALL_ABORT;
}

/**
 * At syscall entry: makes syscall argument `argIndex` point at a copy of `bytes` in scratch memory
 * for this call only. The guest's own buffer is untouched and the guest never sees the copy;
 * after the exit reports the scratch is unmapped and the argument register holds the guest's
 * pointer again. Set a length argument yourself when it changes (write's count: `regs.setArg(2,
 * BigInt(bytes.length))`). Returns the scratch address.
 */
export function replaceBuffer(task: Task, argIndex: number, bytes: Uint8Array | string): bigint {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return task.scratchArg(argIndex, data);
}

/**
 * A NUL-terminated string from guest memory (UTF-8, at most `max` bytes), or null for a NULL or
 * unreadable pointer: never throws, so a callback that reads a bad pointer is not detached.
 */
export function readString(task: Task, addr: bigint | number, max = 4096): string | null {
  if (BigInt(addr) === 0n) return null;
  try {
    return task.readCString(addr, max);
  } catch (e) {
    if (e instanceof GuestFault) return null;
    throw e;
  }
}

/** Field types of readStruct, with their C sizes on riscv64 (LP64): `ptr`, `long` and `u64` are 8 bytes. */
export type FieldType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64" | "ptr" | "long" | "ulong";
/** A struct's fields in declaration order. */
export type StructLayout = Readonly<Record<string, FieldType>>;
/** What readStruct returns: 64-bit fields as bigint, smaller ones as number. */
export type StructValue<L extends StructLayout> = {
  [K in keyof L]: L[K] extends "u64" | "i64" | "ptr" | "long" | "ulong" ? bigint : number;
};

const SIZES: Record<FieldType, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, ptr: 8, long: 8, ulong: 8 };

/** Each field's offset and the struct's size, by C's rules: natural alignment, padded to the largest. */
export function structLayout(layout: StructLayout): { offsets: Record<string, number>; size: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  let align = 1;
  for (const [name, type] of Object.entries(layout)) {
    const size = SIZES[type];
    if (size === undefined) throw new RangeError(`unknown field type ${type} of ${name}`);
    at = Math.ceil(at / size) * size;
    offsets[name] = at;
    at += size;
    align = Math.max(align, size);
  }
  return { offsets, size: Math.ceil(at / align) * align };
}

/**
 * A C struct from guest memory, fields laid out as the C compiler does on riscv64, or null for a
 * NULL or unreadable pointer (never throws GuestFault):
 *   `readStruct(task, regs.arg(1), { tv_sec: "i64", tv_nsec: "long" })` → `{ tv_sec: 1n, tv_nsec: 0n }`
 */
export function readStruct<L extends StructLayout>(task: Task, addr: bigint | number, layout: L): StructValue<L> | null {
  if (BigInt(addr) === 0n) return null;
  const { offsets, size } = structLayout(layout);
  let bytes: Uint8Array;
  try {
    bytes = task.readBytes(addr, size);
  } catch (e) {
    if (e instanceof GuestFault) return null;
    throw e;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, number | bigint> = {};
  for (const [name, type] of Object.entries(layout)) {
    const o = offsets[name];
    switch (type) {
      case "u8": out[name] = view.getUint8(o); break;
      case "i8": out[name] = view.getInt8(o); break;
      case "u16": out[name] = view.getUint16(o, true); break;
      case "i16": out[name] = view.getInt16(o, true); break;
      case "u32": out[name] = view.getUint32(o, true); break;
      case "i32": out[name] = view.getInt32(o, true); break;
      case "u64": case "ptr": case "ulong": out[name] = view.getBigUint64(o, true); break;
      case "i64": case "long": out[name] = view.getBigInt64(o, true); break;
    }
  }
  return out as StructValue<L>;
}
