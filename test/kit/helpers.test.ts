// The kit's helpers on a running guest: deny, replaceBuffer with its scratch memory (the guest's
// buffer untouched, the copy in no mapping the guest can list, gone and the register given back
// when the call returns), readString and readStruct.
import { describe, it, expect } from "vitest";
import {
  E, SYS, UTRACE_EVENT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_RESUMED, GuestFault,
  deny, replaceBuffer, readString, readStruct, structLayout, utraceSyscallAction,
} from "../../src/index.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { start, attach, untilStopped, GUESTS } from "../utrace/helpers-b.js";

const W = BigInt(SYS.write);

describe("deny", () => {
  it("skips the call and makes it fail with the errno; names work too", async () => {
    const run = start("cat", ["data/poem.txt", "data/inventory.csv"]);
    let denied = 0;
    attach(run, {
      reportSyscallEntry(action, eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== BigInt(SYS.openat)) return utraceSyscallAction(action) | UTRACE_RESUME;
        const path = readString(eng.task, regs.arg(1));
        if (path === "data/poem.txt") return deny(regs, E.EACCES) | UTRACE_RESUME;
        if (path === "data/inventory.csv") {
          denied++;
          return deny(regs, "ENOENT") | UTRACE_RESUME;
        }
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY);
    const st = await run.wait();
    expect(run.err()).toBe("cat: data/poem.txt: Permission denied\ncat: data/inventory.csv: No such file or directory\n");
    expect(run.out()).toBe("");
    expect(st.exitCode).toBe(1);
    expect(denied).toBe(1);
  });

  it("refuses what is not an errno", () => {
    const regs = { returnValue: 0n } as unknown as Parameters<typeof deny>[0];
    expect(() => deny(regs, 0)).toThrow(RangeError);
    expect(() => deny(regs, "EWHAT")).toThrow(RangeError);
    expect(() => deny(regs, 5000)).toThrow(RangeError);
  });
});

describe("replaceBuffer", () => {
  it("write gets other bytes; the guest's buffer is untouched; after the call the register is the guest's and the scratch is gone", async () => {
    const run = start("hello");
    let scratch = 0n;
    let guestBuf = 0n;
    let atExit: { a1: bigint; text: string } | null = null;
    const e = attach(run, {
      reportSyscallEntry(action, eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== W) return utraceSyscallAction(action) | UTRACE_RESUME;
        guestBuf = regs.arg(1);
        const text = "Bonjour, tout le monde !\n"; // longer than the guest's 14 bytes
        scratch = replaceBuffer(eng.task, 1, text);
        regs.setArg(2, BigInt(text.length));
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, eng, regs) {
        if (regs.syscallNumber !== W) return UTRACE_RESUME;
        // exit reports still see the scratch
        atExit = { a1: regs.arg(1), text: Buffer.from(eng.task.readBytes(regs.arg(1), Number(regs.returnValue))).toString() };
        return UTRACE_STOP; // hold the task where the call has returned to look at its registers
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    await untilStopped(run.task);
    expect(run.out()).toBe("Bonjour, tout le monde !\n");
    expect(atExit).toEqual({ a1: scratch, text: "Bonjour, tout le monde !\n" });
    expect(scratch).not.toBe(guestBuf);
    // the call has returned: a1 is the guest's pointer again, its bytes untouched, the scratch unmapped
    expect(run.task.hart.x64[11]).toBe(guestBuf);
    expect(readString(run.task, guestBuf)).toBe("Hello, world!\n");
    expect(() => run.task.readBytes(scratch, 1)).toThrow(GuestFault);
    expect(run.k.utrace.control(run.task, e, UTRACE_RESUME)).toBe(0);
    expect((await run.wait()).exitCode).toBe(0);
  });

  it("syscalls write into scratch (an out-buffer); the scratch is in no mapping the guest has", async () => {
    // cat data/poem.txt with each read made into scratch; the engine hands the bytes on itself
    const run = start("cat", ["data/poem.txt"]);
    const scratchAddrs: bigint[] = [];
    const inMappings: boolean[] = [];
    let guestReadBuf = 0n;
    attach(run, {
      reportSyscallEntry(action, eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
        if (regs.syscallNumber === BigInt(SYS.read) && regs.arg(0) === 3n) {
          guestReadBuf = regs.arg(1);
          const a = replaceBuffer(eng.task, 1, new Uint8Array(Number(regs.arg(2))));
          scratchAddrs.push(a);
          // what /proc/self/maps, mmap and fork go by
          inMappings.push(eng.task.process.mem.listMappings().some((m) => a >= BigInt(m.start) && a < BigInt(m.end)));
        }
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, eng, regs) {
        if (regs.syscallNumber === BigInt(SYS.read) && regs.arg(0) === 3n && regs.returnValue > 0n) {
          eng.task.writeBytes(guestReadBuf, eng.task.readBytes(regs.arg(1), Number(regs.returnValue)));
        }
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    const st = await run.wait();
    expect(run.err()).toBe("");
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe(readFileSync(path.join(GUESTS, "data", "poem.txt"), "utf8"));
    expect(scratchAddrs.length).toBeGreaterThanOrEqual(2); // the poem, then end of file
    expect(inMappings.every((x) => x === false)).toBe(true);
    // one call's scratch is gone before the next call's: the same address is reused
    expect(new Set(scratchAddrs).size).toBe(1);
  });
});

describe("readString and readStruct", () => {
  it("read guest memory without throwing: NULL and bad pointers are null", async () => {
    const run = start("hello");
    let seen: { str: string | null; nul: string | null; bad: string | null; st: unknown; badSt: unknown } | null = null;
    attach(run, {
      reportSyscallEntry(action, eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== W || seen) return utraceSyscallAction(action) | UTRACE_RESUME;
        const buf = regs.arg(1);
        seen = {
          str: readString(eng.task, buf),
          nul: readString(eng.task, 0n),
          bad: readString(eng.task, 0x10n),
          // "Hello, world!\n": H e l l o , ' ' w ...
          st: readStruct(eng.task, buf, { a: "u8", b: "u16", c: "u32", d: "i32" }),
          badSt: readStruct(eng.task, 0x10n, { a: "u64" }),
        };
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY);
    await run.wait();
    const bytes = Buffer.from("Hello, world!\n");
    expect(seen).toEqual({
      str: "Hello, world!\n",
      nul: null,
      bad: null,
      st: { a: bytes[0], b: bytes.readUInt16LE(2), c: bytes.readUInt32LE(4), d: bytes.readInt32LE(8) },
      badSt: null,
    });
  });

  it("lays structs out as C does on riscv64", () => {
    expect(structLayout({ a: "u8", b: "u16", c: "u32", d: "u64" })).toEqual({ offsets: { a: 0, b: 2, c: 4, d: 8 }, size: 16 });
    expect(structLayout({ tv_sec: "i64", tv_nsec: "long" })).toEqual({ offsets: { tv_sec: 0, tv_nsec: 8 }, size: 16 });
    expect(structLayout({ fd: "i32", events: "i16", revents: "i16" })).toEqual({ offsets: { fd: 0, events: 4, revents: 6 }, size: 8 });
    expect(structLayout({ p: "ptr", c: "u8" })).toEqual({ offsets: { p: 0, c: 8 }, size: 16 });
  });
});

describe("what the guest gets from a skipped call (docs/utrace.md)", () => {
  it("syscallNumber = -1 skips the call; with no result written, a0 still holds the first argument", async () => {
    const run = start("hello");
    const results: bigint[] = [];
    let skipped = false;
    attach(run, {
      reportSyscallEntry(action, _eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== W || skipped) return utraceSyscallAction(action) | UTRACE_RESUME;
        skipped = true;
        regs.syscallNumber = -1n;
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, _eng, regs) {
        if (results.length === 0 && skipped) results.push(regs.returnValue);
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    await run.wait();
    // write(1, "Hello, world!\n", 14) "returned" 1 (its fd): stdio then wrote the other 13 bytes
    expect(results).toEqual([1n]);
    expect(run.out()).toBe("ello, world!\n");
  });
});

describe("scratch memory across a restarted call", () => {
  it("a read interrupted by a signal (SA_RESTART) restarts with the guest's buffer register, and is redirected again", async () => {
    const run = start("restart", ["read", "sa_restart"]);
    const entries: { buf: bigint; scratch: bigint }[] = [];
    const results: bigint[] = [];
    attach(run, {
      reportSyscallEntry(action, eng, regs) {
        if (action & UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== BigInt(SYS.read) || regs.arg(0) !== 0n) {
          return utraceSyscallAction(action) | UTRACE_RESUME;
        }
        const buf = regs.arg(1);
        entries.push({ buf, scratch: replaceBuffer(eng.task, 1, new Uint8Array(Number(regs.arg(2)))) });
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, eng, regs) {
        if (regs.syscallNumber !== BigInt(SYS.read) || regs.arg(0) !== 0n) return UTRACE_RESUME;
        results.push(regs.returnValue);
        if (regs.returnValue > 0n) {
          eng.task.writeBytes(entries.at(-1)!.buf, eng.task.readBytes(regs.arg(1), Number(regs.returnValue)));
        }
        return UTRACE_RESUME;
      },
    }, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    const turns = async (cond: () => boolean) => {
      while (!cond()) await new Promise<void>((r) => setImmediate(r));
    };
    await turns(() => run.out().includes("ready\n") && run.task.state === "blocked");
    run.p.kill(10); // SIGUSR1: the handler runs, the read restarts
    await turns(() => entries.length === 2 && run.task.state === "blocked");
    run.stdin.write("hello\n");
    const st = await run.wait();
    expect(st.exitCode).toBe(0);
    expect(run.out()).toBe('ready\nread: 6 "hello\n", handled 1\n');
    expect(results).toEqual([-512n /* ERESTARTSYS */, 6n]);
    // the restarted call came in with the guest's own buffer, not the first call's scratch
    expect(entries[1].buf).toBe(entries[0].buf);
    expect(entries[0].scratch).not.toBe(entries[0].buf);
  });
});

describe("hidden pages of a released address space", () => {
  it("unmapping scratch after the space was released (a thread ending after an exec) touches nothing", async () => {
    const { AddressSpace } = await import("../../src/mem/address-space.js");
    const a = new AddressSpace();
    a.mapHidden(0xf000_0000, 4096);
    a.bytes[0xf000_0000] = 7;
    a.release(); // zeroes the hidden pages; the memory goes back to the pool
    const b = new AddressSpace(); // may get the same memory
    b.map(0xf000_0000, 4096, 3, "test");
    b.bytes[0xf000_0000] = 9;
    a.unmapHidden(0xf000_0000, 4096);
    expect(b.bytes[0xf000_0000]).toBe(9);
    expect(b.perms[0xf000_0000 >>> 12] & 3).toBe(3);
    expect(() => a.mapHidden(0xf000_1000, 4096)).toThrow(GuestFault);
    b.release();
  });
});
