// The register view engines get (src/utrace/regs.ts: Part A.1, B §12) and the engine object's
// reference counting and naming (src/utrace/engine.ts: B §1.1, §1.3), each on its own.
import { describe, expect, it } from "vitest";
import { Regs, UTRACE_ATTACH_CREATE, UTRACE_DETACH } from "../../src/index.js";
import { bareTask, setup } from "./fake-host.js";

describe("Regs", () => {
  it("reads x0 as 0 and the argument registers and sp by name; pc is a 32-bit address", () => {
    const t = bareTask(1);
    const regs = new Regs(t);
    for (let n = 0; n < 32; n++) t.hart.x64[n] = BigInt(100 + n);
    expect(regs.x(0)).toBe(0n);
    expect([regs.a0, regs.a1, regs.a2, regs.a3, regs.a4, regs.a5, regs.a6, regs.a7, regs.sp])
      .toEqual([110n, 111n, 112n, 113n, 114n, 115n, 116n, 117n, 102n]);
    expect(regs.syscallNumber).toBe(117n);
    expect(regs.returnValue).toBe(110n);
    regs.pc = 0x1_0000_1000n;
    expect(regs.pc).toBe(0x1000n);
  });

  it("writes each register by name; writing a0 as a register also rewrites orig_a0, as a return value it does not", () => {
    const t = bareTask(1);
    const regs = new Regs(t);
    t.origA0 = 7n;
    regs.a1 = 1n;
    regs.a2 = 2n;
    regs.a3 = 3n;
    regs.a4 = 4n;
    regs.a5 = 5n;
    regs.a6 = 6n;
    regs.a7 = 77n;
    regs.sp = 0x8000n;
    expect([11, 12, 13, 14, 15, 16, 17, 2].map((n) => t.hart.x64[n])).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 77n, 0x8000n]);
    expect(t.origA0).toBe(7n);
    regs.a0 = -4n;
    regs.returnValue = -5n;
    expect([t.hart.x64[10], t.origA0]).toEqual([-5n, 7n]);
    regs.setX(10, 9n);
    expect([t.hart.x64[10], t.origA0]).toEqual([9n, 9n]);
    regs.setX(11, 8n);
    expect(t.origA0).toBe(9n);
    regs.syscallNumber = 64n;
    expect(t.hart.x64[17]).toBe(64n);
  });

  it("gives syscall arguments 0 to 5 (0 is orig_a0) and refuses others", () => {
    const t = bareTask(1);
    const regs = new Regs(t);
    for (let n = 10; n < 16; n++) t.hart.x64[n] = BigInt(n);
    t.origA0 = 42n;
    expect([0, 1, 2, 3, 4, 5].map((i) => regs.arg(i))).toEqual([42n, 11n, 12n, 13n, 14n, 15n]);
    for (const i of [-1, 6]) {
      expect(() => regs.arg(i)).toThrow(`syscall argument ${i} does not exist`);
      expect(() => regs.setArg(i, 0n)).toThrow(`syscall argument ${i} does not exist`);
    }
    regs.setArg(5, 55n);
    regs.setArg(3, 33n);
    expect([t.hart.x64[15], t.hart.x64[13], t.origA0]).toEqual([55n, 33n, 42n]);
    regs.setArg(0, 1n);
    expect([t.hart.x64[10], t.origA0]).toEqual([1n, 1n]);
  });

  it("reads and writes FP registers as bits or doubles, and fcsr's 8 bits", () => {
    const t = bareTask(1);
    const regs = new Regs(t);
    regs.setF(3, -1n);
    expect(regs.f(3)).toBe(0xffffffffffffffffn);
    regs.setF(4, 0x3ff8000000000000n);
    expect(regs.fDouble(4)).toBe(1.5);
    regs.fcsr = 0x1e5;
    expect(regs.fcsr).toBe(0xe5);
    expect(t.hart.fcsr).toBe(0xe5);
  });
});

describe("Engine", () => {
  it("a nameless engine is named by its number; numbers grow", () => {
    const { ut, t } = setup();
    const a = ut.attachTask(t, UTRACE_ATTACH_CREATE, {}, null);
    const b = ut.attachTask(t, UTRACE_ATTACH_CREATE, {}, null);
    expect(a.name).toBe(`engine #${a.id}`);
    expect(b.id).toBe(a.id + 1);
    expect(ut.attachTask(t, UTRACE_ATTACH_CREATE, { name: "strace" }, null).name).toBe("strace");
  });

  it("release runs once, when the last reference goes; more puts change nothing", () => {
    const released: string[] = [];
    const { ut, t } = setup();
    const e = ut.attachTask(t, UTRACE_ATTACH_CREATE, { release: (d: string) => void released.push(d) }, "data");
    expect(e.refCount).toBe(2);
    e.put();
    expect(ut.control(t, e, UTRACE_DETACH)).toBe(0);
    ut.reportExec(t, { path: "/x", argv: [], envp: [] });
    expect([e.refCount, released]).toEqual([0, ["data"]]);
    e.put();
    expect([e.refCount, released]).toEqual([0, ["data"]]);
  });

  it("an engine without release is let go without error", () => {
    const { ut, t } = setup();
    const e = ut.attachTask(t, UTRACE_ATTACH_CREATE, {}, null);
    e.put();
    expect(ut.control(t, e, UTRACE_DETACH)).toBe(0);
    ut.reportExec(t, { path: "/x", argv: [], envp: [] });
    expect(e.refCount).toBe(0);
    expect(e.ops).toBe(null);
  });
});
