// The guest address space: one 4 GiB WebAssembly.Memory (every guest mapping lies below 2^32, so a
// guest address is a plain number offset), a permission byte per 4 KiB page, and the list of
// mappings (VMAs) that mmap, munmap, mprotect, mremap and brk edit.
//
// The interpreter reads `perms`, `bytes`, `i32`, … directly on its fast paths; everything else
// (the kernel, engines) uses the checked accessors below, which throw GuestFault on a bad pointer
// so a syscall handler can turn it into -EFAULT.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;
/** Size of the guest address space: 4 GiB. */
export const ADDRESS_LIMIT = 2 ** 32;
const PAGE_COUNT = ADDRESS_LIMIT / PAGE_SIZE;

/** Page permission bits, as in mmap's PROT_* plus rvtrace's own. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
const PROT_RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
/** The page holds decoded instructions: a write to it must invalidate them. */
export const PAGE_CODE = 8;
/** The page is mapped (possibly with PROT_NONE). */
export const PAGE_MAPPED = 16;

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
  /** Lowest address a guest may map at all (vm.mmap_min_addr). */
  minAddr: 0x1_0000,
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
}

/** Where a shared segment lies in this address space. */
interface SegmentRange {
  start: number;
  end: number;
  segment: SharedSegment;
}

export type CodeInvalidator = (firstPage: number, lastPage: number) => void;

/** Rounds a length or address up to a whole number of pages. */
export function pageRoundUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

import { SharedSegment } from "./shared-segments.js";

const utf8 = new TextDecoder();

/**
 * Backing memories given back by ended processes, zeroed, for the next address space: a shell that
 * forks a child per command reuses a few instead of reserving 4 GiB each time.
 */
const memoryPool: { memory: WebAssembly.Memory; perms: Uint8Array }[] = [];
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

  /** MAP_SHARED ranges (shared-segments.ts); empty for most programs. */
  private segments: SegmentRange[] = [];
  /** Set by release(): the memory belongs to someone else now. */
  private released = false;

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

  constructor() {
    // Shared, though no other thread sees it: V8 counts an unshared memory's 4 GiB as memory
    // pressure and answers with a full garbage collection (17 ms of a hello-world's start-up);
    // shared memory is not counted. Guest code runs as fast on either (tools/bench.mjs).
    const reused = memoryPool.pop();
    this.memory = reused?.memory ?? new WebAssembly.Memory({ initial: ADDRESS_LIMIT / 65536, maximum: ADDRESS_LIMIT / 65536, shared: true });
    this.perms = reused?.perms ?? new Uint8Array(PAGE_COUNT);
    const buf = this.memory.buffer;
    this.bytes = new Uint8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.view = new DataView(buf);
  }

  // ---- mappings ----

  /** The current mappings, lowest first (a copy). */
  listMappings(): Mapping[] {
    return this.mappings.map((m) => ({ ...m }));
  }

  /** The mapping containing addr, if any. */
  findMapping(addr: number): Mapping | undefined {
    return this.mappings.find((m) => addr >= m.start && addr < m.end);
  }

  /** True when any page of [start, start+len) is mapped. */
  isAnyMapped(start: number, len: number): boolean {
    const end = start + len;
    return this.mappings.some((m) => m.start < end && m.end > start);
  }

  /**
   * Maps [start, start+len) with prot, replacing whatever was there (MAP_FIXED semantics); the new
   * pages read as zero. start must be page aligned; len is rounded up to pages.
   */
  map(start: number, len: number, prot: number, name: string): void {
    const end = start + pageRoundUp(len);
    if (start < 0 || start % PAGE_SIZE !== 0 || end > ADDRESS_LIMIT || end <= start) {
      throw new RangeError(`map: bad range 0x${start.toString(16)}+0x${len.toString(16)}`);
    }
    // Unmapped memory is always zero (fresh, or zeroed by unmap), so there is nothing to clear.
    this.unmap(start, end - start);
    this.setPerms(start, end, (prot & PROT_RWX) | PAGE_MAPPED);
    this.mappings.push({ start, end, prot: prot & PROT_RWX, name });
    this.mappings.sort((a, b) => a.start - b.start);
    this.mergeAdjacent();
  }

  /** Unmaps [start, start+len); pages not mapped are ignored. Contents are zeroed. */
  unmap(start: number, len: number): void {
    const end = Math.min(start + pageRoundUp(len), ADDRESS_LIMIT);
    if (end <= start) return;
    if (this.segments.length > 0) this.leaveSegments(start, end);
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
      zeroBytes(this, a, b);
      this.setPerms(a, b, 0);
    }
    this.mappings = kept.sort((a, b) => a.start - b.start);
  }

  /** Changes protections of [start, start+len). Returns false if any page there is unmapped. */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageRoundUp(len);
    if (!this.isFullyMapped(start, end)) return false;
    const out: Mapping[] = [];
    for (const m of this.mappings) {
      if (m.end <= start || m.start >= end) {
        out.push(m);
        continue;
      }
      if (m.start < start) out.push({ ...m, end: start });
      out.push({ ...m, start: Math.max(m.start, start), end: Math.min(m.end, end), prot: prot & PROT_RWX });
      if (m.end > end) out.push({ ...m, start: end });
    }
    this.mappings = out;
    this.invalidateCode(start, end);
    this.setPerms(start, end, (prot & PROT_RWX) | PAGE_MAPPED);
    this.mergeAdjacent();
    return true;
  }

  /** True when every page of [start, end) belongs to some mapping. */
  isFullyMapped(start: number, end: number): boolean {
    for (let p = start >>> PAGE_SHIFT; p < Math.ceil(end / PAGE_SIZE); p++) {
      if ((this.perms[p] & PAGE_MAPPED) === 0) return false;
    }
    return true;
  }

  /**
   * Finds a free, page-aligned range of len bytes, top-down from LAYOUT.mmapTop (as Linux's
   * default mmap layout does), or returns -1.
   */
  findFree(len: number, below: number = LAYOUT.mmapTop): number {
    const size = pageRoundUp(len);
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
    zeroBytes(this, start, end);
  }

  /** Moves the bytes and permissions of a mapping range (used by mremap when it must move). */
  move(oldStart: number, oldLen: number, newStart: number, newLen: number): void {
    const m = this.findMapping(oldStart);
    const prot = m ? m.prot : PROT_READ | PROT_WRITE;
    const name = m ? m.name : "";
    const keep = Math.min(oldLen, newLen);
    const saved = this.bytes.slice(oldStart, oldStart + keep);
    this.unmap(oldStart, oldLen);
    this.map(newStart, newLen, prot, name);
    this.bytes.set(saved, newStart);
  }

  private mergeAdjacent(): void {
    const out: Mapping[] = [];
    for (const m of this.mappings) {
      const last = out[out.length - 1];
      if (last && last.end === m.start && last.prot === m.prot && last.name === m.name) last.end = m.end;
      else out.push(m);
    }
    this.mappings = out;
  }

  private setPerms(start: number, end: number, value: number): void {
    this.perms.fill(value, start >>> PAGE_SHIFT, Math.ceil(end / PAGE_SIZE));
  }

  /** Drops decoded code for the pages of [start, end). */
  invalidateCode(start: number, end: number): void {
    const first = start >>> PAGE_SHIFT;
    const last = Math.ceil(end / PAGE_SIZE) - 1;
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
      if ((this.perms[p] & prot) !== prot) throw new GuestFault(Math.max(addr, p * PAGE_SIZE));
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
  addSharedSegment(start: number, end: number): void {
    const segment = new SharedSegment(end - start);
    segment.members.set(this, start);
    segment.owner = this;
    this.segments.push({ start, end, segment });
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
    for (const m of this.mappings) {
      // Only what holds data is written: zeros written to pages never touched would make the host provide them.
      forEachDataChunk(this.memory.buffer, m.start, m.end, (a, b) => this.i32.fill(0, a >>> 2, b >>> 2));
      this.perms.fill(0, m.start >>> PAGE_SHIFT, m.end >>> PAGE_SHIFT);
    }
    this.mappings = [];
    this.onCodeInvalidate = null;
    // The permission table is all zeros again too (only mapped pages had bits), and goes with it;
    // this object keeps a table of its own that maps nothing, so it can never see the next owner's pages.
    if (memoryPool.length < MEMORY_POOL_SIZE) memoryPool.push({ memory: this.memory, perms: this.perms });
    this.perms = NOTHING_MAPPED;
  }

  /**
   * Copies every mapping, with contents and permissions, into a fresh address space (fork). Pages
   * that hold only zeros are not copied (a fresh memory reads as zero already): most of a stack's
   * reservation and of a heap's untouched tail cost a scan instead of a copy.
   */
  clone(): AddressSpace {
    this.syncShared();
    const copy = new AddressSpace();
    const from = new Float64Array(this.memory.buffer);
    const to = new Float64Array(copy.memory.buffer);
    for (const m of this.mappings) {
      // Chunks of zeros need no copy (the new memory reads as zero): most of a stack's 8 MiB.
      forEachDataChunk(this.memory.buffer, m.start, m.end, (a, b) => to.set(from.subarray(a >>> 3, b >>> 3), a >>> 3));
      const first = m.start >>> PAGE_SHIFT;
      const last = m.end >>> PAGE_SHIFT;
      copy.perms.set(this.perms.subarray(first, last), first);
      for (let p = first; p < last; p++) copy.perms[p] &= ~PAGE_CODE;
    }
    copy.mappings = this.listMappings();
    for (const r of this.segments) {
      r.segment.members.set(copy, r.start);
      copy.segments.push({ ...r });
    }
    copy.brkStart = this.brkStart;
    copy.brk = this.brk;
    return copy;
  }
}

/** Zeroes [start, end): by words when aligned (a byte fill on shared memory is many times slower). */
function zeroBytes(as: AddressSpace, start: number, end: number): void {
  if ((start | end) & 3) as.bytes.fill(0, start, end);
  else as.i32.fill(0, start >>> 2, end >>> 2);
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
