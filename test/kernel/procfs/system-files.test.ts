// The system-wide /proc files, from a ProcSource.
import { describe, expect, test } from "vitest";
import {
  cpuinfoText,
  loadavgText,
  meminfoText,
  mountinfoText,
  mountsText,
  statText,
  uptimeText,
} from "../../../src/kernel/procfs/system-files.js";
import { fakeProcess, fakeSource } from "./fake-source.js";

describe("meminfo", () => {
  const text = meminfoText(fakeSource());
  const kB = (k: string): number => Number(/^(\S+):\s+(\d+) kB$/m.exec(text.split("\n").find((l) => l.startsWith(k + ":")) ?? "")?.[2]);

  test("MemTotal is the memory the guest may hold, MemFree and MemAvailable what it does not hold", () => {
    expect(text.split("\n")[0]).toBe("MemTotal:          65536 kB");
    expect(kB("MemFree")).toBe(54 * 1024);
    expect(kB("MemAvailable")).toBe(54 * 1024);
    expect(kB("SwapTotal")).toBe(0);
  });

  test("every line is a name, a colon and a value", () => {
    for (const line of text.trimEnd().split("\n")) expect(line).toMatch(/^[A-Za-z_()]+:\s+\d+( kB)?$/);
  });
});

test("cpuinfo: one hart with the ISA string", () => {
  expect(cpuinfoText(fakeSource())).toBe("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv39\nmvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n");
});

test("stat: guest CPU time as user time, the rest of the uptime idle; boot time; counts", () => {
  const src = fakeSource([fakeProcess(), fakeProcess({ pid: 1001, cpuNs: 500_000_000n })]);
  const lines = statText(src).split("\n");
  // 3 s of CPU in 12.345 s of uptime: 300 ticks user, 934 idle.
  expect(lines[0]).toBe("cpu  300 0 0 934 0 0 0 0 0 0");
  expect(lines[1]).toBe("cpu0 300 0 0 934 0 0 0 0 0 0");
  expect(lines).toContain("btime 946684799");
  expect(lines).toContain("processes 1002");
  expect(lines).toContain("procs_running 1");
});

test("uptime: seconds since boot and idle seconds, two decimals", () => {
  expect(uptimeText(fakeSource())).toBe("12.34 9.84\n");
});

test("loadavg: no averages kept, the runnable and total tasks, the last pid", () => {
  expect(loadavgText(fakeSource())).toBe("0.00 0.00 0.00 1/3 1002\n");
});

describe("mounts", () => {
  test("/proc/mounts: guest paths with spaces escaped, never a host path", () => {
    expect(mountsText(fakeSource())).toBe("rootfs / rootfs ro,relatime 0 0\nrvtrace /work\\040dir ext4 rw,relatime 0 0\n");
  });

  test("mountinfo: ids, parents, the root of each mount is its own /", () => {
    expect(mountinfoText(fakeSource())).toBe(
      "21 1 0:21 / / ro,relatime - rootfs rootfs ro\n22 21 0:22 / /work\\040dir rw,relatime - ext4 rvtrace rw\n",
    );
  });
});
