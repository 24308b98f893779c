// Register slots of a process with many threads in turn (guests/src/thread-churn.c). Each running
// thread's registers live in a slot of its address space's memory, where WebAssembly regions reach
// them (src/cpu/hart.ts homeIn); there are 1024 slots. A thread without one still runs, in the
// interpreter only. The guest starts and joins 1100 threads one after another, then one that runs a
// hot loop: only if each ended thread gave its slot back (exit.ts reapTask, Hart.leaveHome) does
// that thread get a slot, and the compiled tier compile its loop.
//
// Looked at from the guest's own writes: the kernel writes a Writable stdout synchronously, in the
// write syscall, so the sink below sees the process as it is when the guest writes each line.
import { Readable, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { Kernel } from "../../src/kernel/kernel.js";
import type { Process } from "../../src/kernel/process.js";
import { jitConfig } from "../../src/cpu/interp.js";
import { jitCounters } from "../../src/cpu/jit.js";
import { REGISTER_SLOT_COUNT, type AddressSpace } from "../../src/mem/address-space.js";
import { GUESTS_DIR } from "../utrace/helpers.js";

const SLOTS = REGISTER_SLOT_COUNT;
const THREADS = 1100;
const HOT_ITERATIONS = 200000n;

/** How many register slots of `as` are taken: claims every free one, then gives them back. */
function slotsTaken(as: AddressSpace): number {
  const free: number[] = [];
  for (let s = as.claimRegisterSlot({ evictRegisters() {} }); s >= 0; s = as.claimRegisterSlot({ evictRegisters() {} })) free.push(s);
  for (const s of free) as.freeRegisterSlot(s);
  return SLOTS - free.length;
}

/** What the guest's hot thread prints: FNV-1a over 0 .. n-1, worked out here. */
function hotLine(): string {
  let h = 14695981039346656037n;
  for (let i = 0n; i < HOT_ITERATIONS; i++) h = BigInt.asUintN(64, (h ^ i) * 1099511628211n);
  return `hot thread: ${h.toString(16).padStart(16, "0")}\n`;
}

interface Seen {
  line: string;
  /** Register slots taken in the process's memory. */
  slots: number;
  /** Whether the newest thread is alive and homed in the process's memory. */
  newestAlive: boolean;
  newestHomed: boolean;
  regions: number;
}

const saved = { ...jitConfig };
afterEach(() => {
  Object.assign(jitConfig, saved);
});

describe("a process that starts and joins more threads than there are register slots", () => {
  it("runs to the end, with a handful of slots taken, and compiled code for a thread started after 1100 others", async () => {
    jitConfig.enabled = true;
    jitConfig.backend = "wasm";
    let p: Process | undefined;
    const seen: Seen[] = [];
    let out = "";
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString("latin1");
        out += text;
        const newest = p!.tasks.at(-1)!;
        seen.push({
          line: text,
          slots: slotsTaken(p!.mem),
          newestAlive: newest.state !== "dead",
          newestHomed: newest.hart.home === p!.mem,
          regions: jitCounters().regions,
        });
        done();
      },
    });
    const stderr = new Writable({ write: (_c, _e, done) => done() });
    const kernel = new Kernel({ cwd: GUESTS_DIR });
    p = kernel.spawn("bin/thread-churn", ["thread-churn", String(THREADS)], { env: {}, stdin: Readable.from([]), stdout, stderr });
    const status = await p.wait();

    expect(out).toBe(`joined ${THREADS} threads\n${hotLine()}done\n`);
    expect(status.exitCode).toBe(0);
    // Every thread the guest started, and the main one.
    expect(p.tasks.length).toBe(THREADS + 2);
    const [joined, hot] = seen;
    // After 1100 threads: the main thread's slot and perhaps one more not yet handed back; without
    // slots given back, all 1024 would be taken.
    expect(joined.slots).toBeLessThanOrEqual(3);
    // The hot thread, 1102nd task of the process, writes while it runs: it has a slot, and its loop
    // was compiled between the two lines (nothing else ran long enough to be compiled there).
    expect([hot.newestAlive, hot.newestHomed]).toEqual([true, true]);
    expect(hot.slots).toBeLessThanOrEqual(3);
    expect(hot.regions - joined.regions).toBeGreaterThan(0);
    // At the end every hart's registers are back in storage of its own.
    expect(p.tasks.filter((t) => t.hart.home !== null).length).toBe(0);
  });
});
