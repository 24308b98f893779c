// The decoder's API as the strace engine uses it: names, unknown syscalls, error returns, notes,
// unfinished calls, JSON; and invariants over the syscall metadata table.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, opts, AT_FDCWD, E } from "./decode-helpers.js";
import {
  beginCall, callToJson, customDecoderNames, finishCall, syscallName, unfinishedCall,
} from "../../src/engines/strace/decode.js";
import { SYSCALL_META, TRACE_CLASSES, syscallMeta, syscallMetaByName, syscallsOfClass } from "../../src/abi/syscalls.js";
import { SYSCALL_NUMBERS } from "../../src/abi/gen/syscall-numbers.js";
import { SYSCALLS } from "../../src/kernel/syscalls/table.js";
import { ERRNO_MESSAGES, strerror } from "../../src/abi/errno-messages.js";

const m = new FakeMemory();

describe("names", () => {
  test("known numbers by name, others as strace's syscall_0x…", () => {
    expect(syscallName(56)).toBe("openat");
    expect(syscallName(258)).toBe("riscv_hwprobe");
    expect(syscallName(259)).toBe("riscv_flush_icache");
    expect(syscallName(0x979)).toBe("syscall_0x979");
    expect(syscallName(244)).toBe("syscall_0xf4");
  });

  test("unknown syscalls print six hex arguments", () => {
    expect(trace(m, 0x979, [1, 2, 3, 4, 5, 6], E.ENOSYS)).toBe("syscall_0x979(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, 500, [0, 0, 0, 0, 0, 0], 0)).toBe("syscall_0x1f4(0, 0, 0, 0, 0, 0) = 0");
  });
});

describe("return values", () => {
  test("errors with glibc's messages", () => {
    expect(trace(m, "close", [99], -9)).toBe("close(99) = -1 EBADF (Bad file descriptor)");
    expect(trace(m, "close", [99], -11)).toBe("close(99) = -1 EAGAIN (Resource temporarily unavailable)");
    expect(trace(m, "close", [99], -38)).toBe("close(99) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, "close", [99], -25)).toBe("close(99) = -1 ENOTTY (Inappropriate ioctl for device)");
    expect(trace(m, "close", [99], -4)).toBe("close(99) = -1 EINTR (Interrupted system call)");
    expect(trace(m, "close", [99], -133)).toBe("close(99) = -1 EHWPOISON (Memory page has hardware error)");
    expect(trace(m, "close", [99], -524)).toBe("close(99) = -1 ENOTSUPP (Unknown error 524)");
    expect(trace(m, "close", [99], -4000)).toBe("close(99) = -1 4000 (Unknown error 4000)");
  });

  test("restart codes print as `= ?`", () => {
    expect(trace(m, "read", [0, 0x7ffff72cf5cfn, 1], -512)).toBe("read(0, 0x7ffff72cf5cf, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    expect(trace(m, "read", [0, 0x7ffff72cf5cfn, 1], -513)).toBe("read(0, 0x7ffff72cf5cf, 1) = ? ERESTARTNOINTR (To be restarted)");
    expect(trace(m, "read", [0, 0x7ffff72cf5cfn, 1], -514)).toBe("read(0, 0x7ffff72cf5cf, 1) = ? ERESTARTNOHAND (To be restarted if no handler)");
    expect(trace(m, "read", [0, 0x7ffff72cf5cfn, 1], -516)).toBe("read(0, 0x7ffff72cf5cf, 1) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
  });

  test("values below -4095 are not errors", () => {
    expect(trace(m, "lseek", [3, 0, 2], -4096)).toBe("lseek(3, 0, SEEK_END) = -4096");
  });

  test("notes follow the return value", () => {
    expect(trace(m, "chdir", [m.str(".")], -2, { note: " (INJECTED)" })).toBe('chdir(".") = -1 ENOENT (No such file or directory) (INJECTED)');
    expect(trace(m, "getpid", [], 42, { note: " (INJECTED)" })).toBe("getpid() = 42 (INJECTED)");
  });

  test("strerror table", () => {
    expect(ERRNO_MESSAGES.length).toBe(134);
    expect(strerror(2)).toBe("No such file or directory");
    expect(strerror(9)).toBe("Bad file descriptor");
    expect(strerror(14)).toBe("Bad address");
    expect(strerror(41)).toBe("Unknown error 41");
    expect(strerror(200)).toBe("Unknown error 200");
  });
});

describe("unfinished calls", () => {
  test("the entry text is a prefix of the finished line", () => {
    const buf = m.alloc(new Uint8Array(16));
    const call = { nr: SYSCALL_NUMBERS.read, args: [3n, buf, 16n], mem: m };
    const p = beginCall(call, opts());
    expect(unfinishedCall(p)).toBe("read(3, ");
    m.write(buf, new TextEncoder().encode("hi"));
    const line = finishCall(p, call, 2n, opts());
    expect(line).toBe('read(3, "hi", 16) = 2');
    expect(line.slice(unfinishedCall(p).length)).toBe('"hi", 16) = 2');
  });

  test("calls decoded wholly at entry", () => {
    expect(entryOnly(m, "exit_group", [0])).toBe("exit_group(0");
    expect(entryOnly(m, "getpid", [])).toBe("getpid(");
    expect(entryOnly(m, "openat", [AT_FDCWD, m.str("/x"), 0])).toBe('openat(AT_FDCWD, "/x", O_RDONLY');
    expect(entryOnly(m, "pipe2", [m.alloc(new Uint8Array(8)), 0])).toBe("pipe2(");
    expect(entryOnly(m, 0x979, [1, 2, 3, 4, 5, 6])).toBe("syscall_0x979(0x1, 0x2, 0x3, 0x4, 0x5, 0x6");
  });
});

describe("JSON", () => {
  test("a finished call", () => {
    const p = m.str("/etc/passwd");
    const call = { nr: SYSCALL_NUMBERS.openat, args: [BigInt.asUintN(64, -100n), p, 0x80000n, 0n, 0n, 0n], mem: m };
    const o = opts();
    const pending = beginCall(call, o);
    expect(callToJson(pending, call, 3n, o)).toEqual({
      nr: 56, name: "openat", args: ["AT_FDCWD", '"/etc/passwd"', "O_RDONLY|O_CLOEXEC"],
      raw: ["0xffffffffffffff9c", `0x${p.toString(16)}`, "0x80000", "0"], retval: "3",
    });
    expect(callToJson(pending, call, -2n, o)).toEqual({
      nr: 56, name: "openat", args: ["AT_FDCWD", '"/etc/passwd"', "O_RDONLY|O_CLOEXEC"],
      raw: ["0xffffffffffffff9c", `0x${p.toString(16)}`, "0x80000", "0"], retval: "-1", errno: "ENOENT",
    });
  });

  test("before exit, out-parameters are unknown", () => {
    const call = { nr: SYSCALL_NUMBERS.read, args: [3n, 0x1000n, 10n], mem: m };
    const pending = beginCall(call, opts());
    expect(callToJson(pending, call, undefined, opts())).toEqual({ nr: 63, name: "read", args: ["3", "?", "10"], raw: ["0x3", "0x1000", "0xa"] });
    expect(callToJson(pending, call, -512n, opts())).toMatchObject({ retval: "?", errno: "ERESTARTSYS" });
  });
});

describe("metadata", () => {
  test("every riscv64 syscall has a row, with known classes", () => {
    expect(SYSCALL_META.length).toBe(Object.keys(SYSCALL_NUMBERS).length);
    for (const meta of SYSCALL_META) {
      expect(syscallMeta(meta.nr)).toBe(meta);
      expect(syscallMetaByName(meta.name)).toBe(meta);
      for (const c of meta.classes) expect(TRACE_CLASSES).toContain(c);
      expect(meta.args.length).toBeLessThanOrEqual(6);
      for (const a of meta.args) {
        if ("len" in a && a.len !== undefined) expect(a.len).toBeLessThan(6);
        if ("count" in a) expect(a.count).toBeLessThan(6);
      }
    }
  });

  test("classes as strace tags them", () => {
    const cls = (name: string): readonly string[] => syscallMetaByName(name)?.classes ?? [];
    expect(cls("openat")).toEqual(["%desc", "%file"]);
    expect(cls("read")).toEqual(["%desc"]);
    expect(cls("mmap")).toEqual(["%desc", "%memory"]);
    expect(cls("getpid")).toEqual(["%pure"]);
    expect(cls("getuid")).toEqual(["%creds", "%pure"]);
    expect(cls("clone")).toEqual(["%process"]);
    expect(cls("kill")).toEqual(["%signal", "%process"]);
    expect(cls("newfstatat")).toEqual(["%desc", "%file", "%fstat", "%%stat"]);
    expect(cls("statfs")).toEqual(["%file", "%statfs", "%%statfs"]);
    expect(cls("fstatfs")).toEqual(["%desc", "%fstatfs", "%%statfs"]);
    expect(cls("clock_gettime")).toEqual(["%clock"]);
    expect(cls("execve")).toEqual(["%file", "%process"]);
    expect(cls("socket")).toEqual(["%net"]);
    expect(cls("shmat")).toEqual(["%ipc", "%memory"]);
    expect(syscallsOfClass("%pure").map((x) => x.name).sort()).toEqual(["getegid", "geteuid", "getgid", "getpid", "getppid", "gettid", "getuid"]);
  });

  test("descriptor and path arguments are marked for -e trace-fds and -P", () => {
    const kinds = (name: string): string[] => (syscallMetaByName(name)?.args ?? []).map((a) => a.kind);
    expect(kinds("openat")).toEqual(["dirfd", "path", "flags", "mode"]);
    expect(kinds("read")).toEqual(["fd", "bufOut", "ulong"]);
    expect(kinds("renameat2")).toEqual(["dirfd", "path", "dirfd", "path", "flags"]);
    expect(kinds("mmap")[4]).toBe("fd");
  });

  test("every syscall the kernel implements decodes, from its row or a hand-written decoder", () => {
    const custom = new Set(customDecoderNames());
    const mem = new FakeMemory();
    const z = mem.alloc(new Uint8Array(4096));
    for (const row of SYSCALLS) {
      const meta = syscallMetaByName(row.name);
      expect(meta, row.name).toBeDefined();
      const generic = (meta?.args ?? []).every((a) => a.kind !== "hex");
      expect(custom.has(row.name) || generic, `${row.name} has a decoder`).toBe(true);
      for (const o of [{}, { verbose: true }, { constStyle: "raw" as const }, { constStyle: "verbose" as const }, { hexStrings: 2 as const, decodeFds: true }]) {
        expect(trace(mem, row.name, [z, 3, z, 8, z, 0], 0, { o }).startsWith(`${row.name}(`)).toBe(true);
        expect(trace(mem, row.name, [1, 2, 3, 4, 5, 6], -14, { o })).toContain(" = ");
      }
    }
  });

  test("no syscall's decoder throws on odd arguments", () => {
    const mem = new FakeMemory();
    const z = mem.alloc(new Uint8Array(8192).fill(0xff));
    for (const meta of SYSCALL_META) {
      for (const args of [[z, z, z, z, z, z], [-1, -1, -1, -1, -1, -1], [0, 0, 0, 0, 0, 0]]) {
        expect(() => trace(mem, meta.name, args, 0)).not.toThrow();
        expect(() => trace(mem, meta.name, args, -1, { o: { verbose: true } })).not.toThrow();
      }
    }
  });
});
