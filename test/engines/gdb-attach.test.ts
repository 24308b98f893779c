// `rvtrace run --gdb PORT`: the program runs at once and gdb attaches whenever it connects. The
// stub must stop every thread then (one spinning in user code, one blocked in a read), answer
// gdb's first `?` with a SIGTRAP stop naming the current thread (as gdbserver does after an
// attach), and from there on drive the program as under --gdb-wait. The guest prints a line
// before it spins or reads, and the tests connect only once that line is out.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { GUESTS, RspClient, leValue, startDebuggee } from "./gdb-client.js";

const DEMO = path.join(GUESTS, "bin", "gdb-demo");
const CLI = path.join(GUESTS, "..", "bin", "rvtrace.js");
const hex = (n: number | bigint) => n.toString(16);
const threadOf = (reply: string) => parseInt(/thread:([0-9a-f]+);/.exec(reply)![1], 16);

let spinning: number;
let workerTurns: number;

beforeAll(() => {
  ensureBuilt();
  const nm = execFileSync("riscv64-linux-gnu-nm", [DEMO], { encoding: "utf8" });
  const address = (name: string) => parseInt(nm.split("\n").find((l) => l.endsWith(` ${name}`))!.split(" ")[0], 16);
  spinning = address("spinning");
  workerTurns = address("worker_turns");
}, 120_000);

describe("gdb stub: attaching to a running program (--gdb)", () => {
  it("the program runs before gdb comes; connecting stops it in its loop with SIGTRAP; it goes on when told", async () => {
    const d = await startDebuggee(["bin/gdb-demo", "spin"], "--gdb");
    expect(d.stderr()).toMatch(/rvtrace: gdb can attach on 127\.0\.0\.1:\d+ \(in gdb: target remote :\d+\)/);
    await d.printed("spinning\n"); // it ran without gdb
    const c = await RspClient.connect(d.port);
    expect(await c.ask("qSupported:multiprocess+;swbreak+")).toMatch(/PacketSize=/);
    const stop = await c.ask("?");
    expect(stop).toMatch(/^T05thread:[0-9a-f]+;$/);
    const tid = threadOf(stop);
    expect(await c.ask("qfThreadInfo")).toBe(`m${hex(tid)}`);
    expect(await c.ask("qC")).toBe(`QC${hex(tid)}`);
    // stopped where the loop is: still spinning, the flag as the program left it
    expect(await c.ask(`m${hex(spinning)},4`)).toBe("01000000");
    expect(await c.ask(`M${hex(spinning)},4:00000000`)).toBe("OK");
    // a single step works on the attached thread: one instruction of the loop, which moves the pc
    const pc = leValue(await c.ask("p20"));
    c.send("s");
    expect(await c.next()).toBe(`T05thread:${hex(tid)};`);
    expect(leValue(await c.ask("p20"))).not.toBe(pc);
    c.send("c");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0); // rvtrace has ended: its output is all in
    expect(d.stdout()).toBe("spinning\nstopped spinning\n");
  });

  it("a thread blocked in read stops inside the call; the read goes on after the resume", async () => {
    const d = await startDebuggee(["bin/gdb-demo", "read"], "--gdb");
    await d.printed("reading\n");
    const c = await RspClient.connect(d.port);
    expect(await c.ask("?")).toMatch(/^T05thread:/);
    expect(leValue(await c.ask("p11"))).toBe(63n); // a7 (x17): the read syscall's number, 63
    c.send("c");
    d.child.stdin!.end("two\n");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0);
    expect(d.stdout()).toBe("reading\nread 4\n");
  });

  it("a thread asleep in nanosleep stops inside the call; resumed, it sleeps on instead of returning early", async () => {
    const d = await startDebuggee(["bin/gdb-demo", "sleep"], "--gdb");
    await d.printed("sleeping\n");
    const c = await RspClient.connect(d.port);
    expect(await c.ask("?")).toMatch(/^T05thread:/);
    const CLOCK_NANOSLEEP = 115n; // glibc's sleep() calls clock_nanosleep
    expect(leValue(await c.ask("p11"))).toBe(CLOCK_NANOSLEEP); // a7
    // resumed, the call is taken up again: stopped once more, it is still in it and nothing printed
    c.send("c");
    c.interrupt();
    expect(await c.next()).toMatch(/^T02thread:/);
    expect(leValue(await c.ask("p11"))).toBe(CLOCK_NANOSLEEP);
    expect(d.stdout()).toBe("sleeping\n");
    c.send("k");
    expect(await d.status).toBe(137);
  });

  it("every thread is stopped: three spinning threads, all listed, none moving while gdb looks", async () => {
    const d = await startDebuggee(["bin/gdb-demo", "spin-threads"], "--gdb");
    await d.printed("spinning threads\n"); // both workers are in their loops
    const c = await RspClient.connect(d.port);
    const current = threadOf(await c.ask("?"));
    const ids = (await c.ask("qfThreadInfo")).slice(1).split(",").map((x) => parseInt(x, 16));
    expect(ids).toHaveLength(3);
    expect(ids).toContain(current);
    // the workers' counters (two longs) stay as they are across gdb's questions: nobody runs
    const turns = await c.ask(`m${hex(workerTurns)},10`);
    for (const id of ids) {
      expect(await c.ask(`Hg${hex(id)}`)).toBe("OK");
      expect(await c.ask("p20")).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(await c.ask(`m${hex(workerTurns)},10`)).toBe(turns);
    expect(leValue(turns.slice(0, 16))).toBeGreaterThan(0n); // they had been running
    expect(leValue(turns.slice(16))).toBeGreaterThan(0n);
    expect(await c.ask(`M${hex(spinning)},4:00000000`)).toBe("OK");
    c.send("vCont;c");
    expect(await c.next()).toBe("W00");
    expect(await d.status).toBe(0);
    expect(d.stdout()).toBe("spinning threads\nworkers stopped\n");
  });

  it("Ctrl-C, D and k work after an attach as they do under --gdb-wait; after D another gdb can attach", async () => {
    const d = await startDebuggee(["bin/gdb-demo", "spin"], "--gdb");
    await d.printed("spinning\n");
    const c = await RspClient.connect(d.port);
    await c.ask("?");
    c.send("c");
    c.interrupt();
    expect(await c.next()).toMatch(/^T02thread:/);
    c.send("k");
    expect(await d.status).toBe(137);

    // after a detach the program spins on, and the next gdb attaches to it the same way
    const e = await startDebuggee(["bin/gdb-demo", "spin"], "--gdb");
    await e.printed("spinning\n");
    const g = await RspClient.connect(e.port);
    await g.ask("?");
    expect(await g.ask("D")).toBe("OK");
    g.close();
    const h = await RspClient.connect(e.port);
    expect(await h.ask("?")).toMatch(/^T05thread:/);
    expect(await h.ask(`m${hex(spinning)},4`)).toBe("01000000");
    expect(await h.ask(`M${hex(spinning)},4:00000000`)).toBe("OK");
    expect(await h.ask("D")).toBe("OK");
    h.close();
    expect(await e.status).toBe(0);
    expect(e.stdout()).toBe("spinning\nstopped spinning\n");
  });

  it("a program that ends before gdb comes ends rvtrace as usual, the port closed", () => {
    const r = spawnSync(process.execPath, [CLI, "run", "--gdb", "0", "bin/gdb-demo"], { cwd: GUESTS, encoding: "utf8" });
    expect(r.stdout).toBe("counter=41 ratio=7.50\n");
    expect(r.stderr).toMatch(/^rvtrace: gdb can attach on 127\.0\.0\.1:\d+/);
    expect(r.status).toBe(41);
  });

  it("--gdb and --gdb-wait together are a usage error; --gdb-wait checks its port", () => {
    const both = spawnSync(process.execPath, [CLI, "run", "--gdb", "0", "--gdb-wait", "0", "bin/hello"], { cwd: GUESTS, encoding: "utf8" });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^rvtrace: --gdb and --gdb-wait both name a port/);
    expect(both.stdout).toBe("");
    const bad = spawnSync(process.execPath, [CLI, "run", "--gdb-wait", "x", "bin/hello"], { cwd: GUESTS, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("rvtrace: --gdb-wait expects a TCP port number, got 'x'\n");
  });
});
