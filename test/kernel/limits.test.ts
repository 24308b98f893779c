// The limits a CI job sets (kernel/limits.ts, mem/memory-budget.ts, vfs/host-fds.ts), as the guest
// `limits` sees them: for each, a run that reaches it and one that does not, asserting what the
// guest got (ENOMEM, EAGAIN, EMFILE, ENFILE, the signal it died of) and the one line rvtrace says.
import { describe, expect, it } from "vitest";
import { Readable, Writable } from "node:stream";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kernel, type KernelOptions } from "../../src/kernel/kernel.js";
import { hostFdsHeld } from "../../src/kernel/vfs/host-fds.js";
import { HOST_WORK_PRICES } from "../../src/kernel/host-work.js";
import { ADDRESS_SPACE_WORK_PRICES } from "../../src/mem/address-space.js";
import { GUESTS_DIR } from "../utrace/helpers.js";

function sink(): { stream: Writable; text(): string; bytes(): number } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("latin1"), bytes: () => Buffer.concat(chunks).length };
}

interface Run {
  stdout: string;
  stderr: string;
  /** rvtrace's own lines (KernelOptions.diagnostics). */
  diag: string;
  exitCode: number | null;
  signal: number | null;
  kernel: Kernel;
}

async function run(args: string[], options: KernelOptions = {}): Promise<Run> {
  const out = sink();
  const err = sink();
  const diag = sink();
  const kernel = new Kernel({ cwd: GUESTS_DIR, diagnostics: diag.stream, ...options });
  const p = kernel.spawn("bin/limits", ["limits", ...args], { env: {}, stdin: Readable.from([]), stdout: out.stream, stderr: err.stream });
  const status = await p.wait();
  return { stdout: out.text(), stderr: err.text(), diag: diag.text(), exitCode: status.exitCode, signal: status.signal, kernel };
}

const MiB = 1024 * 1024;

describe("--memory-limit", () => {
  it("refuses a mapping larger than what is left with ENOMEM; one that fits is written whole", async () => {
    const refused = await run(["mmap", "8"], { memoryLimit: 4 * MiB });
    expect(refused.stdout).toBe("mmap 8 MiB: ENOMEM\n");
    expect(refused.exitCode).toBe(0);
    const fits = await run(["mmap", "8"], { memoryLimit: 12 * MiB });
    expect(fits.stdout).toBe("mmap 8 MiB: ok\nwrote 8 MiB\n");
    expect(fits.diag).toBe("");
  });

  it("refuses to grow the break past it with ENOMEM", async () => {
    expect((await run(["brk", "16"], { memoryLimit: 8 * MiB })).stdout).toBe("sbrk 16 MiB: ENOMEM\n");
    expect((await run(["brk", "4"], { memoryLimit: 8 * MiB })).stdout).toBe("sbrk 4 MiB: ok\nwrote 4 MiB\n");
  });

  it("kills with SIGKILL the process that writes a new page when none is left, and says so", async () => {
    const killed = await run(["oom", "7"], { memoryLimit: 12 * MiB });
    expect(killed.stdout).toBe("mapped 7 MiB twice\n");
    expect(killed.signal).toBe(9);
    expect(killed.diag).toBe("rvtrace: memory limit (12582912 bytes) reached: process 1000 killed with SIGKILL\n");
    const roomy = await run(["oom", "7"], { memoryLimit: 24 * MiB });
    expect(roomy.stdout).toBe("mapped 7 MiB twice\nwrote both\n");
    expect(roomy.exitCode).toBe(0);
  });

  it("kills only the process that went past it: its parent sees it killed by SIGKILL and goes on", async () => {
    const r = await run(["fork-oom", "7"], { memoryLimit: 12 * MiB });
    expect(r.stdout).toBe("mapped 7 MiB twice\nchild killed by signal 9\n");
    expect(r.exitCode).toBe(0);
    expect(r.diag).toMatch(/^rvtrace: memory limit \(12582912 bytes\) reached: process 1001 killed with SIGKILL\n$/);
  });

  it("makes fork fail with ENOMEM when the copy would not fit", async () => {
    expect((await run(["touch-fork", "4"], { memoryLimit: 6 * MiB })).stdout).toBe("fork: ENOMEM\n");
    expect((await run(["touch-fork", "4"], { memoryLimit: 12 * MiB })).stdout).toBe("child exited 0\n");
  });

  it("counts pipe buffers: pipe2 fails with ENOMEM when a buffer does not fit", async () => {
    const r = await run(["pipes", "1000"], { memoryLimit: 2 * MiB });
    expect(r.stdout).toMatch(/^pipes: up to 1000\npipes: \d+, then ENOMEM\n$/);
    const made = Number(/pipes: (\d+),/.exec(r.stdout)![1]);
    // 64 KiB each, beside the program's own pages.
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThan(32);
    expect((await run(["pipes", "100"], { memoryLimit: 16 * MiB })).stdout).toBe("pipes: up to 100\npipes: 100, then none\n");
  });

  it("gives everything back when the run ends, and counts nothing without a limit", async () => {
    for (const args of [["oom", "7"], ["fork-oom", "7"], ["touch-fork", "4"], ["pipes", "50"]]) {
      const r = await run(args, { memoryLimit: 12 * MiB });
      expect(r.kernel.memory!.used, args.join(" ")).toBe(0);
      expect(r.kernel.memory!.peak).toBeGreaterThan(0);
      expect(r.kernel.memory!.peak).toBeLessThanOrEqual(12 * MiB);
    }
    expect((await run(["mmap", "8"])).kernel.memory).toBeNull();
  });
});

describe("--max-procs", () => {
  it("makes fork fail with EAGAIN once N tasks are alive; below it every fork succeeds", async () => {
    expect((await run(["procs", "10"], { maxTasks: 4 })).stdout).toBe("children: 3, then EAGAIN\n");
    expect((await run(["procs", "10"], { maxTasks: 20 })).stdout).toBe("children: 10, then none\n");
  });
});

describe("--max-fds", () => {
  it("is RLIMIT_NOFILE's hard limit: shown by getrlimit, not raised even by root, EMFILE past it", async () => {
    const r = await run(["fds"], { maxFds: 100 });
    expect(r.stdout).toBe("RLIMIT_NOFILE: soft 100 hard 100\nraise hard to 101: EPERM\nraise soft to hard: ok\nopened 97, then EMFILE\n");
    const above = await run(["fds"], { maxFds: 2000 });
    expect(above.stdout).toBe("RLIMIT_NOFILE: soft 1024 hard 2000\nraise hard to 2001: EPERM\nraise soft to hard: ok\nopened 1997, then EMFILE\n");
  });
});

describe("--rlimit", () => {
  it("sets RLIMIT_NOFILE's soft and hard limits; the soft one bounds the descriptor table", async () => {
    const r = await run(["fds"], { rlimits: { 7: [200n, 300n] }, deterministic: true }); // uid 1000: not allowed to raise
    expect(r.stdout).toBe("RLIMIT_NOFILE: soft 200 hard 300\nraise hard to 301: EPERM\nraise soft to hard: ok\nopened 297, then EMFILE\n");
  });

  it("a lower hard limit than --max-fds stays; --max-fds still caps a higher one", async () => {
    expect((await run(["fds"], { rlimits: { 7: [50n, 60n] }, maxFds: 100 })).stdout).toMatch(/^RLIMIT_NOFILE: soft 50 hard 60\n/);
    expect((await run(["fds"], { rlimits: { 7: [500n, 600n] }, maxFds: 100 })).stdout).toMatch(/^RLIMIT_NOFILE: soft 100 hard 100\n/);
  });
});

describe("host descriptors held for guests", () => {
  it("past the cap, opens of host files fail with ENFILE; the count goes back when the run ends", async () => {
    const before = hostFdsHeld();
    const capped = await run(["open", "data/poem.txt", "100"], { maxHostFds: before + 20 });
    expect(capped.stdout).toBe("opened 20, then ENFILE\n");
    expect(hostFdsHeld()).toBe(before);
    const free = await run(["open", "data/poem.txt", "100"], { maxHostFds: before + 200 });
    expect(free.stdout).toBe("opened 100, then none\n");
    expect(hostFdsHeld()).toBe(before);
  });
});

describe("--max-output", () => {
  it("ends the run with SIGXFSZ once the guest writes past it; exactly the limit reaches the host", async () => {
    const out = sink();
    const diag = sink();
    const kernel = new Kernel({ cwd: GUESTS_DIR, diagnostics: diag.stream, maxOutput: 2500 });
    const p = kernel.spawn("bin/limits", ["limits", "output", "5000"], { env: {}, stdin: Readable.from([]), stdout: out.stream, stderr: out.stream });
    const status = await p.wait();
    expect(status.signal).toBe(25);
    expect(out.text()).toBe("x".repeat(2500));
    expect(diag.text()).toBe("rvtrace: output limit (2500 bytes) reached: guest killed with SIGXFSZ\n");
  });

  it("counts stdout and stderr together, and lets a guest that stays within it finish", async () => {
    const r = await run(["output", "5000"], { maxOutput: 5005 });
    expect(r.stdout).toBe("x".repeat(5000));
    expect(r.stderr).toBe("done\n");
    expect(r.exitCode).toBe(0);
    const over = await run(["output", "5000"], { maxOutput: 5004 });
    expect(over.stdout).toBe("x".repeat(5000));
    expect(over.stderr).toBe("done");
    expect(over.signal).toBe(25);
  });
});

describe("--timeout", () => {
  it("ends a guest that spins forever with SIGALRM, and says so", async () => {
    const r = await run(["spin"], { timeout: 1 });
    expect(r.signal).toBe(14);
    expect(r.diag).toBe("rvtrace: time limit (1 s) reached: guest killed with SIGALRM\n");
  });

  it("leaves a guest that ends in time alone", async () => {
    const r = await run(["pipes", "3"], { timeout: 600 });
    expect(r.exitCode).toBe(0);
    expect(r.diag).toBe("");
  });
});

describe("--max-insns counts host work done in syscalls", () => {
  const P = HOST_WORK_PRICES;

  it("charges bytes read by size", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-limits-"));
    try {
      writeFileSync(path.join(dir, "big"), Buffer.alloc(1 << 20, 7));
      const mounts = [{ host: dir, guest: "/big", readOnly: true }];
      const one = await run(["read", "/big/big", "1"], { mounts });
      const ten = await run(["read", "/big/big", "10"], { mounts });
      expect(ten.stdout).toBe(`read ${10 << 20} bytes\n`);
      // Nine more MiB read: at least their price, beside nine more opens' worth of other work.
      expect(ten.kernel.hostWork - one.kernel.hostWork).toBeGreaterThanOrEqual((9 << 20) / P.bytesPerUnit);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("charges directory listings by their number of entries, host calls included", async () => {
    const one = await run(["list", "bin", "1"]);
    const three = await run(["list", "bin", "3"]);
    const entries = Number(/listed (\d+)/.exec(one.stdout)![1]);
    expect(three.stdout).toBe(`listed ${3 * entries} entries\n`);
    expect(three.kernel.hostWork - one.kernel.hostWork).toBeGreaterThanOrEqual(2 * entries * (P.dirEntry + P.hostFsCall));
  });

  it("charges descriptor allocations and fork's copy", async () => {
    const few = await run(["procs", "1"]);
    const more = await run(["procs", "5"]);
    // Four more forks, each scanning at least the 8 MiB stack mapping.
    expect(more.kernel.hostWork - few.kernel.hostWork).toBeGreaterThan((4 * 8 * MiB) / P.scannedBytesPerUnit);
    const opened = await run(["open", "/dev/null", "500"]);
    const fewer = await run(["open", "/dev/null", "100"]);
    expect(opened.kernel.hostWork - fewer.kernel.hostWork).toBeGreaterThanOrEqual(400 * (P.fdAllocation + P.syscall));
  });

  it("charges the work on the list of mappings by its length (alternating protections make it long)", async () => {
    const short = await run(["maps", "300"]);
    const long = await run(["maps", "600"]);
    expect(long.stdout).toBe("split into 1200 mappings\n");
    // 1,000 mprotects each walk about 600 more mappings, beside the longer set-up.
    expect(long.kernel.hostWork - short.kernel.hostWork).toBeGreaterThan(1000 * 500 * ADDRESS_SPACE_WORK_PRICES.mapping);
  });

  it("under a memory limit, charges each page's first write (the host's page fault)", async () => {
    const without = await run(["mmap", "8"]);
    const limited = await run(["mmap", "8"], { memoryLimit: 64 * MiB });
    expect(limited.stdout).toBe(without.stdout);
    expect(limited.kernel.hostWork - without.kernel.hostWork).toBeGreaterThanOrEqual(2048 * ADDRESS_SPACE_WORK_PRICES.firstWrite);
  });

  it("ends a run whose instructions alone fit the budget once host work is counted", async () => {
    const free = await run(["list", "bin", "20"]);
    expect(free.exitCode).toBe(0);
    const instructions = free.kernel.instructions;
    const total = instructions + free.kernel.hostWork;
    expect(free.kernel.hostWork).toBeGreaterThan(instructions);
    const between = Math.floor((instructions + total) / 2);
    const cut = await run(["list", "bin", "20"], { maxInsns: between });
    expect(cut.signal).toBe(24);
    expect(cut.diag).toBe(`rvtrace: instruction limit (${between}) reached: guest killed with SIGXCPU\n`);
    const enough = await run(["list", "bin", "20"], { maxInsns: Math.ceil(total) + 1 });
    expect(enough.exitCode).toBe(0);
    expect(enough.stdout).toBe(free.stdout);
  });
});
