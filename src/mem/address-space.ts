// The guest address space: one 4 GiB WebAssembly.Memory (every guest mapping lies below 2^32, so a
// guest address is a plain number offset), a permission byte per 4 KiB page, and the list of
// mappings (VMAs) that mmap, munmap, mprotect, mremap and brk edit.
//
// The interpreter reads `perms`, `bytes`, `i32`, … directly on its fast paths; everything else
// (the kernel, engines) uses the checked accessors below, which throw GuestFault on a bad pointer
// so a syscall handler can turn it into -EFAULT.
//
// Under a memory limit (memory-budget.ts) a page costs nothing until it is first written: it is
// mapped PAGE_UNCHARGED (it holds zeros) and, if writable, with PROT_WRITE held back
// (PAGE_WRITE_DEFERRED), so the first store to it leaves the fast paths and charges it here
// (touchPage); a store that finds the budget spent sets `outOfMemory` and faults, and the kernel
// kills the process. Without a limit neither bit is ever set and nothing of this runs.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Size of the guest address space: 4 GiB. */
export const ADDRESS_LIMIT = 2 ** 32;
/**
 * Linux's TASK_SIZE for riscv64 with Sv48 page tables: the end of the user address space the guest
 * believes it has. The memory syscalls check addresses against it as Linux does; nothing between
 * ADDRESS_LIMIT and TASK_SIZE is ever mapped (a request for it is ENOMEM).
 */
export const TASK_SIZE = 2 ** 47;
const PAGE_COUNT = ADDRESS_LIMIT / PAGE_SIZE;

/**
 * The top 2 MiB of the memory are rvtrace's own, never the guest's: compiled guest code
 * (src/cpu/wasm) reaches only this one memory, so the tables it reads live in it. Their pages have
 * permission 0 for ever, so the guest faults on them as on any unmapped page, and the memory
 * syscalls treat them as lying beyond the end of guest memory (a request for them is ENOMEM).
 */
export const GUEST_LIMIT = ADDRESS_LIMIT - 2 * 1024 * 1024;
/** The permission table (one byte per page, see below) sits in the memory's last MiB. */
export const PERMS_BASE = ADDRESS_LIMIT - PAGE_COUNT;
/** Register files of the harts running in this address space, one slot each, from GUEST_LIMIT up. */
export const REGISTER_SLOT_SIZE = 544;
export const REGISTER_SLOT_COUNT = 1024;
/**
 * After the slots: the compiled tier's index of region entries (src/cpu/wasm/dispatch.ts), a hash
 * table of (pc, function table index) pairs that WebAssembly code looks up to chain regions.
 */
export const REGION_INDEX_BASE = GUEST_LIMIT + REGISTER_SLOT_SIZE * REGISTER_SLOT_COUNT;
export const REGION_INDEX_ENTRIES = 32768;

/** Whoever holds a register slot: told to move out when the address space is released. */
export interface RegisterSlotOwner {
  evictRegisters(): void;
}

/** Page permission bits, as in mmap's PROT_* plus rvtrace's own. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
const PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
/** The page holds decoded instructions: a write to it must invalidate them. */
export const PAGE_CODE = 8;
/** The page is mapped (possibly with PROT_NONE). */
export const PAGE_MAPPED = 16;
/** Under a memory limit: the page has never been written (it reads as zeros) and is not charged. */
export const PAGE_UNCHARGED = 32;
/** Under a memory limit: the mapping allows writes, but PROT_WRITE waits for the first write. */
export const PAGE_WRITE_DEFERRED = 64;

/** Where the emulator places things (it chooses every address). */
export const LAYOUT = {
  /** Load address of position-independent (static-PIE) executables. */
  pieBase: 0x4000_0000,
  /** Highest address of the initial stack (exclusive). */
  stackTop: 0xc000_0000,
  /** Maximum stack size (RLIMIT_STACK's default), mapped at start; a guard page lies below. */
  stackSize: 8 * 1024 * 1024,
  /** mmap allocates top-down from here (below the stack and its guard gap). */
  mmapTop: 0xbf00_0000,
  /** Lowest address mmap hands out without MAP_FIXED. */
  mmapBottom: 0x1000_0000,
  /** Lowest address a guest may map at all (vm.mmap_min_addr, the kernel's default 4096): never the NULL page. */
  minAddr: 0x1000,
} as const;

/** A bad guest pointer met by a checked accessor. Syscall handlers turn it into -EFAULT. */
export class GuestFault extends Error {
  /** EFAULT, as the syscall would report it. */
  readonly errno = 14;
  readonly code = "EFAULT";
  constructor(readonly address: number) {
    super(`bad guest address 0x${address.toString(16)}`);
  }
}

/** One mapping (VMA). `name` is what /proc/PID/maps would show. */
export interface Mapping {
  start: number;
  end: number;
  prot: number;
  name: string;
  /**
   * The protections mprotect may grant (Linux's VM_MAY* bits), when fewer than all: a MAP_SHARED
   * mapping of a descriptor not open for writing can never be made writable.
   */
  maxProt?: number;
  /** A mapping that grows down (Linux's VM_GROWSDOWN: MAP_GROWSDOWN), for mprotect's PROT_GROWSDOWN. */
  growsDown?: boolean;
  /**
   * A MAP_SHARED mapping (VM_SHARED): its pages belong to a file or shared memory, not to this process.
   * The number names the object shared (one per mmap call): as on Linux, where each shared anonymous
   * mapping is a file of its own, mappings of different objects never join into one.
   */
  shared?: number;
  /** A mapping of a file made by mmap (the advice madvise accepts depends on it). */
  file?: boolean;
  /** The VM flags madvise sets (ADVICE bits), when any: they split mappings, and two decide fork's copy. */
  advice?: number;
}

/** The VM flags madvise sets, as bits of Mapping.advice. */
export const ADVICE = {
  /** MADV_RANDOM (VM_RAND_READ). */
  RANDOM: 1,
  /** MADV_SEQUENTIAL (VM_SEQ_READ). */
  SEQUENTIAL: 2,
  /** MADV_DONTFORK (VM_DONTCOPY): a child made by fork does not get the mapping. */
  DONTFORK: 4,
  /** MADV_WIPEONFORK (VM_WIPEONFORK): a child made by fork gets the mapping empty (zero). */
  WIPEONFORK: 8,
  /** MADV_DONTDUMP (VM_DONTDUMP). */
  DONTDUMP: 16,
  /** MADV_HUGEPAGE (VM_HUGEPAGE). */
  HUGEPAGE: 32,
  /** MADV_NOHUGEPAGE (VM_NOHUGEPAGE). */
  NOHUGEPAGE: 64,
  /** MADV_MERGEABLE (VM_MERGEABLE). */
  MERGEABLE: 128,
} as const;

/** What a mapping carries besides its range, protections and name. */
export type MappingTraits = Pick<Mapping, "maxProt" | "growsDown" | "shared" | "file" | "advice">;

/** The traits of m that are set (so a mapping without any compares equal to a plain one). */
function traitsOf(m: MappingTraits | undefined): MappingTraits {
  const t: MappingTraits = {};
  if (m?.maxProt !== undefined && (m.maxProt & PROT_RWX) !== PROT_RWX) t.maxProt = m.maxProt & PROT_RWX;
  if (m?.growsDown) t.growsDown = true;
  if (m?.shared) t.shared = m.shared;
  if (m?.file) t.file = true;
  if (m?.advice) t.advice = m.advice;
  return t;
}

/** Where a shared segment lies in this address space. */
interface SegmentRange {
  start: number;
  end: number;
  segment: SharedSegment;
}

export type CodeInvalidator = (firstPage: number, lastPage: number) => void;

/**
 * Host work done by address-space operations, in instruction-equivalents, which the kernel charges
 * to --max-insns (kernel/host-work.ts): loops over pages and over the list of mappings cost the host
 * per item, however few guest instructions asked for them (an mprotect of 4 GiB, a list of 100,000
 * mappings made by alternating protections). Counted for every address space of the Node process.
 */
export const addressSpaceWork = { units: 0 };

export const ADDRESS_SPACE_WORK_PRICES = {
  /** A loop iteration over the permission table (1–3 ns). */
  page: 1,
  /** A mapping visited, copied or sorted when the list of mappings changes (about 50 ns). */
  mapping: 16,
  /** A page of data zeroed at munmap or madvise (4 KiB written, about 0.2 µs). */
  zeroedPage: 64,
  /** The host's own page fault when a page is first written (0.5–1 µs); seen only under a memory limit. */
  firstWrite: 256,
} as const;
const WORK_PER_PAGE = ADDRESS_SPACE_WORK_PRICES.page;
const WORK_PER_MAPPING = ADDRESS_SPACE_WORK_PRICES.mapping;
const WORK_PER_ZEROED_PAGE = ADDRESS_SPACE_WORK_PRICES.zeroedPage;
const WORK_PER_FIRST_WRITE = ADDRESS_SPACE_WORK_PRICES.firstWrite;

/** True when a page's permission byte lacks `prot` only because its first write has not come yet. */
export function lacksOnlyDeferredWrite(bits: number, prot: number): boolean {
  return (bits & PAGE_WRITE_DEFERRED) !== 0 && ((bits | PROT_WRITE) & prot) === prot;
}

/** Rounds a length or address up to a whole number of pages. */
export function pageRoundUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

import { SharedSegment } from "./shared-segments.js";
import type { MemoryBudget } from "./memory-budget.js";

const utf8 = new TextDecoder();

/**
 * Backing memories given back by ended processes, for the next address space: a shell that forks a
 * child per command reuses a few instead of reserving 4 GiB each time. Each comes with its
 * permission table (all zeros) and the ranges that may still hold the old owner's data: those are
 * zeroed when the memory is taken, not when it is given back, so that the last process of a run
 * (whose memory nobody takes) ends without scanning its mappings.
 */
const memoryPool: { memory: WebAssembly.Memory; dirty: { start: number; end: number }[] }[] = [];
const MEMORY_POOL_SIZE = 4;
/** The permission table of a released address space: nothing is mapped, so every access faults. */
const NOTHING_MAPPED = new Uint8Array(PAGE_COUNT);

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly view: DataView;
  /** One byte per page: PROT_* | PAGE_CODE | PAGE_MAPPED. */
  perms: Uint8Array;
  /** Sorted, non-overlapping mappings. */
  private mappings: Mapping[] = [];
  /** Called when pages holding decoded code are written, unmapped or re-protected. */
  onCodeInvalidate: CodeInvalidator | null = null;

  /**
   * Pages mapped for rvtrace's own use (engines' scratch memory, src/kernel/scratch.ts): read and
   * written by syscalls like any page, but in no mapping, so /proc/PID/maps, mmap's search and
   * fork never see them.
   */
  private hidden: { start: number; end: number }[] = [];

  /** MAP_SHARED ranges (shared-segments.ts); empty for most programs. */
  private segments: SegmentRange[] = [];
  /** Set by release(): the memory belongs to someone else now. */
  private released = false;

  /** The owner of each register slot (undefined: free), and the free slots' numbers. */
  private readonly slotOwners: (RegisterSlotOwner | undefined)[] = [];
  private readonly freeSlots: number[] = [];

  /**
   * While set, every write through the accessors below (not the interpreter's own stores) appends
   * its range here as [addr, len] pairs: the kernel sets it around one syscall's handler when an
   * engine wants to know what the call wrote into guest memory (record and replay,
   * src/utrace/syscall-writes.ts). Null the rest of the time, which costs one test per write.
   */
  writeLog: number[] | null = null;

  /** Program break bookkeeping: brk may move between brkStart and brkStart + brkLimit. */
  brkStart = 0;
  brk = 0;

  /** Pages of this address space charged to the budget. */
  charged = 0;
  /** Set when a write found the budget spent; the kernel kills the process and clears it. */
  outOfMemory = false;

  /** @param budget the run's memory limit, or null for none */
  constructor(readonly budget: MemoryBudget | null = null) {
    // Shared, though no other thread sees it: V8 counts an unshared memory's 4 GiB as memory
    // pressure and answers with a full garbage collection (17 ms of a hello-world's start-up);
    // shared memory is not counted. Guest code runs as fast on either (tools/bench.mjs).
    const reused = memoryPool.pop();
    this.memory = reused?.memory ?? new WebAssembly.Memory({ initial: ADDRESS_LIMIT / 65536, maximum: ADDRESS_LIMIT / 65536, shared: true });
    const buf = this.memory.buffer;
    this.perms = new Uint8Array(buf, PERMS_BASE, PAGE_COUNT);
    this.bytes = new Uint8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.view = new DataView(buf);
    for (const r of reused?.dirty ?? []) zeroBytes(this, r.start, r.end);
  }

  // ---- register slots ----

  /**
   * A register slot for `owner` (a hart that runs here): its address, or −1 when every slot is
   * taken. The slot's contents are whatever its last owner left; the new owner writes them all.
   */
  claimRegisterSlot(owner: RegisterSlotOwner): number {
    if (this.released) return -1;
    let n = this.freeSlots.pop();
    if (n === undefined) {
      if (this.slotOwners.length === REGISTER_SLOT_COUNT) return -1;
      n = this.slotOwners.length;
    }
    this.slotOwners[n] = owner;
    return GUEST_LIMIT + n * REGISTER_SLOT_SIZE;
  }

  /** Gives back the slot at `addr` (from claimRegisterSlot). */
  freeRegisterSlot(addr: number): void {
    const n = (addr - GUEST_LIMIT) / REGISTER_SLOT_SIZE;
    if (this.slotOwners[n] === undefined) return;
    this.slotOwners[n] = undefined;
    this.freeSlots.push(n);
  }

  // ---- mappings ----

  /** The current mappings, lowest first (a copy). */
  listMappings(): Mapping[] {
    addressSpaceWork.units += this.mappings.length * WORK_PER_MAPPING;
    return this.mappings.map((m) => ({ ...m }));
  }

  /** How many mappings there are (Linux limits them to vm.max_map_count). */
  mappingCount(): number {
    return this.mappings.length;
  }

  /** The mapping containing addr, if any. */
  findMapping(addr: number): Mapping | undefined {
    addressSpaceWork.units += this.mappings.length;
    return this.mappings.find((m) => addr >= m.start && addr < m.end);
  }

  /** True when any page of [start, start+len) is mapped. */
  isAnyMapped(start: number, len: number): boolean {
    const end = start + len;
    addressSpaceWork.units += this.mappings.length;
    return this.mappings.some((m) => m.start < end && m.end > start);
  }

  /**
   * Maps [start, start+len) with prot, replacing whatever was there (MAP_FIXED semantics); the new
   * pages read as zero. start must be page aligned; len is rounded up to pages.
   */
  map(start: number, len: number, prot: number, name: string, traits?: MappingTraits): void {
    const end = start + pageRoundUp(len);
    if (start < 0 || start % PAGE_SIZE !== 0 || end > GUEST_LIMIT || end <= start) {
      throw new RangeError(`map: bad range 0x${start.toString(16)}+0x${len.toString(16)}`);
    }
    // Unmapped memory is always zero (fresh, or zeroed by unmap), so there is nothing to clear.
    this.unmap(start, end - start);
    this.setPerms(start, end, this.freshPageBits(prot));
    this.mappings.push({ start, end, prot: prot & PROT_RWX, name, ...traitsOf(traits) });
    addressSpaceWork.units += this.mappings.length * WORK_PER_MAPPING;
    this.mappings.sort((a, b) => a.start - b.start);
    this.mergeAdjacent();
  }

  /** Unmaps [start, start+len); pages not mapped are ignored. Contents are zeroed. */
  unmap(start: number, len: number): void {
    const end = Math.min(start + pageRoundUp(len), GUEST_LIMIT);
    if (end <= start) return;
    if (this.segments.length > 0) this.leaveSegments(start, end);
    addressSpaceWork.units += this.mappings.length * WORK_PER_MAPPING;
    const kept: Mapping[] = [];
    for (const m of this.mappings) {
      if (m.end <= start || m.start >= end) {
        kept.push(m);
        continue;
      }
      if (m.start < start) kept.push({ ...m, end: start });
      if (m.end > end) kept.push({ ...m, start: end });
      const a = Math.max(m.start, start);
      const b = Math.min(m.end, end);
      this.invalidateCode(a, b);
      this.zeroRange(a, b);
      if (this.budget) this.uncharge(a, b);
      this.setPerms(a, b, 0);
    }
    this.mappings = kept.sort((a, b) => a.start - b.start);
  }

  /** Changes protections of [start, start+len). Returns false if any page there is unmapped. */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageRoundUp(len);
    if (!this.isFullyMapped(start, end)) return false;
    addressSpaceWork.units += this.mappings.length * WORK_PER_MAPPING;
    this.reshape(start, end, (piece) => {
      piece.prot = prot & PROT_RWX;
    });
    this.invalidateCode(start, end);
    if (!this.budget) this.setPerms(start, end, pagePerms(prot));
    else {
      // Pages not yet written stay uncharged, their PROT_WRITE (if any) still held back.
      for (let p = start >>> PAGE_SHIFT; p < Math.ceil(end / PAGE_SIZE); p++) {
        this.perms[p] = this.perms[p] & PAGE_UNCHARGED ? this.freshPageBits(prot) : pagePerms(prot);
      }
    }
    this.mergeAdjacent();
    return true;
  }

  /** Maps [start, start+len) read-write as hidden pages (see `hidden`); the range must be free. */
  mapHidden(start: number, len: number): void {
    if (this.released) throw new GuestFault(start);
    const end = start + pageRoundUp(len);
    if (start < 0 || start % PAGE_SIZE !== 0 || end > GUEST_LIMIT || end <= start) {
      throw new RangeError(`mapHidden: bad range 0x${start.toString(16)}+0x${len.toString(16)}`);
    }
    this.setPerms(start, end, PROT_READ | PROT_WRITE | PAGE_MAPPED);
    this.hidden.push({ start, end });
  }

  /** Zeroes and unmaps hidden pages mapped by mapHidden. */
  unmapHidden(start: number, len: number): void {
    // A released space zeroed its hidden pages already, and its memory may be another's by now.
    if (this.released) return;
    const end = start + pageRoundUp(len);
    zeroBytes(this, start, end);
    this.setPerms(start, end, 0);
    this.hidden = this.hidden.filter((h) => h.end <= start || h.start >= end);
  }

  /**
   * The end of the run of mapped pages that begins at `start`, at most `end`: `start` itself when
   * its page is not mapped. The memory syscalls act on such a run and fail with ENOMEM at the hole.
   */
  mappedUntil(start: number, end: number): number {
    const last = Math.ceil(end / PAGE_SIZE);
    let p = start >>> PAGE_SHIFT;
    while (p < last && this.perms[p] & PAGE_MAPPED) p++;
    return Math.min(Math.max(p * PAGE_SIZE, start), end);
  }

  /** Copies of the mappings that overlap [start, end), lowest first. */
  mappingsIn(start: number, end: number): Mapping[] {
    return this.mappings.filter((m) => m.start < end && m.end > start).map((m) => ({ ...m }));
  }

  /**
   * Sets the `set` advice bits and clears the `clear` ones on the mapped parts of [start, end) (page
   * aligned), splitting mappings at its ends as madvise does; pages and protections stay.
   */
  advise(start: number, end: number, set: number, clear: number): void {
    this.reshape(start, end, (piece) => {
      const advice = ((piece.advice ?? 0) | set) & ~clear;
      if (advice) piece.advice = advice;
      else delete piece.advice;
    });
    this.mergeAdjacent();
  }

  /**
   * Splits the mappings that straddle `start` or `end` there, and lets `change` edit each piece
   * inside [start, end) (a copy: the parts outside keep the mapping as it was). Order is kept.
   */
  private reshape(start: number, end: number, change: (piece: Mapping) => void): void {
    const out: Mapping[] = [];
    for (const m of this.mappings) {
      if (m.end <= start || m.start >= end) {
        out.push(m);
        continue;
      }
      if (m.start < start) out.push({ ...m, end: start });
      const piece: Mapping = { ...m, start: Math.max(m.start, start), end: Math.min(m.end, end) };
      change(piece);
      out.push(piece);
      if (m.end > end) out.push({ ...m, start: end });
    }
    this.mappings = out;
  }

  /** True when every page of [start, end) belongs to some mapping. */
  isFullyMapped(start: number, end: number): boolean {
    const first = start >>> PAGE_SHIFT;
    const last = Math.ceil(end / PAGE_SIZE);
    for (let p = first; p < last; p++) {
      if ((this.perms[p] & PAGE_MAPPED) === 0) {
        addressSpaceWork.units += (p - first + 1) * WORK_PER_PAGE;
        return false;
      }
    }
    addressSpaceWork.units += (last - first) * WORK_PER_PAGE;
    return true;
  }

  /**
   * Finds a free, page-aligned range of len bytes, top-down from LAYOUT.mmapTop (as Linux's
   * default mmap layout does), or returns -1.
   */
  findFree(len: number, below: number = LAYOUT.mmapTop): number {
    const size = pageRoundUp(len);
    addressSpaceWork.units += this.mappings.length;
    let top = below;
    for (let i = this.mappings.length - 1; i >= -1; i--) {
      const m = i >= 0 ? this.mappings[i] : undefined;
      if (m && m.start >= top) continue;
      const floor = m ? m.end : LAYOUT.mmapBottom;
      if (top - size >= floor && top - size >= LAYOUT.mmapBottom) return top - size;
      if (m) top = Math.min(top, m.start);
      if (top < LAYOUT.mmapBottom) break;
    }
    return -1;
  }

  /** Zeroes [start, start+len) of mapped pages (madvise MADV_DONTNEED on private anonymous memory). */
  zero(start: number, len: number): void {
    const end = start + pageRoundUp(len);
    this.invalidateCode(start, end);
    this.zeroRange(start, end);
  }

  /**
   * Zeroes the mapped range [start, end). Under a limit only the charged pages are written: the
   * others hold zeros already, and writing zeros to them would make the host provide them.
   */
  private zeroRange(start: number, end: number): void {
    if (!this.budget) {
      addressSpaceWork.units += ((end - start) / PAGE_SIZE) * WORK_PER_ZEROED_PAGE;
      zeroBytes(this, start, end);
      return;
    }
    addressSpaceWork.units += ((end - start) / PAGE_SIZE) * WORK_PER_PAGE;
    const last = Math.ceil(end / PAGE_SIZE);
    let run = -1;
    for (let p = start >>> PAGE_SHIFT; p <= last; p++) {
      const charged = p < last && (this.perms[p] & PAGE_UNCHARGED) === 0;
      if (charged && run < 0) run = p;
      if (!charged && run >= 0) {
        addressSpaceWork.units += (p - run) * WORK_PER_ZEROED_PAGE;
        zeroBytes(this, Math.max(start, run * PAGE_SIZE), Math.min(end, p * PAGE_SIZE));
        run = -1;
      }
    }
  }

  /**
   * Moves the bytes and permissions of a mapping range (used by mremap when it must move); the two
   * ranges must not overlap. Only chunks holding data are copied: a large mapping the guest never
   * touched costs a scan, not host memory.
   */
  move(oldStart: number, oldLen: number, newStart: number, newLen: number): void {
    const m = this.findMapping(oldStart);
    const prot = m ? m.prot : PROT_READ | PROT_WRITE;
    const name = m ? m.name : "";
    const keep = pageRoundUp(Math.min(oldLen, newLen));
    if (!this.budget) {
      this.map(newStart, newLen, prot, name, m);
      forEachDataChunk(this.memory.buffer, oldStart, oldStart + keep, (a, b) => this.bytes.copyWithin(newStart + (a - oldStart), a, b));
      this.unmap(oldStart, oldLen);
      return;
    }
    // Under a limit only the written pages move (the others hold zeros), and they stay charged:
    // the move holds no more than the limit allowed, and copies no more than that.
    const written = new Map<number, Uint8Array>();
    for (let off = 0; off < keep; off += PAGE_SIZE) {
      const at = oldStart + off;
      if ((this.perms[at >>> PAGE_SHIFT] & PAGE_UNCHARGED) === 0) written.set(off, this.bytes.slice(at, Math.min(at + PAGE_SIZE, oldStart + keep)));
    }
    this.unmap(oldStart, oldLen);
    this.map(newStart, newLen, prot, name, m);
    for (const [off, page] of written) {
      this.chargePage((newStart + off) >>> PAGE_SHIFT);
      this.bytes.set(page, newStart + off);
    }
  }

  private mergeAdjacent(): void {
    const out: Mapping[] = [];
    for (const m of this.mappings) {
      const last = out[out.length - 1];
      if (last && last.end === m.start && last.prot === m.prot && last.name === m.name && sameTraits(last, m)) last.end = m.end;
      else out.push(m);
    }
    this.mappings = out;
  }

  /** The permission byte of a page just mapped with `prot`: under a limit, uncharged until written. */
  private freshPageBits(prot: number): number {
    if (!this.budget) return pagePerms(prot);
    return (pagePerms(prot) & ~PROT_WRITE) | PAGE_UNCHARGED | (prot & PROT_WRITE ? PAGE_WRITE_DEFERRED : 0);
  }

  // ---- the memory budget (only with one) ----

  /**
   * The first write to an uncharged page: charges it if the budget allows, giving the page its
   * PROT_WRITE back. Otherwise sets `outOfMemory` and returns false (the write must fault).
   */
  touchPage(page: number): boolean {
    if (!this.budget || (this.perms[page] & PAGE_UNCHARGED) === 0) return true;
    if (!this.budget.tryTake(PAGE_SIZE)) {
      this.outOfMemory = true;
      return false;
    }
    addressSpaceWork.units += WORK_PER_FIRST_WRITE;
    this.markCharged(page);
    return true;
  }

  /** Charges a page whatever the budget (data the kernel puts there: it must exist). */
  private chargePage(page: number): void {
    if (!this.budget || (this.perms[page] & PAGE_UNCHARGED) === 0) return;
    this.budget.take(PAGE_SIZE);
    this.markCharged(page);
  }

  private markCharged(page: number): void {
    const bits = this.perms[page];
    this.perms[page] = (bits & ~(PAGE_UNCHARGED | PAGE_WRITE_DEFERRED)) | (bits & PAGE_WRITE_DEFERRED ? PROT_WRITE : 0);
    this.charged++;
  }

  /** Gives back the charged pages of [start, end) (they are being unmapped). */
  private uncharge(start: number, end: number): void {
    addressSpaceWork.units += ((end - start) / PAGE_SIZE) * WORK_PER_PAGE;
    let n = 0;
    for (let p = start >>> PAGE_SHIFT; p < Math.ceil(end / PAGE_SIZE); p++) {
      if ((this.perms[p] & (PAGE_MAPPED | PAGE_UNCHARGED)) === PAGE_MAPPED) n++;
    }
    this.charged -= n;
    this.budget!.give(n * PAGE_SIZE);
  }

  /** Charges every page of [start, end) (a shared mapping: each member holds a copy of it all). */
  private chargeRange(start: number, end: number): void {
    for (let p = start >>> PAGE_SHIFT; p < Math.ceil(end / PAGE_SIZE); p++) this.chargePage(p);
  }

  /**
   * Whether a new mapping of `len` bytes may be made (mmap, brk, mremap's growth): under a limit, one
   * that may hold data (writable, or filled now) must fit in what is left, as Linux's heuristic
   * overcommit refuses a single allocation larger than the memory there is.
   */
  mayMap(len: number, prot: number, filled: boolean): boolean {
    if (!this.budget || (!(prot & PROT_WRITE) && !filled)) return true;
    return len <= this.budget.available;
  }

  private setPerms(start: number, end: number, value: number): void {
    this.perms.fill(value, start >>> PAGE_SHIFT, Math.ceil(end / PAGE_SIZE));
  }

  /** Drops decoded code for the pages of [start, end). */
  invalidateCode(start: number, end: number): void {
    const first = start >>> PAGE_SHIFT;
    const last = Math.ceil(end / PAGE_SIZE) - 1;
    addressSpaceWork.units += (last - first + 1) * WORK_PER_PAGE;
    let any = false;
    for (let p = first; p <= last; p++) {
      if (this.perms[p] & PAGE_CODE) {
        this.perms[p] &= ~PAGE_CODE;
        any = true;
      }
    }
    if (any && this.onCodeInvalidate) this.onCodeInvalidate(first, last);
  }

  // ---- checked access for the kernel and engines ----

  /** Throws GuestFault unless every byte of [addr, addr+len) is mapped with `prot`. */
  check(addr: number, len: number, prot: number): void {
    if (!Number.isInteger(addr) || addr < 0 || addr + len > ADDRESS_LIMIT) throw new GuestFault(addr);
    if (len === 0) return;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) {
      const bits = this.perms[p];
      if ((bits & prot) === prot) continue;
      // A first write by the kernel charges the page as a guest store would.
      if (lacksOnlyDeferredWrite(bits, prot) && this.touchPage(p)) continue;
      throw new GuestFault(Math.max(addr, p * PAGE_SIZE));
    }
  }

  /** A copy of guest bytes [addr, addr+len). */
  read(addr: number, len: number): Uint8Array {
    this.check(addr, len, PROT_READ);
    return this.bytes.slice(addr, addr + len);
  }

  /** A view (no copy) of readable guest bytes; valid until the guest next runs. */
  viewOf(addr: number, len: number): Uint8Array {
    this.check(addr, len, PROT_READ);
    return this.bytes.subarray(addr, addr + len);
  }

  /** Writes bytes into writable guest memory. */
  write(addr: number, data: Uint8Array): void {
    this.check(addr, data.length, PROT_WRITE);
    this.noteWrite(addr, data.length);
    this.bytes.set(data, addr);
  }

  /** A writable view (no copy); the caller must have data to put there right away. */
  writableViewOf(addr: number, len: number): Uint8Array {
    this.check(addr, len, PROT_WRITE);
    this.noteWrite(addr, len);
    return this.bytes.subarray(addr, addr + len);
  }

  /** Writes ignoring protections (the loader, building the initial stack). */
  poke(addr: number, data: Uint8Array): void {
    if (!this.isFullyMapped(addr, addr + data.length)) throw new GuestFault(addr);
    if (this.budget && data.length > 0) this.chargeRange(addr, addr + data.length);
    this.noteWrite(addr, data.length);
    this.bytes.set(data, addr);
  }

  private noteWrite(addr: number, len: number): void {
    if (len === 0) return;
    if (this.writeLog !== null) this.writeLog.push(addr, len);
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      if (this.perms[p] & PAGE_CODE) {
        this.invalidateCode(addr, addr + len);
        return;
      }
    }
  }

  readU8(addr: number): number {
    this.check(addr, 1, PROT_READ);
    return this.bytes[addr];
  }
  readU16(addr: number): number {
    this.check(addr, 2, PROT_READ);
    return this.view.getUint16(addr, true);
  }
  readU32(addr: number): number {
    this.check(addr, 4, PROT_READ);
    return this.view.getUint32(addr, true);
  }
  readI32(addr: number): number {
    this.check(addr, 4, PROT_READ);
    return this.view.getInt32(addr, true);
  }
  readU64(addr: number): bigint {
    this.check(addr, 8, PROT_READ);
    return this.view.getBigUint64(addr, true);
  }
  readI64(addr: number): bigint {
    this.check(addr, 8, PROT_READ);
    return this.view.getBigInt64(addr, true);
  }
  writeU8(addr: number, v: number): void {
    this.check(addr, 1, PROT_WRITE);
    this.noteWrite(addr, 1);
    this.bytes[addr] = v;
  }
  writeU16(addr: number, v: number): void {
    this.check(addr, 2, PROT_WRITE);
    this.noteWrite(addr, 2);
    this.view.setUint16(addr, v, true);
  }
  writeU32(addr: number, v: number): void {
    this.check(addr, 4, PROT_WRITE);
    this.noteWrite(addr, 4);
    this.view.setUint32(addr, v >>> 0, true);
  }
  writeU64(addr: number, v: bigint): void {
    this.check(addr, 8, PROT_WRITE);
    this.noteWrite(addr, 8);
    this.view.setBigUint64(addr, BigInt.asUintN(64, v), true);
  }

  /**
   * Reads a NUL-terminated string of at most `max` bytes (not counting the NUL). Returns the raw
   * bytes; throws GuestFault if it runs into unreadable memory first, and RangeError if no NUL
   * comes within `max` bytes.
   */
  readCStringBytes(addr: number, max: number): Uint8Array {
    let end = addr;
    for (;;) {
      if (end - addr > max) throw new RangeError("string too long");
      if (end >= ADDRESS_LIMIT || (this.perms[end >>> PAGE_SHIFT] & PROT_READ) === 0) throw new GuestFault(end);
      const pageEnd = Math.min(((end >>> PAGE_SHIFT) + 1) * PAGE_SIZE, addr + max + 1);
      const nul = this.bytes.subarray(end, pageEnd).indexOf(0);
      if (nul >= 0) return this.bytes.slice(addr, end + nul);
      end = pageEnd;
    }
  }

  /** Reads a NUL-terminated string and decodes it as UTF-8 (for paths and names). */
  readCString(addr: number, max = 4096): string {
    return utf8.decode(this.readCStringBytes(addr, max));
  }

  // ---- shared segments ----

  /** Makes [start, end) (mapped already) a MAP_SHARED segment that fork will share, not copy. */
  addSharedSegment(start: number, end: number): SharedSegment {
    if (this.budget) this.chargeRange(start, end);
    const segment = new SharedSegment(end - start);
    segment.members.set(this, start);
    segment.owner = this;
    this.segments.push({ start, end, segment });
    return segment;
  }

  /**
   * Makes [start, end) (mapped already, as long as the segment) a member of an existing segment
   * (another process's mapping of the same part of an in-memory file): it takes the newest bytes
   * now, as the address space that is running.
   */
  joinSharedSegment(start: number, end: number, segment: SharedSegment): void {
    if (this.budget) this.chargeRange(start, end);
    segment.members.set(this, start);
    this.segments.push({ start, end, segment });
    segment.takeOver(this);
  }

  /**
   * The newest bytes of [start, end): this memory's own, or, inside a shared segment whose newest
   * copy is another member's (this address space has not run since), that copy's. Read-only.
   */
  newestBytes(start: number, end: number): Uint8Array {
    for (const r of this.segments) {
      if (start < r.start || end > r.end) continue;
      const seg = r.segment;
      if (seg.owner === this) break;
      const off = start - r.start;
      if (seg.owner) {
        const at = seg.members.get(seg.owner)!;
        return seg.owner.bytes.subarray(at + off, at + off + (end - start));
      }
      if (seg.snapshot) return seg.snapshot.subarray(off, off + (end - start));
      break;
    }
    return this.bytes.subarray(start, end);
  }

  /** Before this address space runs: its shared segments take the newest bytes. */
  syncShared(): void {
    for (const r of this.segments) r.segment.takeOver(this);
  }

  /** The segment and offset an address lies in, if shared (futexes between processes key on it). */
  sharedKey(addr: number): { key: object; offset: number } | null {
    for (const r of this.segments) if (addr >= r.start && addr < r.end) return { key: r.segment, offset: addr - r.start };
    return null;
  }

  /** Leaves every segment overlapping [start, end): a segment cut in part stops being shared here. */
  private leaveSegments(start: number, end: number): void {
    this.segments = this.segments.filter((r) => {
      if (r.end <= start || r.start >= end) return true;
      r.segment.leave(this);
      return false;
    });
  }

  /**
   * Gives the backing memory back for another address space to use (a process that ended, an old
   * image after execve): its pages are zeroed and every page of this object becomes unmapped, so a
   * stale reference (an engine still holding a reaped task) faults instead of seeing another
   * process's memory. Reusing a memory saves the host's page faults on every page a fork copies.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.leaveSegments(0, ADDRESS_LIMIT);
    // The data is zeroed by whoever takes the memory from the pool (see memoryPool).
    const dirty = [...this.mappings, ...this.hidden].map((r) => ({ start: r.start, end: r.end }));
    for (const r of dirty) this.perms.fill(0, r.start >>> PAGE_SHIFT, r.end >>> PAGE_SHIFT);
    this.mappings = [];
    this.hidden = [];
    this.onCodeInvalidate = null;
    this.budget?.give(this.charged * PAGE_SIZE);
    this.charged = 0;
    // The permission table (in the memory) is all zeros again too, as only mapped pages had bits;
    // this object keeps a table of its own that maps nothing, so it can never see the next owner's
    // pages. The harts still homed here move their registers out first.
    for (const owner of this.slotOwners) owner?.evictRegisters();
    this.slotOwners.length = 0;
    this.freeSlots.length = 0;
    if (memoryPool.length < MEMORY_POOL_SIZE) memoryPool.push({ memory: this.memory, dirty });
    this.perms = NOTHING_MAPPED;
  }

  /**
   * Copies every mapping, with contents and permissions, into a fresh address space (fork). Pages
   * that hold only zeros are not copied (a fresh memory reads as zero already): most of a stack's
   * reservation and of a heap's untouched tail cost a scan instead of a copy. `work`, when given,
   * adds up the bytes scanned and copied (fork charges them to --max-insns).
   */
  clone(work?: { scanned: number; copied: number }): AddressSpace {
    this.syncShared();
    const copy = new AddressSpace(this.budget);
    const from = new Float64Array(this.memory.buffer);
    const to = new Float64Array(copy.memory.buffer);
    // MADV_DONTFORK mappings stay behind; MADV_WIPEONFORK ones come empty.
    const inherited = this.mappings.filter((m) => !((m.advice ?? 0) & ADVICE.DONTFORK));
    for (const m of inherited) {
      // Chunks of zeros need no copy (the new memory reads as zero): most of a stack's 8 MiB.
      if (!((m.advice ?? 0) & ADVICE.WIPEONFORK)) {
        forEachDataChunk(this.memory.buffer, m.start, m.end, (a, b) => {
          to.set(from.subarray(a >>> 3, b >>> 3), a >>> 3);
          if (work) work.copied += b - a;
        });
      }
      if (work) work.scanned += m.end - m.start;
      const first = m.start >>> PAGE_SHIFT;
      const last = m.end >>> PAGE_SHIFT;
      copy.perms.set(this.perms.subarray(first, last), first);
      for (let p = first; p < last; p++) copy.perms[p] &= ~PAGE_CODE;
    }
    copy.mappings = inherited.map((m) => ({ ...m }));
    for (const r of this.segments) {
      // A segment part of which stays behind is not shared with the child (the rest is copied).
      if (!copy.isFullyMapped(r.start, r.end)) continue;
      r.segment.members.set(copy, r.start);
      copy.segments.push({ ...r });
    }
    copy.brkStart = this.brkStart;
    copy.brk = this.brk;
    // The copy holds what this one holds (permission bits, and with them the charged state, were
    // copied): charged whatever the limit; fork checks the budget and gives up past it.
    copy.charged = this.charged;
    this.budget?.take(this.charged * PAGE_SIZE);
    return copy;
  }
}

/**
 * The permission byte of a page whose mapping has `prot`. riscv's page tables have no write-only
 * pages (W without R is reserved), so Linux's protection_map makes PROT_WRITE readable too; the
 * mapping keeps the protections asked for (what /proc/PID/maps shows, and what madvise checks).
 * Execute-only pages exist: a load from one faults.
 */
function pagePerms(prot: number): number {
  return ((prot & PROT_WRITE ? prot | PROT_READ : prot) & PROT_RWX) | PAGE_MAPPED;
}

/** True when two mappings carry the same traits (and may be joined). */
function sameTraits(a: Mapping, b: Mapping): boolean {
  return a.maxProt === b.maxProt && a.growsDown === b.growsDown && a.shared === b.shared && a.file === b.file && a.advice === b.advice;
}

/** Ranges at least this long are zeroed by looking for data first (see zeroBytes). */
const SCAN_TO_ZERO = 1 << 20;

/**
 * Zeroes [start, end): by words when aligned (a byte fill on shared memory is many times slower).
 * A long range is zeroed only where it holds data: writing zeros to pages the guest never touched
 * would make the host provide them (unmapping an untouched 2.5 GiB mapping took 7 s and 2.5 GB of
 * host memory that way; finding it all zero takes well under a second and no memory).
 */
function zeroBytes(as: AddressSpace, start: number, end: number): void {
  if ((start | end) & 3) as.bytes.fill(0, start, end);
  else if (end - start < SCAN_TO_ZERO) as.i32.fill(0, start >>> 2, end >>> 2);
  else forEachDataChunk(as.memory.buffer, start, end, (a, b) => as.i32.fill(0, a >>> 2, b >>> 2));
}

/** Bytes compared at a time when looking for data: large enough to make the native compare pay. */
const CHUNK = 64 * 1024;
const ZERO_CHUNK = Buffer.alloc(CHUNK);

/**
 * Calls fn(a, b) for the runs of [start, end) (page-aligned) that hold a non-zero byte, found a
 * chunk at a time with a native compare against zeros. Runs are page-aligned too.
 */
function forEachDataChunk(buffer: ArrayBufferLike, start: number, end: number, fn: (a: number, b: number) => void): void {
  let run = -1;
  for (let a = start; a < end; ) {
    const b = Math.min(end, (Math.floor(a / CHUNK) + 1) * CHUNK);
    const zero = Buffer.from(buffer, a, b - a).equals(ZERO_CHUNK.subarray(0, b - a));
    if (!zero && run < 0) run = a;
    if (zero && run >= 0) {
      fn(run, a);
      run = -1;
    }
    a = b;
  }
  if (run >= 0) fn(run, end);
}
