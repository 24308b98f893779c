// The interpreter's slow memory paths: accesses that cross a page, touch a page without the
// needed permission, hold decoded code, or use an address at or above 2^32. They either complete
// the access (misaligned accesses work, as Linux emulates them) or record a fault in the hart and
// return false. Results come back through `loaded` to keep the hot loop allocation-free.
import type { Hart } from "./hart.js";
import { SEGV_ACCERR, SEGV_MAPERR } from "./hart.js";
import { AddressSpace, PAGE_CODE, PAGE_MAPPED, PAGE_SHIFT, PAGE_SIZE, PROT_READ, PROT_WRITE, lacksOnlyDeferredWrite } from "../mem/address-space.js";

/** The value of the last slow load: low and high 32-bit words (high is 0 below 8 bytes). */
export const loaded = { lo: 0, hi: 0 };

const LIMIT = 4294967296;

/** The effective address base + imm as a Number when it is below 2^32, else -1 (fault recorded). */
function effectiveAddress(h: Hart, lo: number, hi: number, imm: number): number {
  const a = hi * LIMIT + (lo >>> 0) + imm;
  if (hi === 0 && a >= 0 && a < LIMIT) return a;
  const exact = BigInt.asUintN(64, (BigInt(hi) << 32n) + BigInt(lo >>> 0) + BigInt(imm));
  if (exact < BigInt(LIMIT)) return Number(exact);
  h.trapAddress = exact;
  h.trapValue = Number(exact);
  h.trapCode = SEGV_MAPERR;
  return -1;
}

/**
 * Checks that every page of [addr, addr+size) has `prot`; records a fault and returns false if not.
 * The fault address is the first byte the access may not touch: for an access that starts in a
 * permitted page and runs into a forbidden one, the forbidden page's first byte (as qemu-riscv64
 * reports si_addr, and as the hardware reports the faulting part of a misaligned access).
 */
function checkPages(h: Hart, mem: AddressSpace, addr: number, size: number, prot: number): boolean {
  // Not `>>>` for the last page: an access ending at or above 2^32 would wrap to page 0.
  const lastPage = Math.floor((addr + size - 1) / PAGE_SIZE);
  for (let p = addr >>> PAGE_SHIFT; p <= lastPage; p++) {
    // Pages at and above 2^32 are never mapped (the first may be, for an access straddling 2^32).
    const bits = p * PAGE_SIZE < LIMIT ? mem.perms[p] : 0;
    // The first write to a page under a memory limit: charged here (false: the budget is spent,
    // mem.outOfMemory is set and the store faults; the kernel then kills the process).
    if ((bits & prot) !== prot && !(lacksOnlyDeferredWrite(bits, prot) && mem.touchPage(p))) {
      const at = Math.max(addr, p * PAGE_SIZE);
      h.trapAddress = BigInt(at);
      h.trapValue = at;
      h.trapCode = bits & PAGE_MAPPED ? SEGV_ACCERR : SEGV_MAPERR;
      return false;
    }
  }
  return true;
}

/** Loads `size` bytes at base(lo,hi)+imm into `loaded`. Returns false on a fault. */
export function loadSlow(h: Hart, mem: AddressSpace, lo: number, hi: number, imm: number, size: number): boolean {
  const addr = effectiveAddress(h, lo, hi, imm);
  if (addr < 0 || !checkPages(h, mem, addr, size, PROT_READ)) return false;
  const b = mem.bytes;
  let vlo = 0;
  let vhi = 0;
  for (let k = 0; k < size; k++) {
    if (k < 4) vlo |= b[addr + k] << (8 * k);
    else vhi |= b[addr + k] << (8 * (k - 4));
  }
  loaded.lo = vlo;
  loaded.hi = vhi;
  return true;
}

/** Stores the low `size` bytes of (vlo, vhi) at base(lo,hi)+imm. Returns false on a fault. */
export function storeSlow(
  h: Hart, mem: AddressSpace, lo: number, hi: number, imm: number, size: number, vlo: number, vhi: number,
): boolean {
  const addr = effectiveAddress(h, lo, hi, imm);
  if (addr < 0 || !checkPages(h, mem, addr, size, PROT_WRITE)) return false;
  for (let p = addr >>> PAGE_SHIFT; p <= (addr + size - 1) >>> PAGE_SHIFT; p++) {
    if (mem.perms[p] & PAGE_CODE) {
      mem.invalidateCode(addr, addr + size);
      break;
    }
  }
  const b = mem.bytes;
  for (let k = 0; k < size; k++) b[addr + k] = k < 4 ? vlo >>> (8 * k) : vhi >>> (8 * (k - 4));
  return true;
}

/**
 * Resolves the address of an atomic access: it must be naturally aligned (else SIGBUS, as Linux
 * does not emulate misaligned atomics), readable and writable. Returns the address, -1 on a
 * memory fault, or -2 when misaligned (trapAddress holds the address).
 */
export function atomicAddress(h: Hart, mem: AddressSpace, lo: number, hi: number, size: number, write: boolean): number {
  const addr = effectiveAddress(h, lo, hi, 0);
  if (addr < 0) return -1;
  if (addr % size !== 0) {
    h.trapAddress = BigInt(addr);
    h.trapValue = addr;
    return -2;
  }
  if (!checkPages(h, mem, addr, size, write ? PROT_READ | PROT_WRITE : PROT_READ)) return -1;
  if (write && mem.perms[addr >>> PAGE_SHIFT] & PAGE_CODE) mem.invalidateCode(addr, addr + size);
  return addr;
}
