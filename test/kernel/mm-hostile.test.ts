// Memory syscalls given what the mm-hostile guest cannot show under the host kernel it is recorded
// on: riscv64's end of the user address space (2^47; x86-64's ends a page lower), mmap's offset as
// riscv64's signed off_t (x86-64 reads it unsigned), advice that would harm the host if the golden
// were recorded as root, and the limits of guest memory (it ends at GUEST_LIMIT, 2 MiB short of
// 4 GiB, where Linux would map).
// Each call is the handler itself on a bare task (mm-call.ts), so any 64-bit argument can be given.
import { beforeEach, describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { GUEST_LIMIT, PROT_READ, PROT_WRITE, LAYOUT } from "../../src/mem/address-space.js";
import { O } from "../../src/abi/fs.js";
import type { OpenFile } from "../../src/kernel/vfs/open-file.js";
import { bareTask, call, type BareTask } from "./mm-call.js";

const PAGE = 4096n;
const TASK_SIZE = 1n << 47n;
const RW = PROT_READ | PROT_WRITE;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_HUGETLB = 0x40000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const err = (e: number) => BigInt(-e);
/** Where guest memory ends. */
const END = BigInt(GUEST_LIMIT);

let t: BareTask;
beforeEach(() => {
  t = bareTask();
});

/** A fresh private anonymous mapping of `len` bytes (its address). */
function anon(len: bigint): bigint {
  const a = call(t, "mmap", 0, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  expect(a).toBeGreaterThan(0n);
  return a;
}

describe("the end of riscv64's user address space (2^47)", () => {
  it("munmap: a range that ends exactly there is valid, one that starts there is not", () => {
    expect(call(t, "munmap", TASK_SIZE - PAGE, PAGE)).toBe(0n);
    expect(call(t, "munmap", TASK_SIZE, PAGE)).toBe(err(E.EINVAL));
    expect(call(t, "munmap", TASK_SIZE - PAGE, 2n * PAGE)).toBe(err(E.EINVAL));
  });

  it("mmap MAP_FIXED: the last page is within Linux's space but beyond guest memory (ENOMEM); past it is ENOMEM by Linux's check", () => {
    const before = t.mem.mappingCount();
    expect(call(t, "mmap", TASK_SIZE - PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(call(t, "mmap", TASK_SIZE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    // Checked before the alignment: a misaligned address past the end is ENOMEM too.
    expect(call(t, "mmap", TASK_SIZE + 1n, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(call(t, "mmap", TASK_SIZE - PAGE + 1n, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(err(E.ENOMEM));
    expect(t.mem.mappingCount()).toBe(before);
  });

  it("mremap: a new length beyond it, or a target past it, is EINVAL; a target beyond guest memory is ENOMEM and moves nothing", () => {
    const p = anon(PAGE);
    expect(call(t, "mremap", p, PAGE, TASK_SIZE + PAGE, MREMAP_MAYMOVE, 0)).toBe(err(E.EINVAL));
    expect(call(t, "mremap", p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, TASK_SIZE)).toBe(err(E.EINVAL));
    expect(call(t, "mremap", p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, TASK_SIZE - PAGE)).toBe(err(E.ENOMEM));
    // The cases: 4 GiB and a negative address.
    expect(call(t, "mremap", p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 1n << 32n)).toBe(err(E.ENOMEM));
    expect(call(t, "mremap", p, PAGE, 2n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, -(1n << 20n))).toBe(err(E.EINVAL));
    expect(t.mem.findMapping(Number(p))).toBeDefined();
  });

  it("mincore: a range that reaches past the end is ENOMEM; one that reaches past guest memory fills the vector for the mapped pages, then ENOMEM", () => {
    const p = anon(2n * PAGE);
    const vec = anon(PAGE);
    expect(call(t, "mincore", p, TASK_SIZE, vec)).toBe(err(E.ENOMEM));
    expect(call(t, "mincore", p, 1n << 60n, vec)).toBe(err(E.ENOMEM));
    expect(call(t, "mincore", 0x1000, TASK_SIZE - 0x1000n, vec)).toBe(err(E.ENOMEM));
    // The vector is checked against the user address space first.
    expect(call(t, "mincore", p, PAGE, TASK_SIZE)).toBe(err(E.EFAULT));
    // Mapped pages at the top of guest memory, the range going on past its end and past 4 GiB.
    const top = END - 2n * PAGE;
    expect(call(t, "mmap", top, 2n * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(top);
    expect(call(t, "mincore", top, 1n << 40n, vec)).toBe(err(E.ENOMEM));
    expect([...t.mem.read(Number(vec), 3)]).toEqual([1, 1, 0]);
  });

  it("mprotect, madvise, mlock, msync: a range going on past guest memory acts on what is mapped, then ENOMEM", () => {
    const top = END - PAGE;
    expect(call(t, "mmap", top, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(top);
    expect(call(t, "mprotect", top, 2n * PAGE, PROT_READ)).toBe(err(E.ENOMEM));
    expect(t.mem.findMapping(Number(top))?.prot).toBe(PROT_READ);
    expect(call(t, "madvise", top, 2n * PAGE, 0)).toBe(err(E.ENOMEM));
    expect(call(t, "mlock", top, 2n * PAGE)).toBe(err(E.ENOMEM));
    expect(call(t, "msync", top, 2n * PAGE, 4)).toBe(err(E.ENOMEM));
    expect(call(t, "mprotect", 1n << 32n, PAGE, PROT_READ)).toBe(err(E.ENOMEM));
    expect(call(t, "mprotect", END, PAGE, PROT_READ)).toBe(err(E.ENOMEM));
  });
});

describe("the issue's hostile arguments", () => {
  it("munmap(0xffffffffffff0000, 0xbeff0000) is EINVAL and unmaps nothing", () => {
    const p = anon(PAGE);
    expect(call(t, "munmap", 0xffffffffffff0000n, 0xbeff0000n)).toBe(err(E.EINVAL));
    expect(t.mem.findMapping(Number(p))).toBeDefined();
  });

  it("negative addresses are refused by mprotect, madvise, mlock, msync and mincore", () => {
    const top = 0xfffffffffffff000n;
    expect(call(t, "mprotect", top, PAGE, PROT_READ)).toBe(err(E.ENOMEM));
    expect(call(t, "madvise", top, PAGE, 4)).toBe(err(E.EINVAL));
    expect(call(t, "mlock", top, PAGE)).toBe(err(E.EINVAL));
    expect(call(t, "msync", top, PAGE, 4)).toBe(err(E.ENOMEM));
    expect(call(t, "mincore", top, PAGE, 0x10000)).toBe(err(E.ENOMEM));
  });

  it("a shrinking mremap whose old length runs past the address space fails as munmap would, unmapping nothing (fuzzer)", () => {
    const p = anon(4n * PAGE);
    const above = call(t, "mmap", p + 4n * PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect(call(t, "mremap", p + 2n * PAGE, -PAGE, 3n * PAGE, 0, 0)).toBe(err(E.EINVAL));
    expect(t.mem.isFullyMapped(Number(p), Number(above + PAGE))).toBe(true);
  });

  it("prot and flags are unsigned longs: bits above 32 are not dropped", () => {
    const p = anon(PAGE);
    expect(call(t, "mprotect", p, PAGE, (1n << 32n) | 1n)).toBe(err(E.EINVAL));
    expect(call(t, "mremap", p, PAGE, PAGE, 1n << 32n, 0)).toBe(err(E.EINVAL));
  });
});

/** A read-only regular file of `size` bytes whose byte i is i & 0xff. */
function fakeFile(size: number): OpenFile {
  return {
    kind: "file", flags: O.RDONLY, path: "/f", refs: 1,
    stat: () => ({ size: BigInt(size), mode: 0o100644 }),
    pread(buf: Uint8Array, pos: number) {
      const n = Math.max(0, Math.min(buf.length, size - pos));
      for (let i = 0; i < n; i++) buf[i] = (pos + i) & 0xff;
      return n;
    },
  } as unknown as OpenFile;
}

describe("mmap's offset is riscv64's signed off_t", () => {
  it("a negative offset shifts to a page offset that overflows with the length (EOVERFLOW), even for anonymous memory", () => {
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, -PAGE)).toBe(err(E.EOVERFLOW));
  });

  it("one far enough below zero does not overflow: anonymous memory ignores it, a file's limit refuses it", () => {
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, -(1n << 40n))).toBeGreaterThan(0n);
    t.fds.set(3, fakeFile(10));
    expect(call(t, "mmap", 0, PAGE, PROT_READ, MAP_PRIVATE, 3, -(1n << 40n))).toBe(err(E.EOVERFLOW));
  });

  it("an unaligned one is EINVAL before the descriptor is looked at", () => {
    expect(call(t, "mmap", 0, PAGE, PROT_READ, MAP_PRIVATE, 99, -1)).toBe(err(E.EINVAL));
  });
});

describe("what rvtrace refuses where a privileged or differently configured Linux would act", () => {
  it("MAP_HUGETLB: no huge pages are reserved (ENOMEM for a size the kernel has, EINVAL for another)", () => {
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0)).toBe(err(E.ENOMEM));
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << 26), -1, 0)).toBe(err(E.ENOMEM));
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (5 << 26), -1, 0)).toBe(err(E.EINVAL));
  });

  it("madvise: injecting memory errors needs CAP_SYS_ADMIN (EPERM); guard pages are unknown advice (EINVAL)", () => {
    const p = anon(PAGE);
    expect(call(t, "madvise", p, PAGE, 100)).toBe(err(E.EPERM));
    expect(call(t, "madvise", p, PAGE, 101)).toBe(err(E.EPERM));
    expect(call(t, "madvise", p, PAGE, 102)).toBe(err(E.EINVAL));
  });

  it("the NULL page is never mapped: MAP_FIXED at 0 is EPERM, the page above it (mmap_min_addr 4096) may be", () => {
    expect(call(t, "mmap", 0, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(err(E.EPERM));
    expect(call(t, "mmap", PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(PAGE);
    expect(LAYOUT.minAddr).toBe(4096);
  });
});

describe("large mappings move and go without copying their untouched pages", () => {
  it("mremap moves the data of a 1 GiB mapping, and a mapping made in its old place reads zero", () => {
    const size = 1n << 30n;
    const p = anon(size);
    const spots = [0, 123_456, 0x3000_0000, Number(size) - 1];
    for (const s of spots) t.mem.bytes[Number(p) + s] = 0x5a;
    // Grow by a page: the mapping above blocks it in place, so it moves.
    call(t, "mmap", p + size, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    const q = call(t, "mremap", p, size, size + PAGE, MREMAP_MAYMOVE);
    expect(q).not.toBe(p);
    for (const s of spots) expect(t.mem.bytes[Number(q) + s]).toBe(0x5a);
    expect(call(t, "mmap", p, size, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)).toBe(p);
    for (const s of spots) expect(t.mem.bytes[Number(p) + s]).toBe(0);
  });

  it("a file mapping far longer than its file holds the file's bytes, then zeros", () => {
    t.fds.set(3, fakeFile(5000));
    const p = Number(call(t, "mmap", 0, 1n << 28n, PROT_READ, MAP_PRIVATE, 3, 0));
    expect([...t.mem.bytes.subarray(p + 4094, p + 4098)]).toEqual([0xfe, 0xff, 0, 1]);
    expect(t.mem.bytes[p + 4999]).toBe(4999 & 0xff);
    expect(t.mem.bytes[p + 5000]).toBe(0);
  });
});

describe("what random sequences against the host kernel found (guest mm-random)", () => {
  const MAP_SHARED = 0x01;
  const MADV_POPULATE_READ = 22;
  const MADV_POPULATE_WRITE = 23;

  it("MADV_POPULATE_* stop at the first hole (ENOMEM) or the first mapping they may not touch (EINVAL), in address order", () => {
    const p = anon(4n * PAGE);
    call(t, "munmap", p + 3n * PAGE, PAGE);
    expect(call(t, "madvise", p, 4n * PAGE, MADV_POPULATE_READ)).toBe(err(E.ENOMEM));
    call(t, "mprotect", p, PAGE, 0);
    expect(call(t, "madvise", p, 4n * PAGE, MADV_POPULATE_READ)).toBe(err(E.EINVAL));
    call(t, "mprotect", p + PAGE, PAGE, PROT_READ);
    expect(call(t, "madvise", p + 2n * PAGE, PAGE, MADV_POPULATE_WRITE)).toBe(0n);
    expect(call(t, "madvise", p + PAGE, 2n * PAGE, MADV_POPULATE_WRITE)).toBe(err(E.EINVAL));
    // A write-only mapping is readable by the hardware, but not by the prot it asked for.
    call(t, "mprotect", p + 2n * PAGE, PAGE, PROT_WRITE);
    expect(call(t, "madvise", p + 2n * PAGE, PAGE, MADV_POPULATE_READ)).toBe(err(E.EINVAL));
  });

  it("MREMAP_FIXED keeping the length moves every mapping of the range, gaps and all; the range must begin in one", () => {
    const p = anon(4n * PAGE);
    call(t, "mprotect", p + 2n * PAGE, 2n * PAGE, PROT_READ);
    call(t, "munmap", p + PAGE, PAGE);
    t.mem.bytes[Number(p)] = 1;
    t.mem.bytes[Number(p + 3n * PAGE)] = 3;
    const to = 0x3000_0000n;
    // A page already at the gap's place in the target stays.
    call(t, "mmap", to + PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect(call(t, "mremap", p + PAGE, 3n * PAGE, 3n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to)).toBe(err(E.EFAULT));
    expect(call(t, "mremap", p, 4n * PAGE, 4n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to)).toBe(to);
    expect(t.mem.bytes[Number(to)]).toBe(1);
    expect(t.mem.bytes[Number(to + 3n * PAGE)]).toBe(3);
    expect(t.mem.findMapping(Number(to + PAGE))?.prot).toBe(RW);
    expect(t.mem.findMapping(Number(to + 2n * PAGE))?.prot).toBe(PROT_READ);
    expect(t.mem.isAnyMapped(Number(p), 4 * 4096)).toBe(false);
  });

  it("a move that shrinks needs only what it keeps to lie in one mapping", () => {
    const p = anon(4n * PAGE);
    call(t, "mprotect", p + 2n * PAGE, 2n * PAGE, PROT_READ);
    expect(call(t, "mremap", p, 4n * PAGE, 3n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x3000_0000n)).toBe(err(E.EFAULT));
    expect(call(t, "mremap", p, 4n * PAGE, 2n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x3000_0000n)).toBe(0x3000_0000n);
    expect(t.mem.isAnyMapped(Number(p), 4 * 4096)).toBe(false);
  });

  it("two MAP_SHARED mappings side by side stay two (each shares its own object)", () => {
    const a = call(t, "mmap", 0x3000_0000n, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    call(t, "mmap", a + PAGE, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    expect(t.mem.mappingsIn(Number(a), Number(a + 2n * PAGE))).toHaveLength(2);
    expect(call(t, "mremap", a, 2n * PAGE, 3n * PAGE, MREMAP_MAYMOVE, 0)).toBe(err(E.EFAULT));
  });

  it("flag advice splits a mapping as Linux does, and fork leaves MADV_DONTFORK pages behind and MADV_WIPEONFORK ones empty", () => {
    const p = anon(3n * PAGE);
    t.mem.bytes.fill(7, Number(p), Number(p + 3n * PAGE));
    expect(call(t, "madvise", p + PAGE, PAGE, 10 /* MADV_DONTFORK */)).toBe(0n);
    expect(call(t, "madvise", p + 2n * PAGE, PAGE, 18 /* MADV_WIPEONFORK */)).toBe(0n);
    expect(t.mem.mappingsIn(Number(p), Number(p + 3n * PAGE))).toHaveLength(3);
    // Moving across the split is moving across mappings.
    expect(call(t, "mremap", p, 2n * PAGE, 3n * PAGE, MREMAP_MAYMOVE, 0)).toBe(err(E.EFAULT));
    const child = t.mem.clone();
    expect(child.bytes[Number(p)]).toBe(7);
    expect(child.isAnyMapped(Number(p + PAGE), 4096)).toBe(false);
    expect(child.isFullyMapped(Number(p + 2n * PAGE), Number(p + 3n * PAGE))).toBe(true);
    expect(child.bytes[Number(p + 2n * PAGE)]).toBe(0);
    // Undoing the advice joins the pieces again.
    call(t, "madvise", p + PAGE, PAGE, 11 /* MADV_DOFORK */);
    call(t, "madvise", p + 2n * PAGE, PAGE, 19 /* MADV_KEEPONFORK */);
    expect(t.mem.mappingsIn(Number(p), Number(p + 3n * PAGE))).toHaveLength(1);
    child.release();
  });
});
