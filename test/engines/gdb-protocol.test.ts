// The gdb stub (src/engines/gdb) spoken to packet by packet, as gdb would: the stop before the
// first instruction, the target description, registers, memory with breakpoints hidden,
// breakpoints, single-step, Ctrl-C, signals passed or dropped, threads, kill.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { GUESTS, RspClient, leValue, startDebuggee, type Debuggee } from "./gdb-client.js";

const DEMO = path.join(GUESTS, "bin", "gdb-demo");
const CLI = path.join(GUESTS, "..", "bin", "rvtrace.js");
const REG_BYTES = 33 * 8 + 32 * 8 + 3 * 4; // x0…x31, pc, f0…f31, fflags, frm, fcsr

function symbols(): Map<string, number> {
  const out = execFileSync("riscv64-linux-gnu-nm", [DEMO], { encoding: "utf8" });
  const map = new Map<string, number>();
  for (const line of out.split("\n")) {
    const [addr, , name] = line.split(" ");
    if (name) map.set(name, parseInt(addr, 16));
  }
  return map;
}

const hex = (n: number | bigint) => n.toString(16);
const pcOf = async (c: RspClient) => leValue((await c.ask("p20")));
/** The thread id of a stop reply. */
const threadOf = (reply: string) => parseInt(/thread:([0-9a-f]+);/.exec(reply)![1], 16);

let sym: Map<string, number>;
let entry: bigint;

beforeAll(() => {
  ensureBuilt();
  sym = symbols();
  entry = readFileSync(DEMO).readBigUInt64LE(24);
}, 120_000);

async function session(args: string[]): Promise<{ d: Debuggee; c: RspClient }> {
  const d = await startDebuggee(["bin/gdb-demo", ...args]); // --gdb-wait: held at the entry
  const c = await RspClient.connect(d.port);
  return { d, c };
}

describe("gdb stub: the protocol", () => {
  it("holds the program at its entry point, before any output; describes riscv64 with FP registers", async () => {
    const { d, c } = await session([]);
    expect(await c.ask("qSupported:multiprocess+;swbreak+;xmlRegisters=i386")).toMatch(/qXfer:features:read\+/);
    const stop = await c.ask("?");
    expect(stop).toMatch(/^T05thread:[0-9a-f]+;$/);
    const xml = (await c.ask("qXfer:features:read:target.xml:0,fff")).slice(1);
    expect(xml).toContain("<architecture>riscv:rv64</architecture>");
    expect(xml).toContain('<feature name="org.gnu.gdb.riscv.fpu">');
    expect(xml.match(/<reg /g)).toHaveLength(68);
    const g = await c.ask("g");
    expect(g).toHaveLength(REG_BYTES * 2);
    expect(leValue(g.slice(32 * 16, 33 * 16))).toBe(entry); // pc
    expect(await pcOf(c)).toBe(entry);
    expect(d.stdout()).toBe("");
    // a short read of the target description continues with 'm' and ends with 'l'
    const first = await c.ask("qXfer:features:read:target.xml:0,10");
    expect(first[0]).toBe("m");
    expect(first.slice(1)).toBe(xml.slice(0, 16));
    c.send("c");
    expect(await c.next()).toBe("W29"); // counter = 41
    expect(await d.status).toBe(41);
  });

  it("reads and writes registers, including FP, with p/P and G", async () => {
    const { d, c } = await session([]);
    await c.ask("?");
    expect(await c.ask("P5=efbeadde00000000")).toBe("OK"); // t0
    expect(await c.ask("p5")).toBe("efbeadde00000000");
    expect(await c.ask("P0=0100000000000000")).toBe("OK"); // x0 stays zero
    expect(await c.ask("p0")).toBe("0000000000000000");
    const one = Buffer.alloc(8);
    one.writeDoubleLE(1.5);
    expect(await c.ask(`P2c=${one.toString("hex")}`)).toBe("OK"); // fa1 = f11 = register 33 + 11
    expect(await c.ask("p2c")).toBe(one.toString("hex"));
    expect(await c.ask("P43=e0000000")).toBe("OK"); // fcsr (67): frm 7, no flags
    expect(await c.ask("p42")).toBe("07000000"); // frm
    expect(await c.ask("p41")).toBe("00000000"); // fflags
    // G writes back what g read, changed in one place (t1)
    const g = await c.ask("g");
    const changed = g.slice(0, 6 * 16) + "2a00000000000000" + g.slice(7 * 16);
    expect(await c.ask(`G${changed}`)).toBe("OK");
    expect(await c.ask("p6")).toBe("2a00000000000000");
    expect(await c.ask("p44")).toBe("E16");
    c.send("k");
    expect(await d.status).toBe(137);
  });

  it("a software breakpoint stops at its address; memory reads show the original bytes; a step moves one instruction", async () => {
    const { d, c } = await session([]);
    await c.ask("?");
    const main = sym.get("main")!;
    const before = await c.ask(`m${hex(main)},8`);
    expect(await c.ask(`Z0,${hex(main)},2`)).toBe("OK");
    expect(await c.ask(`m${hex(main)},8`)).toBe(before);
    c.send("vCont;c");
    const stop = await c.next();
    expect(stop).toMatch(/^T05thread:/);
    expect(await pcOf(c)).toBe(BigInt(main));
    expect(d.stdout()).toBe("");
    // gdb's step over a breakpoint: remove it, step the thread, put it back
    expect(await c.ask(`z0,${hex(main)},2`)).toBe("OK");
    c.send(`vCont;s:${hex(threadOf(stop))}`);
    expect(await c.next()).toMatch(/^T05thread:/);
    const after = await pcOf(c);
    const len = (Buffer.from(before, "hex")[0] & 3) === 3 ? 4 : 2; // RVC instructions are 2 bytes
    expect(after).toBe(BigInt(main + len));
    c.send("c");
    expect(await c.next()).toBe("W29");
    expect(await d.status).toBe(41); // ended: all its output is in
    expect(d.stdout()).toBe("counter=41 ratio=7.50\n");
  });

  it("M writes guest memory, including code pages; unmapped memory is E0e", async () => {
    const { d, c } = await session([]);
    await c.ask("?");
    expect(await c.ask("m10,4")).toBe("E0e");
    const spinning = sym.get("spinning")!;
    expect(await c.ask(`m${hex(spinning)},4`)).toBe("01000000");
    expect(await c.ask(`M${hex(spinning)},4:07000000`)).toBe("OK");
    expect(await c.ask(`m${hex(spinning)},4`)).toBe("07000000");
    expect(await c.ask(`X${hex(spinning)},4:\x02\x00\x00\x00`)).toBe("OK");
    expect(await c.ask(`m${hex(spinning)},4`)).toBe("02000000");
    c.send("k");
    await d.status;
  });

  it("Ctrl-C stops a program spinning in user code with SIGINT; it goes on after memory is changed", async () => {
    const { d, c } = await session(["spin"]);
    await c.ask("?");
    c.send("c");
    // the program says when it enters its loop
    while (!d.stdout().includes("spinning\n")) await new Promise((r) => d.child.stdout!.once("data", r));
    c.interrupt();
    const stop = await c.next();
    expect(stop).toMatch(/^T02thread:/);
    const spinning = sym.get("spinning")!;
    expect(await c.ask(`M${hex(spinning)},4:00000000`)).toBe("OK");
    c.send("c");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0);
    expect(d.stdout()).toBe("spinning\nstopped spinning\n");
  });

  it("Ctrl-C stops a program blocked reading stdin; its read goes on after the stop", async () => {
    const { d, c } = await session(["read"]);
    await c.ask("?");
    c.send("c");
    while (!d.stdout().includes("reading\n")) await new Promise((r) => d.child.stdout!.once("data", r));
    c.interrupt();
    expect(await c.next()).toMatch(/^T02thread:/);
    c.send("c");
    d.child.stdin!.end("two\n");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0);
    expect(d.stdout()).toBe("reading\nread 4\n");
  });

  it("a signal is a stop reply with gdb's number; C passes it to the handler, c drops it", async () => {
    for (const [resume, out] of [["C1e", "handler got 10\nafter raise\n"], ["c", "after raise\n"]]) {
      const { d, c } = await session(["signal"]);
      await c.ask("?");
      c.send("c");
      expect(await c.next()).toMatch(/^T1ethread:/); // GDB_SIGNAL_USR1 is 30
      c.send(resume);
      expect(await c.next()).toBe("W00");
      expect(await d.status).toBe(0);
      expect(d.stdout()).toBe(out);
    }
  });

  it("a fatal signal: a T stop first; passed on, the program dies of it and gdb gets X with the signal", async () => {
    const d = await startDebuggee(["bin/exit-segv"]);
    const c = await RspClient.connect(d.port);
    await c.ask("?");
    c.send("c");
    expect(await c.next()).toMatch(/^T0bthread:/); // SIGSEGV is 11 for gdb too
    c.send("C0b");
    expect(await c.next()).toBe("X0b");
    expect(await d.status).toBe(139);
  });

  it("threads: a breakpoint hit in a new thread names it; the thread list has every thread; the others are held", async () => {
    const { d, c } = await session(["threads"]);
    const first = threadOf(await c.ask("?"));
    expect(await c.ask("qfThreadInfo")).toBe(`m${hex(first)}`);
    expect(await c.ask("qsThreadInfo")).toBe("l");
    const ready = sym.get("worker_ready")!;
    expect(await c.ask(`Z0,${hex(ready)},2`)).toBe("OK");
    c.send("vCont;c");
    const stop = await c.next();
    const worker = threadOf(stop);
    expect(worker).not.toBe(first);
    expect(await c.ask("T" + hex(worker))).toBe("OK");
    const list = (await c.ask("qfThreadInfo")).slice(1).split(",").map((x) => parseInt(x, 16));
    expect(list).toContain(first);
    expect(list).toContain(worker);
    expect(await c.ask(`Hg${hex(worker)}`)).toBe("OK");
    expect(await pcOf(c)).toBe(BigInt(ready));
    expect(await c.ask("qC")).toBe(`QC${hex(worker)}`);
    // held: nothing printed yet by the worker that stopped
    expect(d.stdout()).not.toContain("ready");
    expect(await c.ask(`z0,${hex(ready)},2`)).toBe("OK");
    c.send("c");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0);
    expect(d.stdout()).toContain("workers done: 2\n");
  });

  it("acks good packets with '+' and bad checksums with '-'; QStartNoAckMode ends the acks", async () => {
    const { d, c } = await session([]);
    c.raw("$?#00");
    c.raw("$?#3f");
    expect(await c.next()).toMatch(/^T05/);
    expect(c.acks).toEqual(["-", "+"]);
    expect(await c.ask("QStartNoAckMode")).toBe("OK");
    c.acks.length = 0;
    expect(await c.ask("qC")).toMatch(/^QC[0-9a-f]+$/);
    expect(c.acks).toEqual([]);
    c.send("k");
    expect(await d.status).toBe(137);
  });

  it("gdb going away without detaching ends the program; D lets it run to its end untraced", async () => {
    const a = await session(["spin"]);
    await a.c.ask("?");
    a.c.close();
    expect(await a.d.status).toBe(137);
    const b = await session([]);
    const main = sym.get("main")!;
    await b.c.ask("?");
    expect(await b.c.ask(`Z0,${hex(main)},2`)).toBe("OK");
    expect(await b.c.ask("D")).toBe("OK");
    b.c.close();
    expect(await b.d.status).toBe(41); // the breakpoint was taken out: no SIGTRAP
    expect(b.d.stdout()).toBe("counter=41 ratio=7.50\n");
  });

  it("a bad port or one in use is a one-line error, status 2, and the program does not run", async () => {
    const bad = spawnSync(process.execPath, [CLI, "run", "--gdb", "http", "bin/hello"], { cwd: GUESTS, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("rvtrace: --gdb expects a TCP port number, got 'http'\n");
    const { d, c } = await session([]);
    const busy = spawnSync(process.execPath, [CLI, "run", "--gdb", String(d.port), "bin/hello"], { cwd: GUESTS, encoding: "utf8" });
    expect(busy.status).toBe(2);
    expect(busy.stderr).toBe(`rvtrace: --gdb: cannot listen on 127.0.0.1:${d.port}: address already in use\n`);
    expect(busy.stdout).toBe("");
    c.send("k");
    await d.status;
  });
});
