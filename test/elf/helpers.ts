// Shared helpers for the ELF loader tests: fixtures and byte patching.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StackInfo } from "../../src/elf/index.js";

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
}

/** Little-endian field writers on a copy-friendly view. */
export function patch(bytes: Uint8Array): {
  u8(at: number, v: number): void;
  u16(at: number, v: number): void;
  u32(at: number, v: number): void;
  u64(at: number, v: bigint | number): void;
  readU64(at: number): bigint;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    u8: (at, v) => view.setUint8(at, v),
    u16: (at, v) => view.setUint16(at, v, true),
    u32: (at, v) => view.setUint32(at, v, true),
    u64: (at, v) => view.setBigUint64(at, BigInt(v), true),
    readU64: (at) => view.getBigUint64(at, true),
  };
}

/** ELF-64 header field offsets. */
export const EH = {
  class: 4,
  data: 5,
  identVersion: 6,
  type: 16,
  machine: 18,
  version: 20,
  entry: 24,
  phoff: 32,
  shoff: 40,
  flags: 48,
  phentsize: 54,
  phnum: 56,
  shnum: 60,
  shstrndx: 62,
} as const;

/** Offset of field `field` of program header `i` (the table starts at e_phoff = 64 in the fixtures). */
export function ph(i: number, field: "type" | "flags" | "offset" | "vaddr" | "paddr" | "filesz" | "memsz" | "align"): number {
  const fieldOffset = { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 }[field];
  return 64 + i * 56 + fieldOffset;
}

export function stackInfo(overrides: Partial<StackInfo> = {}): StackInfo {
  return {
    argv: ["prog", "first arg", "ü"],
    envp: ["HOME=/home/user", "LANG=C.UTF-8"],
    execfn: "/usr/bin/prog",
    random: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i),
    uid: 1000,
    euid: 1000,
    gid: 100,
    egid: 100,
    hwcap: 0x112dn,
    clktck: 100,
    minsigstksz: 2048,
    pageSize: 4096,
    ...overrides,
  };
}
