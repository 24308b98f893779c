// The process machinery below the syscalls: the cap on tasks (clone's EAGAIN, also when the host
// cannot reserve another address space), address spaces given back when a process ends (a stale
// reference faults instead of reading another process's memory), and MAP_SHARED segments kept
// equal across the address spaces that share them.
import { describe, expect, it, vi } from "vitest";
import { AddressSpace, GuestFault, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import { Kernel } from "../../src/index.js";
import { spawnGuest, withTimeout, GUESTS_DIR } from "../utrace/helpers.js";
import { Readable, Writable } from "node:stream";

function capture(): { stream: Writable; text(): string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function runProcs(mode: string, options: { maxTasks?: number } = {}): Promise<string> {
  const out = capture();
  const k = new Kernel({ cwd: GUESTS_DIR, maxTasks: options.maxTasks, diagnostics: capture().stream });
  const p = k.spawn("bin/utp-procs", ["utp-procs", mode], { env: {}, stdin: Readable.from([]), stdout: out.stream, stderr: out.stream });
  const status = await withTimeout(p.wait(), "utp-procs to end", 20000);
  expect(status).toEqual({ exitCode: 0, signal: null, coreDumped: false });
  return out.text();
}

describe("the cap on tasks", () => {
  it("makes fork fail with EAGAIN once the run holds maxTasks tasks, zombies included", async () => {
    expect(await runProcs("fork-limit")).toBe("forked 10, then none\n");
    expect(await runProcs("fork-limit", { maxTasks: 4 })).toBe("forked 3, then Resource temporarily unavailable\n");
  });

  it("makes fork fail with EAGAIN when the host refuses another address space, and nothing crashes", async () => {
    const spy = vi.spyOn(AddressSpace.prototype, "clone").mockImplementation(() => {
      throw new RangeError("WebAssembly.Memory(): could not allocate memory");
    });
    try {
      expect(await runProcs("fork-limit")).toBe("forked 0, then Resource temporarily unavailable\n");
    } finally {
      spy.mockRestore();
    }
  });
});

describe("broken pipes", () => {
  it("kill the writer with SIGPIPE", async () => {
    expect(await runProcs("sigpipe")).toBe("child killed by Broken pipe\n");
  });
});

describe("address spaces of ended processes", () => {
  it("are given back zeroed, and a stale task's memory faults", async () => {
    const g = spawnGuest("utp-procs", ["fork"]);
    const mem = g.proc.mem;
    const sp = Number(g.task.hart.getX(2));
    expect(() => mem.readU64(sp)).not.toThrow();
    await withTimeout(g.proc.wait(), "the guest to end");
    expect(() => g.task.readU64(sp)).toThrow(GuestFault);
    expect(() => mem.readU8(sp)).toThrow(GuestFault);
    expect(mem.listMappings()).toEqual([]);
    // Even once a new address space reuses the memory and maps the same page.
    const next = new AddressSpace();
    expect(next.memory).toBe(mem.memory);
    next.map(Math.floor(sp / 0x1000) * 0x1000, 0x1000, PROT_READ | PROT_WRITE, "data");
    next.writeU32(sp, 0x1234);
    expect(() => mem.readU32(sp)).toThrow(GuestFault);
    next.release();
  });

  it("reuse a given-back memory only after zeroing every page that held data", () => {
    const a = new AddressSpace();
    a.map(0x10000, 0x3000, PROT_READ | PROT_WRITE, "data");
    a.writeU32(0x11000, 0xdeadbeef);
    const memory = a.memory;
    a.release();
    const b = new AddressSpace();
    expect(b.memory).toBe(memory);
    b.map(0x10000, 0x3000, PROT_READ | PROT_WRITE, "data");
    expect(b.readU32(0x11000)).toBe(0);
    b.release();
  });
});

describe("MAP_SHARED segments", () => {
  it("show each member's writes to the others once it has taken the segment over", () => {
    const parent = new AddressSpace();
    parent.map(0x20000, 0x2000, PROT_READ | PROT_WRITE, "shared");
    parent.map(0x30000, 0x1000, PROT_READ | PROT_WRITE, "private");
    parent.addSharedSegment(0x20000, 0x22000);
    parent.writeU32(0x20004, 1);
    const child = parent.clone();
    expect(child.readU32(0x20004)).toBe(1);
    // The child runs and writes, to shared and private memory.
    child.syncShared();
    child.writeU32(0x20004, 2);
    child.writeU32(0x30000, 7);
    // The parent runs next.
    parent.syncShared();
    expect(parent.readU32(0x20004)).toBe(2);
    expect(parent.readU32(0x30000)).toBe(0);
    // A member that unmaps the segment leaves it; the newest bytes stay with the others.
    parent.writeU32(0x21000, 9);
    parent.unmap(0x20000, 0x2000);
    child.syncShared();
    expect(child.readU32(0x21000)).toBe(9);
    expect(child.sharedKey(0x21000)).not.toBeNull();
    expect(parent.sharedKey(0x21000)).toBeNull();
    parent.release();
    child.release();
  });
});
