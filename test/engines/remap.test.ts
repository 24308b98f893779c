// Path remapping (src/engines/remap.ts): --remap GUEST=OTHER with real guests: paths rewritten at
// entry, results translated back at exit, the guest's stack and registers left as they were.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, utraceSyscallAction } from "../../src/index.js";
import { createRemapEngine, parseRemapRule, remapBack, remapForward } from "../../src/engines/remap.js";
import { createInjectEngine, parseInjectRule } from "../../src/engines/inject.js";
import { EngineOptionError } from "../../src/engines/common/errors.js";
import { GUESTS_DIR, spawnGuest, withTimeout, type Guest } from "../utrace/helpers.js";

const DATA = path.join(GUESTS_DIR, "data");
const tmp = mkdtempSync(path.join(os.tmpdir(), "rvtrace-remap-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

class Sink extends Writable {
  text = "";
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += c.toString();
    cb();
  }
}

/** A kernel that also mounts the temporary directory (read-write) at its own path. */
function kernelWithTmp(): Kernel {
  return new Kernel({ cwd: GUESTS_DIR, mounts: [{ host: tmp, guest: tmp, readOnly: false }], diagnostics: new Sink() });
}

async function run(name: string, args: string[], remaps: string[], setup?: (g: Guest) => void) {
  const g = spawnGuest(name, args, { kernel: kernelWithTmp() });
  createRemapEngine(g.kernel, remaps.map((r) => parseRemapRule(r))).attach(g.task);
  setup?.(g);
  const status = await withTimeout(g.proc.wait(), `${name} to end`);
  return { status, stdout: g.stdout(), stderr: g.stderr() };
}

describe("parsing and matching", () => {
  it("parses GUEST=OTHER and refuses what is not", () => {
    expect(parseRemapRule("/data/=guests/data")).toMatchObject({ guest: "/data", other: "guests/data" });
    expect(parseRemapRule("/a/./b/../c=/x")).toMatchObject({ guest: "/a/c" });
    const err = (s: string) => {
      try {
        parseRemapRule(s);
        return "no error";
      } catch (e) {
        return e instanceof EngineOptionError ? e.message : String(e);
      }
    };
    expect(err("/data")).toBe("--remap /data: expected GUEST_PREFIX=OTHER_PREFIX");
    expect(err("data=/x")).toBe("--remap data=/x: the guest prefix must be an absolute path");
    expect(err("/data=")).toBe("--remap /data=: the other prefix is empty");
  });

  it("matches component-wise after folding . and .., longest prefix first", () => {
    const maps = [{ guest: "/data", other: "/real/d" }, { guest: "/data/sub", other: "/elsewhere" }, { guest: "/", other: "/root" }];
    const two = maps.slice(0, 2);
    expect(remapForward(two, "/data")).toBe("/real/d");
    expect(remapForward(two, "/data/x/y")).toBe("/real/d/x/y");
    expect(remapForward(two, "/database")).toBeUndefined();
    expect(remapForward(two, "/data/../data/x")).toBe("/real/d/x");
    expect(remapForward(two, "/data/../etc")).toBeUndefined();
    expect(remapForward(two, "//data//x/./")).toBe("/real/d/x/");
    expect(remapForward(two, "/data/sub/z")).toBe("/elsewhere/z");
    expect(remapForward(two, "data/x")).toBeUndefined();
    expect(remapForward(maps, "/etc/passwd")).toBe("/root/etc/passwd");
    expect(remapForward(maps, "/")).toBe("/root");
    expect(remapBack(two, "/real/d/x")).toBe("/data/x");
    expect(remapBack(two, "/real/dx")).toBeUndefined();
    expect(remapBack(two, "/elsewhere")).toBe("/data/sub");
    expect(remapBack(maps, "/root")).toBe("/");
  });
});

describe("remapping real guests", () => {
  it("cat /data/poem.txt reads guests/data/poem.txt", async () => {
    const r = await run("cat", ["/data/poem.txt"], [`/data=${DATA}`]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^The emulator hums/);
    expect(r.status.exitCode).toBe(0);
  });

  it("without the remap /data does not exist; /database is not under /data", async () => {
    const plain = spawnGuest("cat", ["/data/poem.txt"]);
    await withTimeout(plain.proc.wait(), "cat");
    expect(plain.stderr()).toBe("cat: /data/poem.txt: No such file or directory\n");
    const r = await run("ix-paths", ["stat:/database", "stat:/data", "stat:/data/", "stat:/data/../data/poem.txt"], [`/data=${DATA}`]);
    expect(r.stdout).toBe("stat: No such file or directory\nstat /data: dir\nstat /data/: dir\nstat /data/../data/poem.txt: file\n");
  });

  it("a relative OTHER prefix is taken from the guest's working directory", async () => {
    const r = await run("cat", ["/data/poem.txt"], ["/data=data"]);
    expect(r.stdout).toMatch(/^The emulator hums/);
  });

  it("getcwd under a remapped working directory translates back, with the guest's size limit", async () => {
    const r = await run("ix-paths", ["cd:/data", "pwd", "cat:poem.txt", "pwdn:6", "pwdn:5", "ls:."], [`/data=${DATA}`]);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("cd /data: ok");
    expect(lines[1]).toBe("pwd: /data");
    expect(lines[2]).toBe("cat poem.txt: The emulator hums in the dark of the night,");
    // ls counts the directory's entries: whatever guests/data holds.
    expect(r.stdout).toContain(`\npwdn: /data\npwdn: Numerical result out of range\nls .: ${readdirSync(DATA).length} entries\n`);
  });

  it("longest guest prefix wins", async () => {
    const r = await run("ix-paths", ["cat:/d/x/poem.txt", "stat:/d/bin"], [`/d=${GUESTS_DIR}`, `/d/x=${DATA}`]);
    expect(r.stdout).toMatch(/^cat \/d\/x\/poem.txt: The emulator hums/);
    expect(r.stdout).toContain("stat /d/bin: dir\n");
  });

  it("remapping / works like a chroot of the absolute paths", async () => {
    const r = await run("ix-paths", ["cat:/data/poem.txt", "cd:/", "pwd"], [`/=${GUESTS_DIR}`]);
    expect(r.stdout).toMatch(/^cat \/data\/poem.txt: The emulator hums/);
    expect(r.stdout).toContain("cd /: ok\npwd: /\n");
  });

  it("symlinkat, readlinkat, renameat2, unlinkat, mkdirat under a remap; targets and results translated", async () => {
    writeFileSync(path.join(tmp, "t.txt"), "target text\n");
    const r = await run("ix-paths", [
      "ln:/w/t.txt:/w/link", "readlink:/w/link", "readlinkn:/w/link:4", "cat:/w/link",
      "mv:/w/link:/w/link2", "stat:/w/link2", "mkdir:/w/d", "stat:/w/d", "rmdir:/w/d",
    ], [`/w=${tmp}`]);
    expect(r.stdout).toBe([
      "ln /w/link -> /w/t.txt: ok",
      "readlink /w/link: /w/t.txt (8)",
      "readlinkn /w/link: /w/t (4)",
      "cat /w/link: target text",
      "mv /w/link /w/link2: ok",
      "stat /w/link2: file",
      "mkdir /w/d: ok",
      "stat /w/d: dir",
      "rmdir /w/d: ok",
      "",
    ].join("\n"));
    // On the host, the link holds the real path (the kernel resolves it without the engine).
    expect(readlinkSync(path.join(tmp, "link2"))).toBe(path.join(tmp, "t.txt"));
    expect(existsSync(path.join(tmp, "d"))).toBe(false);
    const r2 = await run("ix-paths", ["rm:/w/link2"], [`/w=${tmp}`]);
    expect(r2.stdout).toBe("rm /w/link2: ok\n");
    expect(() => lstatSync(path.join(tmp, "link2"))).toThrow();
  });

  it("readlink of /proc/self/exe is translated back", async () => {
    const r = await run("ix-paths", ["readlink:/proc/self/exe"], [`/g=${GUESTS_DIR}`]);
    expect(r.stdout).toBe("readlink /proc/self/exe: /g/bin/ix-paths (15)\n");
  });
});

describe("transparency", () => {
  it("engines attached after the remap see the guest's paths, pointers, stack and results", async () => {
    const g = spawnGuest("ix-paths", ["cd:/data", "cat:/data/poem.txt", "pwd"], { kernel: kernelWithTmp() });
    const inner: string[] = [];
    // attached first = farther from the guest: at entry it runs after the remap and sees the real paths
    const below = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportSyscallEntry(action, engine, regs) {
        if (regs.syscallNumber === 56n || regs.syscallNumber === 49n) inner.push(engine.task.readCString(regs.arg(regs.syscallNumber === 56n ? 1 : 0)));
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, below, UTRACE_EVENT.SYSCALL_ENTRY);
    createRemapEngine(g.kernel, [parseRemapRule(`/data=${DATA}`)]).attach(g.task);
    const outer: string[] = [];
    const problems: string[] = [];
    let entry: { nr: bigint; args: bigint[]; sp: bigint; stack: Uint8Array } | null = null;
    const above = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportSyscallEntry(action, engine, regs) {
        const t = engine.task;
        const sp = regs.sp;
        entry = { nr: regs.syscallNumber, args: [0, 1, 2, 3, 4, 5].map((i) => regs.arg(i)), sp, stack: t.readBytes(sp - 16384n, 16384) };
        if (regs.syscallNumber === 56n) outer.push(`openat ${t.readCString(regs.arg(1))}`);
        if (regs.syscallNumber === 49n) outer.push(`chdir ${t.readCString(regs.arg(0))}`);
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, engine, regs) {
        const e = entry;
        if (!e || e.nr === 139n) return UTRACE_RESUME; // rt_sigreturn reloads everything
        const t = engine.task;
        for (let i = 1; i < 6; i++) if (regs.arg(i) !== e.args[i]) problems.push(`nr ${e.nr}: a${i} changed`);
        if (regs.arg(0) !== e.args[0]) problems.push(`nr ${e.nr}: orig_a0 changed`);
        const now = t.readBytes(e.sp - 16384n, 16384);
        if (Buffer.compare(Buffer.from(now), Buffer.from(e.stack)) !== 0) problems.push(`nr ${e.nr}: stack below sp changed`);
        if (e.nr === 17n && regs.returnValue > 0n) outer.push(`getcwd ${t.readCString(e.args[0])} = ${regs.returnValue}`);
        return UTRACE_RESUME;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, above, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    await withTimeout(g.proc.wait(), "guest");
    expect(problems).toEqual([]);
    expect(outer).toEqual(["chdir /data", "openat /data/poem.txt", "getcwd /data = 6"]);
    expect(inner).toEqual([`${DATA}`, `${DATA}/poem.txt`]);
    expect(g.stdout()).toContain("pwd: /data\n");
  });

  it("an injection attached after the remap matches the guest's paths", async () => {
    const g = spawnGuest("cat", ["/data/poem.txt", "/data/inventory.csv"], { kernel: kernelWithTmp() });
    createRemapEngine(g.kernel, [parseRemapRule(`/data=${DATA}`)]).attach(g.task);
    createInjectEngine(g.kernel, [parseInjectRule("openat:error=EACCES:path=/data/*.csv", "inject")]).attach(g.task);
    await withTimeout(g.proc.wait(), "guest");
    expect(g.stdout()).toMatch(/^The emulator hums/);
    expect(g.stderr()).toBe("cat: /data/inventory.csv: Permission denied\n");
  });
});
