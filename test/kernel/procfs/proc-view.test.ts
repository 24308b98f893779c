// The kernel's side of /proc (kernel/proc-view.ts): what a real guest reads there, in a kernel.
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Kernel, type KernelOptions } from "../../../src/kernel/kernel.js";
import { isaString, memoryFigures, procSource } from "../../../src/kernel/proc-view.js";
import { GUESTS_DIR } from "../../utrace/helpers.js";

/** guests/bin/cat with these arguments, deterministic; its stdout. */
async function cat(files: string[], options: KernelOptions = {}): Promise<{ stdout: string; kernel: Kernel }> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  const kernel = new Kernel({ cwd: GUESTS_DIR, deterministic: true, ...options });
  const p = kernel.spawn("bin/cat", ["cat", ...files], { env: { A: "1" }, stdin: Readable.from([]), stdout: out, stderr: out });
  await p.wait();
  return { stdout: Buffer.concat(chunks).toString("latin1"), kernel };
}

describe("/proc of a running guest", () => {
  it("status, stat, cmdline and environ are the reader's own", async () => {
    const { stdout } = await cat(["/proc/self/status", "/proc/self/stat", "/proc/self/cmdline", "/proc/self/environ"]);
    expect(stdout.startsWith("Name:\tcat\nUmask:\t0022\nState:\tR (running)\nTgid:\t1000\nNgid:\t0\nPid:\t1000\nPPid:\t1\n")).toBe(true);
    expect(stdout).toContain("Uid:\t1000\t1000\t1000\t1000\n");
    expect(stdout).toMatch(/\n1000 \(cat\) R 1 1 1 0 -1 /);
    expect(stdout.endsWith("cat\0/proc/self/status\0/proc/self/stat\0/proc/self/cmdline\0/proc/self/environ\0A=1\0")).toBe(true);
  });

  it("maps names the program by its guest path, and the heap, stack and vdso pages", async () => {
    const { stdout } = await cat(["/proc/self/maps"]);
    const names = stdout.trimEnd().split("\n").map((l) => l.slice(73));
    expect(names[0]).toBe(`${GUESTS_DIR}/bin/cat`);
    expect(names).toContain("[stack]");
    expect(names).toContain("[vdso]");
  });

  it("meminfo's MemTotal is the memory limit, and sysinfo's figures are the same", async () => {
    const { stdout, kernel } = await cat(["/proc/meminfo"], { memoryLimit: 32 * 1024 * 1024 });
    expect(stdout.split("\n")[0]).toBe("MemTotal:          32768 kB");
    expect(memoryFigures(kernel).total).toBe(32 * 1024 * 1024);
    const { kernel: plain } = await cat([]);
    expect(memoryFigures(plain).total).toBe(4 * 1024 ** 3);
  });

  it("without a limit, the memory held is what is mapped with some access: PROT_NONE reservations are not", () => {
    const kernel = new Kernel({ cwd: GUESTS_DIR, deterministic: true });
    const p = kernel.spawn("bin/cat", ["cat"], { env: {}, stdin: Readable.from([]) });
    const before = memoryFigures(kernel).used;
    expect(before).toBe(p.mem.listMappings().reduce((n, m) => n + m.end - m.start, 0));
    p.mem.map(0x8000_0000, 256 * 1024 * 1024, 0, "");
    expect(memoryFigures(kernel).used).toBe(before);
    p.mem.map(0x9000_0000, 1024 * 1024, 3, "");
    expect(memoryFigures(kernel).used).toBe(before + 1024 * 1024);
    kernel.killProcess(p, 9);
  });

  it("mountinfo and mounts show guest paths only: the working directory, never a host device", async () => {
    const { stdout } = await cat(["/proc/self/mountinfo"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("21 1 0:21 / / ro,relatime - rootfs rootfs ro");
    expect(lines).toContain(`22 21 0:22 / ${GUESTS_DIR} rw,relatime - ext4 rvtrace rw`);
    expect(lines.slice(-5).map((l) => l.split(" ")[4])).toEqual(["/dev", "/tmp", "/dev/shm", "/proc", "/sys"]);
    // the private /tmp and /dev/shm are tmpfs mounts, /dev/shm inside /dev
    const [dev, tmp, shm] = lines.slice(-5).map((l) => l.split(" "));
    expect(tmp.slice(-3)).toEqual(["tmpfs", "tmpfs", "rw"]);
    expect(shm.slice(-3)).toEqual(["tmpfs", "tmpfs", "rw"]);
    expect(shm[1]).toBe(dev[0]);
  });

  it("a process that has ended is gone from /proc", async () => {
    const { kernel } = await cat([]);
    expect(procSource(kernel).pids()).toEqual([]);
    expect(procSource(kernel).process(1000)).toBeNull();
  });
});

it("the ISA string is what the instruction tables implement", () => {
  expect(isaString()).toBe("rv64imafdc_zicsr_zifencei");
});
