// Debian's gdb-multiarch drives a guest under `rvtrace run --gdb-wait` in batch mode, as a user
// would: break at main, step into a function, print a local int and a float, set a variable, watch
// one, continue to the exit; and attaches, under `rvtrace run --gdb`, to a guest already running.
// guests/bin/gdb-demo is built with -g -O0 (guests/Makefile).
import { describe, it, expect, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { GUESTS, startDebuggee } from "./gdb-client.js";

beforeAll(ensureBuilt, 120_000);

/** The line number of a line of the guest's source (so edits to it do not break the steps). */
function lineOf(text: string): number {
  const lines = readFileSync(path.join(GUESTS, "src", "gdb-demo.c"), "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`no line ${text} in gdb-demo.c`);
  return i + 1;
}

interface Attach {
  /** gdb connects once the guest has printed this (it runs under --gdb, not held). */
  after: string;
  /** Given to the guest's stdin once gdb's output shows this (gdb has attached by then). */
  stdin?: { when: RegExp; text: string };
}

/** Runs gdb-multiarch -batch with `commands` against a debuggee; gdb's output and statuses. */
async function debug(guestArgs: string[], commands: string[], attach?: Attach) {
  const d = await startDebuggee(["bin/gdb-demo", ...guestArgs], attach ? "--gdb" : "--gdb-wait");
  if (attach) await d.printed(attach.after);
  const args = ["-nx", "-batch", "-ex", `target remote 127.0.0.1:${d.port}`];
  for (const c of commands) args.push("-ex", c);
  args.push(path.join(GUESTS, "bin", "gdb-demo"));
  const gdb = spawn("gdb-multiarch", args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let fed = false;
  gdb.stdout.on("data", (x) => {
    out += x;
    if (attach?.stdin && !fed && attach.stdin.when.test(out)) {
      fed = true;
      d.child.stdin!.end(attach.stdin.text);
    }
  });
  gdb.stderr.on("data", (x) => (out += x));
  const gdbStatus = await new Promise<number | null>((resolve) => gdb.on("close", resolve));
  return { out, gdbStatus, status: await d.status, stdout: d.stdout() };
}

describe("gdb-multiarch against rvtrace run --gdb", () => {
  it("break at main, step, print an int and a float, set a variable, continue to the exit", async () => {
    const r = await debug([], [
      "break main", "continue", "next",
      `tbreak gdb-demo.c:${lineOf("float ratio = 2.5f;")}`, "continue",
      "print counter", "next", "print ratio",      // counter set; then past `float ratio = 2.5f;`
      "step", "bt", "print x", "finish",          // into twice_plus_one(counter) and back
      "next", "next", "print ratio",              // the rest of that line, then `ratio = ratio * 3.0f;`
      "set var counter = 99",
      "continue",
    ]);
    expect(r.out).toMatch(/Breakpoint 1, main \(argc=1, argv=0x[0-9a-f]+\) at src\/gdb-demo\.c:\d+/);
    expect(r.out).toMatch(/\$1 = 20\n/);
    expect(r.out).toMatch(/\$2 = 2\.5\n/);
    expect(r.out).toMatch(/twice_plus_one \(x=20\) at src\/gdb-demo\.c:\d+/);
    expect(r.out).toMatch(/#1 +0x[0-9a-f]+ in main \(argc=1/);
    expect(r.out).toMatch(/\$3 = 20\n/);
    expect(r.out).toMatch(/Value returned is \$4 = 41\n/);
    expect(r.out).toMatch(/\$5 = 7\.5\n/);
    expect(r.out).toContain("[Inferior 1 (Remote target) exited with code 0143]"); // 99, in octal
    expect(r.stdout).toBe("counter=99 ratio=7.50\n");
    expect(r.status).toBe(99);
    expect(r.gdbStatus).toBe(0);
  });

  it("a (software) watchpoint reports the old and new values; registers and disassembly read", async () => {
    const r = await debug([], [
      "break twice_plus_one", "continue", "finish",
      "set can-use-hw-watchpoints 0", "watch counter", "continue", "delete",
      "info registers pc", "x/1i $pc", "print $fa0", "continue",
    ]);
    expect(r.out).toMatch(/Old value = 20\nNew value = 41\n/);
    expect(r.out).toMatch(/pc\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <main\+\d+>/);
    expect(r.out).toMatch(/=> 0x[0-9a-f]+ <main\+\d+>:\t\w+/);
    expect(r.out).toMatch(/\$\d+ = \{float = [^,]+, double = [^}]+\}/);
    expect(r.out).toContain("exited with code 051]");
    expect(r.status).toBe(41);
  });

  it("threads: a breakpoint in a worker, `info threads` lists the three", async () => {
    const r = await debug(["threads"], ["break worker_ready", "continue", "info threads", "delete", "continue"]);
    expect(r.out).toMatch(/Thread \d+ hit Breakpoint 1, worker_ready \(id=\d\)/);
    const rows = r.out.split("\n").filter((l) => /^\*? +\d+ +Thread \d+/.test(l));
    expect(rows).toHaveLength(3);
    expect(r.out).toContain("exited normally");
    expect(r.stdout).toContain("workers done: 2\n");
  });

  it("a signal stops the program in gdb; continue passes it to the handler", async () => {
    const r = await debug(["signal"], ["continue", "continue"]);
    expect(r.out).toContain("Program received signal SIGUSR1, User defined signal 1.");
    expect(r.stdout).toBe("handler got 10\nafter raise\n");
    expect(r.status).toBe(0);
  });

  it("a forked child and a vfork child run through the parent's breakpoints untraced", async () => {
    // execve is where posix_spawn's vfork child goes (on our memory); twice_plus_one runs in all three
    const r = await debug(["fork"], ["break execve", "break twice_plus_one", "continue", "continue"]);
    expect(r.out.match(/hit Breakpoint|^Breakpoint \d+, /gm)).toHaveLength(1);
    expect(r.out).toMatch(/Breakpoint 2, twice_plus_one \(x=2\)/);
    expect(r.out).toContain("exited normally");
    expect(r.stdout).toBe("fork child: 3\nspawned child: 7\nparent: 5\n");
  });
});

describe("gdb-multiarch attaching to a running guest (rvtrace run --gdb)", () => {
  it("attaches while it spins: print and set a global, break, step, print a local, continue to the exit", async () => {
    const r = await debug(["spin"], [
      "print spinning", "set var spinning = 0",
      `break gdb-demo.c:${lineOf('printf("stopped spinning')}`, "continue",
      "print turns > 0", "next", "continue",
    ], { after: "spinning\n" });
    // gdb's first stop is in main's loop, where the program was when gdb connected
    expect(r.out).toMatch(/main \(argc=2, argv=0x[0-9a-f]+\) at src\/gdb-demo\.c:\d+/);
    expect(r.out).toMatch(/\$1 = 1\n/);
    expect(r.out).toMatch(/Breakpoint 1, main \(argc=2/);
    expect(r.out).toMatch(/\$2 = 1\n/);
    expect(r.out).toContain("[Inferior 1 (Remote target) exited normally]");
    expect(r.stdout).toBe("spinning\nstopped spinning\n");
    expect(r.status).toBe(0);
    expect(r.gdbStatus).toBe(0);
  });

  it("attaches while it blocks in read: the backtrace reaches main, the read goes on after continue", async () => {
    const r = await debug(["read"], [
      "bt", `break gdb-demo.c:${lineOf('printf("read %zd')}`, "continue",
      "print n", "set var n = 9", "continue",
    ], { after: "reading\n", stdin: { when: /Breakpoint 1 at/, text: "two\n" } });
    expect(r.out).toMatch(/#\d+ +(0x[0-9a-f]+ in )?main \(argc=2/);
    expect(r.out).toMatch(/Breakpoint 1, main \(argc=2/);
    expect(r.out).toMatch(/\$1 = 4\n/);
    expect(r.out).toContain("exited normally");
    expect(r.stdout).toBe("reading\nread 9\n");
    expect(r.status).toBe(0);
  });
});
