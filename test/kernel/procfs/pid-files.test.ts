// The /proc/PID text generators: the layouts Linux 6.1 prints, filled from a ProcProcess.
import { describe, expect, test } from "vitest";
import { limitsText, mapsText, statText, statmText, statusText } from "../../../src/kernel/procfs/pid-files.js";
import { RLIMIT_INFO } from "../../../src/kernel/rlimits.js";
import { fakeProcess } from "./fake-source.js";

describe("maps", () => {
  test("one line per mapping: range, rwxp/s, offset, device, inode, then the name at column 74", () => {
    const lines = mapsText(fakeProcess().mappings()).split("\n");
    expect(lines[0]).toBe("00010000-00012000 r-xp 00000000 00:00 0" + " ".repeat(34) + "/bin/prog");
    expect(lines[0].indexOf("/bin/prog")).toBe(73);
    expect(lines[2].endsWith(" [heap]")).toBe(true);
    // Anonymous memory: no name, and the line ends with the space after the inode, as Linux's does.
    expect(lines[3]).toBe("20000000-20001000 rw-s 00000000 00:00 0 ");
    expect(lines[4].startsWith("bf800000-c0000000 rw-p")).toBe(true);
    expect(lines[5]).toBe("");
    expect(lines).toHaveLength(6);
  });
});

describe("stat", () => {
  const p = fakeProcess();
  const fields = statText(p, null, -1).trimEnd().split(" ");

  test("52 fields, ending in a newline", () => {
    expect(fields).toHaveLength(52);
    expect(statText(p, null, -1).endsWith("\n")).toBe(true);
  });

  test("ids, comm in parentheses, state, times in clock ticks, threads, addresses", () => {
    expect(fields.slice(0, 8)).toEqual(["1000", "(prog)", "R", "1", "1000", "1000", "0", "-1"]);
    expect(fields[13]).toBe("250"); // utime: 2.5 s at 100 ticks a second
    expect(fields[17]).toBe("20"); // priority: 20 + nice
    expect(fields[19]).toBe("1"); // num_threads
    expect(fields[21]).toBe("100"); // starttime: 1 s after boot
    expect(fields[22]).toBe(String(0x2000 + 0x1000 + 0x2000 + 0x1000 + 0x800000)); // vsize
    expect(fields[25]).toBe(String(0x10000)); // startcode
    expect(fields[27]).toBe(String(0xbffff000)); // startstack
    expect(fields[31]).toBe(String(2)); // blocked: SIGINT's bit
    expect(fields[32]).toBe(String(1 << 12)); // ignored: SIGPIPE's bit
    expect(fields[37]).toBe("17"); // exit_signal
    expect(fields[46]).toBe(String(0x13000)); // start_brk
    expect(fields.slice(47, 51)).toEqual([0xbffff100, 0xbffff108, 0xbffff108, 0xbffff10c].map(String));
  });

  test("a thread's stat shows its own tid, state and time", () => {
    const t = { tid: 1001, state: "S", comm: "worker", cpuNs: 1_000_000_000n };
    const f = statText(fakeProcess({ threads: [...p.threads, t] }), t, -1).split(" ");
    expect(f.slice(0, 3)).toEqual(["1001", "(worker)", "S"]);
    expect(f[13]).toBe("100");
    expect(f[19]).toBe("2");
  });
});

describe("status", () => {
  const text = statusText(fakeProcess(), null);
  const get = (k: string): string | undefined => text.split("\n").find((l) => l.startsWith(k + ":"))?.slice(k.length + 2);

  test("ids, state, umask, groups and threads", () => {
    expect(text.startsWith("Name:\tprog\nUmask:\t0022\nState:\tR (running)\nTgid:\t1000\n")).toBe(true);
    expect(get("Pid")).toBe("1000");
    expect(get("PPid")).toBe("1");
    expect(get("Uid")).toBe("1000\t1000\t1000\t1000");
    expect(get("Groups")).toBe("1000 27 ");
    expect(get("Threads")).toBe("1");
  });

  test("sizes in kB from the mappings: the stack, the program's code, the data", () => {
    expect(get("VmStk")).toBe("    8192 kB");
    expect(get("VmExe")).toBe("       8 kB");
    // Writable private memory besides the stack: the program's data page and the heap.
    expect(get("VmData")).toBe("      12 kB");
    expect(get("VmSize")).toBe(`${String(8 + 4 + 8 + 4 + 8192).padStart(8)} kB`);
  });

  test("signal masks as 16 hex digits", () => {
    expect(get("SigBlk")).toBe("0000000000000002");
    expect(get("SigIgn")).toBe("0000000000001000");
    expect(get("SigCgt")).toBe("0000000000010000");
  });

  test("a name with a newline or a backslash is escaped", () => {
    const t = { tid: 1000, state: "R", comm: "a\nb\\c", cpuNs: 0n };
    expect(statusText(fakeProcess({ threads: [t] }), null).split("\n")[0]).toBe("Name:\ta\\nb\\\\c");
  });
});

test("statm: size resident shared text lib data dt, in pages", () => {
  // 2050 pages mapped, 3 of them the program's file (shared), 2 its code, 2 + 1 + 2048 data and stack.
  expect(statmText(fakeProcess())).toBe("2054 2054 3 2 0 2051 0\n");
});

test("limits: Linux's table, with unlimited for RLIM_INFINITY", () => {
  const lines = limitsText(fakeProcess().limits(), RLIMIT_INFO.slice(0, 2)).split("\n");
  expect(lines[0]).toBe("Limit                     Soft Limit           Hard Limit           Units     ");
  expect(lines[1]).toBe("Max cpu time              1                    2                    seconds   ");
  expect(lines[2]).toBe("Max file size             unlimited            unlimited            bytes     ");
});
