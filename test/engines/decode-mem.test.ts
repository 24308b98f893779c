// Memory syscalls: brk, mmap, munmap, mprotect, mremap, madvise (strace 6.1's lines, riscv64 values:
// no MAP_32BIT).
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, E } from "./decode-helpers.js";

const m = new FakeMemory();

describe("mmap", () => {
  test("anonymous and file mappings; addresses returned in hex", () => {
    expect(trace(m, "mmap", [0, 8192, 3, 0x22, -1, 0], 0x7f3e4ba56000n))
      .toBe("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3e4ba56000");
    expect(trace(m, "mmap", [0x7f3e4b891000n, 1400832, 5, 0x812, 3, 0x26000], 0x7f3e4b891000n))
      .toBe("mmap(0x7f3e4b891000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f3e4b891000");
  });

  test("type field, flags, huge page size, unknown bits", () => {
    expect(trace(m, "mmap", [0x10000, 4096, 0, 0x1002c011, 3, 0x1000], E.EBADF)).toBe(
      "mmap(0x10000, 4096, PROT_NONE, MAP_SHARED|MAP_FIXED|MAP_NORESERVE|MAP_POPULATE|MAP_STACK|4<<MAP_HUGE_SHIFT, 3, 0x1000) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "mmap", [0, 4096, 0xff, 0x7f, -1, 0], E.EINVAL)).toBe(
      "mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM|0xf0, 0xf /* MAP_??? */|MAP_FIXED|MAP_ANONYMOUS|0x40, -1, 0) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mmap", [0, 4096, 0x1000005, 0x54140003, -1, 0], E.EBADF)).toBe(
      "mmap(NULL, 4096, PROT_READ|PROT_EXEC|PROT_GROWSDOWN, MAP_SHARED_VALIDATE|MAP_HUGETLB|MAP_FIXED_NOREPLACE|21<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "mmap", [0, 4096, 0, 0x20, -1, 0], E.EINVAL)).toBe("mmap(NULL, 4096, PROT_NONE, MAP_FILE|MAP_ANONYMOUS, -1, 0) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mmap", [0, 4096, 3, 0x54140022, -1, 0], E.EINVAL, { o: { constStyle: "verbose" } })).toBe(
      "mmap(NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE */, 0x54140022 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_FIXED_NOREPLACE|21<<MAP_HUGE_SHIFT */, -1, 0) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mmap", [0, 4096, 1, 2, 3, 0], 0x7f0000, { o: { constStyle: "verbose" } }))
      .toBe("mmap(NULL, 4096, 0x1 /* PROT_READ */, 0x2 /* MAP_PRIVATE */, 3, 0) = 0x7f0000");
  });
});

describe("the rest", () => {
  test("brk returns an address", () => {
    expect(trace(m, "brk", [0], 0x558282cda000n)).toBe("brk(NULL) = 0x558282cda000");
    expect(trace(m, "brk", [0x1000], 0x558282cda000n)).toBe("brk(0x1000) = 0x558282cda000");
  });

  test("munmap, mprotect, madvise", () => {
    expect(trace(m, "munmap", [0x7f3e4ba4d000n, 35083], 0)).toBe("munmap(0x7f3e4ba4d000, 35083) = 0");
    expect(trace(m, "munmap", [-1, 16384], E.EINVAL)).toBe("munmap(0xffffffffffffffff, 16384) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mprotect", [0x7f3e4ba3a000n, 16384, 1], 0)).toBe("mprotect(0x7f3e4ba3a000, 16384, PROT_READ) = 0");
    expect(trace(m, "mprotect", [0, 0, 0xffffffff], E.EINVAL))
      .toBe("mprotect(NULL, 0, PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM|PROT_GROWSDOWN|PROT_GROWSUP|0xfcfffff0) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "madvise", [0x7f0000, 4096, 4], 0)).toBe("madvise(0x7f0000, 4096, MADV_DONTNEED) = 0");
    expect(trace(m, "madvise", [0x7f0000, 4096, 8], 0)).toBe("madvise(0x7f0000, 4096, MADV_FREE) = 0");
    expect(trace(m, "madvise", [0x7f0000, 4096, 999], E.EINVAL)).toBe("madvise(0x7f0000, 4096, 0x3e7 /* MADV_??? */) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "madvise", [0, 0, 100], E.EINVAL)).toBe("madvise(NULL, 0, MADV_HWPOISON) = -1 EINVAL (Invalid argument)");
  });

  test("mremap prints the new address only with MREMAP_MAYMOVE|MREMAP_FIXED", () => {
    expect(trace(m, "mremap", [0x7f0000, 8192, 16384, 1], 0x7e0000)).toBe("mremap(0x7f0000, 8192, 16384, MREMAP_MAYMOVE) = 0x7e0000");
    expect(trace(m, "mremap", [-1, 8192, 16384, 3, 0x20000], E.EINVAL))
      .toBe("mremap(0xffffffffffffffff, 8192, 16384, MREMAP_MAYMOVE|MREMAP_FIXED, 0x20000) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mremap", [0, 0, 0, 0xffffffff, 0], E.EINVAL))
      .toBe("mremap(NULL, 0, 0, MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP|0xfffffff8, NULL) = -1 EINVAL (Invalid argument)");
  });

  test("msync, mlockall, mlock2", () => {
    expect(trace(m, "msync", [0, 0, 0xffffffff], E.EINVAL)).toBe("msync(NULL, 0, MS_SYNC|MS_ASYNC|MS_INVALIDATE|0xfffffff8) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mlockall", [0xffffffff], E.EINVAL)).toBe("mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT|0xfffffff8) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "mlock2", [0, 0, 0xffffffff], E.EINVAL)).toBe("mlock2(NULL, 0, MLOCK_ONFAULT|0xfffffffe) = -1 EINVAL (Invalid argument)");
  });
});
