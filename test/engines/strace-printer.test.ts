// The strace printer's line assembly (src/engines/strace/printer.ts): the return column, the
// leader (pid column, -t/-tt/-ttt, -r), -T, and strace's "<unfinished ...>" / "<... resumed>"
// interleaving of several tasks, with a fixed clock. Expected bytes are strace 6.1's.
import { describe, expect, it } from "vitest";
import { LinePrinter, formatSeconds, splitCallLine, type PrinterOptions, type TraceClock, type TraceSink } from "../../src/engines/strace/printer.js";

class Buf implements TraceSink {
  text = "";
  write(t: string): void {
    this.text += t;
  }
  flush(): void {}
  close(): void {}
}

/** A clock that advances 1.5 ms (monotonic) per reading, from a fixed epoch time. */
function fakeClock(): TraceClock & { t: bigint } {
  const c = {
    t: 0n,
    realtimeNs: () => 1_700_000_000_123_456_789n + c.t,
    monotonicNs: () => {
      c.t += 1_500_000n;
      return 5_000_000_000n + c.t;
    },
    cpuNs: () => 0n,
  };
  return c;
}

const base: PrinterOptions = { acolumn: 40, absolute: null, relative: null, pidColumn: "auto", separate: false, staged: false };

function printer(opts: Partial<PrinterOptions> = {}, tasks = 1) {
  const out = new Buf();
  const count = { n: tasks };
  const p = new LinePrinter({ ...base, ...opts }, () => out, fakeClock(), () => count.n);
  return { p, out, count };
}

describe("the return column", () => {
  it("pads 'name(args) ' so that '=' lands at column 40, or uses one space when longer", () => {
    const { p, out } = printer();
    p.enter(1, "close", () => "close(3");
    p.finish(1, "close(3)", "= 0");
    p.enter(1, "write", () => "write(1, ");
    p.finish(1, 'write(1, "a long string that goes well pas"..., 44)', "= 44");
    p.enter(1, "x", () => "x(");
    p.finish(1, "x(0123456789012345678901234567890123456)", "= 1");
    p.enter(1, "x", () => "x(");
    p.finish(1, "x(01234567890123456789012345678901234567)", "= 1");
    expect(out.text).toBe(
      "close(3)                                = 0\n" +
        'write(1, "a long string that goes well pas"..., 44) = 44\n' +
        "x(0123456789012345678901234567890123456) = 1\n" +
        "x(01234567890123456789012345678901234567) = 1\n",
    );
    expect(out.text.split("\n")[0].indexOf("=")).toBe(40);
  });
  it("-a0 gives one space; -a N counts the leader too", () => {
    const a0 = printer({ acolumn: 0 });
    a0.p.enter(1, "getpid", () => "getpid(");
    a0.p.finish(1, "getpid()", "= 1000");
    expect(a0.out.text).toBe("getpid() = 1000\n");
    const f = printer({ acolumn: 20, pidColumn: "always" });
    f.p.enter(1000, "getpid", () => "getpid(");
    f.p.finish(1000, "getpid()", "= 1000", " <0.000010>");
    expect(f.out.text).toBe("1000  getpid()      = 1000 <0.000010>\n");
  });
  it("calls that do not return end in '= ?', with ' <unfinished ...>' unless decoded at entry", () => {
    const { p, out } = printer();
    p.enter(1, "exit_group", () => "exit_group(0");
    p.finishNoReturn(1, true);
    p.enter(1, "read", () => "read(0, ");
    p.finishNoReturn(1, false);
    expect(out.text).toBe("exit_group(0)                           = ?\nread(0,  <unfinished ...>)              = ?\n");
  });
});

describe("the leader", () => {
  it("-t, -tt, -ttt and -r stamp the entry; -r with -t is '(+ d) '", () => {
    process.env.TZ = "UTC";
    const t = printer({ absolute: { format: "time", precision: 0 }, acolumn: 0 });
    t.p.enter(1, "getpid", () => "getpid(");
    t.p.finish(1, "getpid()", "= 1");
    expect(t.out.text).toBe("22:13:20 getpid() = 1\n");
    const tt = printer({ absolute: { format: "time", precision: 6 }, acolumn: 0 });
    tt.p.line(1, "+++ exited with 0 +++");
    expect(tt.out.text).toBe("22:13:20.123456 +++ exited with 0 +++\n");
    const ttt = printer({ absolute: { format: "unix", precision: 6 }, acolumn: 0 });
    ttt.p.line(1, "x");
    expect(ttt.out.text).toBe("1700000000.123456 x\n");
    const r = printer({ relative: 6, acolumn: 0 });
    r.p.line(1, "a");
    r.p.line(1, "b");
    expect(r.out.text).toBe("     0.000000 a\n     0.001500 b\n");
    const tr = printer({ relative: 3, absolute: { format: "unix", precision: 0 }, acolumn: 0 });
    tr.p.line(1, "a");
    expect(tr.out.text).toBe("1700000000 (+     0.000) a\n");
  });
  it("'[pid %5u] ' appears on stderr only while several tasks are traced", () => {
    const { p, out, count } = printer({ acolumn: 0 }, 2);
    p.line(1001, "+++ exited with 0 +++");
    count.n = 1;
    p.line(1000, "+++ exited with 0 +++");
    expect(out.text).toBe("[pid  1001] +++ exited with 0 +++\n+++ exited with 0 +++\n");
  });
});

describe("several tasks", () => {
  it("cuts an open call with ' <unfinished ...>' and resumes it with '<... name resumed>'", () => {
    // strace 6.1 -f on two threads: the reader blocks while the main thread sleeps and writes.
    const { p, out } = printer({}, 2);
    p.enter(11, "read", () => "read(3, ");
    p.enter(10, "write", () => "write(4, ");
    p.finish(10, 'write(4, "hello", 5)', "= 5");
    p.finish(11, 'read(3, "hello", 10)', "= 5");
    p.enter(11, "exit", () => "exit(0");
    p.finishNoReturn(11, true);
    expect(out.text).toBe(
      "[pid    11] read(3,  <unfinished ...>\n" +
        '[pid    10] write(4, "hello", 5)        = 5\n' +
        '[pid    11] <... read resumed>"hello", 10) = 5\n' +
        "[pid    11] exit(0)                     = ?\n",
    );
  });
  it("a signal or exit line of another task cuts the open call too", () => {
    const { p, out } = printer({ acolumn: 0 }, 2);
    p.enter(11, "read", () => "read(3, ");
    p.line(10, "--- SIGCHLD {si_signo=SIGCHLD} ---");
    p.finishNoReturn(11, false);
    expect(out.text).toBe(
      "[pid    11] read(3,  <unfinished ...>\n[pid    10] --- SIGCHLD {si_signo=SIGCHLD} ---\n[pid    11] <... read resumed> <unfinished ...>) = ?\n",
    );
  });
  it("-e status= stages whole lines (never cut); -ff gives each task its own file", () => {
    const staged = printer({ acolumn: 0, staged: true }, 2);
    staged.p.enter(11, "read", () => "read(3, ");
    staged.p.enter(10, "getpid", () => "getpid(");
    staged.p.finish(10, "getpid()", "= 10");
    staged.p.finish(11, 'read(3, "x", 1)', "= 1");
    expect(staged.out.text).toBe('[pid    10] getpid() = 10\n[pid    11] read(3, "x", 1) = 1\n');
    const sinks = new Map<number, Buf>();
    const sep = new LinePrinter({ ...base, acolumn: 0, separate: true, pidColumn: "none" }, (tid) => {
      if (!sinks.has(tid)) sinks.set(tid, new Buf());
      return sinks.get(tid)!;
    }, fakeClock(), () => 2);
    sep.enter(11, "read", () => "read(3, ");
    sep.enter(10, "getpid", () => "getpid(");
    sep.finish(10, "getpid()", "= 10");
    sep.finish(11, 'read(3, "x", 1)', "= 1");
    expect(sinks.get(10)!.text).toBe("getpid() = 10\n");
    expect(sinks.get(11)!.text).toBe('read(3, "x", 1) = 1\n');
  });
});

describe("a task whose id changes (a thread's exec takes over the leader's tid)", () => {
  it("ends the open line with ' <pid changed to P ...>' in the old place; the call resumes under P", () => {
    const sinks = new Map<number, Buf>();
    const sep = new LinePrinter({ ...base, acolumn: 0, pidColumn: "none", separate: true }, (tid) => {
      if (!sinks.has(tid)) sinks.set(tid, new Buf());
      return sinks.get(tid)!;
    }, fakeClock(), () => 1);
    sep.enter(11, "execve", () => 'execve("/x", ["/x"], 0x10 /* 0 vars */');
    sep.rekey(11, 10);
    sep.line(10, "+++ superseded by execve in pid 11 +++");
    sep.finish(10, 'execve("/x", ["/x"], 0x10 /* 0 vars */)', "= 0");
    expect(sinks.get(11)!.text).toBe('execve("/x", ["/x"], 0x10 /* 0 vars */ <pid changed to 10 ...>\n');
    expect(sinks.get(10)!.text).toBe("+++ superseded by execve in pid 11 +++\n<... execve resumed>) = 0\n");
  });
  it("a line already cut stays cut, and resumes under the new id without a second cut", () => {
    const { p, out } = printer({ acolumn: 0 }, 2);
    p.enter(11, "execve", () => 'execve("/x", ');
    p.enter(10, "ppoll", () => "ppoll(NULL, 0, NULL, NULL, 8");
    p.finishNoReturn(10, false);
    p.rekey(11, 10);
    p.finish(10, 'execve("/x", ["/x"], 0x10 /* 0 vars */)', "= 0");
    expect(out.text).toBe(
      '[pid    11] execve("/x",  <unfinished ...>\n' +
        "[pid    10] ppoll(NULL, 0, NULL, NULL, 8 <unfinished ...>) = ?\n" +
        '[pid    10] <... execve resumed>["/x"], 0x10 /* 0 vars */) = 0\n',
    );
  });
});

describe("helpers", () => {
  it("formatSeconds truncates to the precision", () => {
    expect(formatSeconds(123_456_789n, 6)).toBe("0.123456");
    expect(formatSeconds(1_000_000_000n, 0)).toBe("1");
    expect(formatSeconds(1_500_000n, 3, 6)).toBe("     0.001");
    expect(formatSeconds(7n, 9)).toBe("0.000000007");
  });
  it("splitCallLine finds the ')' that closes the call, past strings, paths and comments", () => {
    expect(splitCallLine("close(3) = 0")).toEqual({ call: "close(3)", ret: "= 0" });
    expect(splitCallLine('write(1, ") = 5", 5) = 5')).toEqual({ call: 'write(1, ") = 5", 5)', ret: "= 5" });
    expect(splitCallLine('read(3</tmp/a) = b>, "\\"x)", 2) = 2')).toEqual({ call: 'read(3</tmp/a) = b>, "\\"x)", 2)', ret: "= 2" });
    expect(splitCallLine("openat(AT_FDCWD, \"x\", O_RDONLY) = -1 ENOENT (No such file or directory)")).toEqual({
      call: 'openat(AT_FDCWD, "x", O_RDONLY)', ret: "= -1 ENOENT (No such file or directory)",
    });
    expect(splitCallLine("mmap(NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE) */, 0x22) = 0x1000")).toEqual({
      call: "mmap(NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE) */, 0x22)", ret: "= 0x1000",
    });
    expect(splitCallLine("select(4, [3], NULL, NULL, NULL) = 1 (in [3])")).toEqual({
      call: "select(4, [3], NULL, NULL, NULL)", ret: "= 1 (in [3])",
    });
  });
});
