// strace's command line and qualifying expressions as `rvtrace trace` reads them
// (src/engines/strace/options.ts, filter.ts), and the -c summary table (summary.ts).
import { describe, expect, it } from "vitest";
import {
  STRACE_OPTIONS, TraceUsageError, parseTraceArgs, type TraceOptionGroup,
} from "../../src/engines/strace/options.js";
import {
  CallStatus, FilterError, parseSignalSet, parseStatusSet, parseSyscallSet, signalNumber, syscallClassTable,
} from "../../src/engines/strace/filter.js";
import { CallCounter, parseColumns, parseSortKey } from "../../src/engines/strace/summary.js";

const groups: TraceOptionGroup[] = [STRACE_OPTIONS];
const parse = (...argv: string[]) => parseTraceArgs(argv, groups);
const fails = (argv: string[], message: string | RegExp) => {
  let err: unknown;
  try {
    parse(...argv);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TraceUsageError);
  expect((err as Error).message).toMatch(message);
};

const nr = (name: string) => {
  const e = syscallClassTable().find((x) => x.name === name);
  if (!e) throw new Error(`no syscall ${name}`);
  return e.nr;
};

describe("the command line", () => {
  it("stops at the program: its options belong to it", () => {
    const r = parse("-f", "prog", "-o", "x", "--", "y");
    expect(r.program).toBe("prog");
    expect(r.args).toEqual(["-o", "x", "--", "y"]);
    expect(r.ctx.settings.follow).toBe(true);
    expect(parse("--", "-prog").program).toBe("-prog");
  });
  it("clusters short options and reads attached values (-ttT, -a36, -s64, -ofile, -etrace=open)", () => {
    const s = parse("-ttT", "-a36", "-s64", "-oout", "-xx", "-etrace=close", "p").ctx.settings;
    expect(s.absolute).toEqual({ format: "time", precision: 6 });
    expect(s.syscallTimes).toBe(6);
    expect(s.acolumn).toBe(36);
    expect(s.stringLimit).toBe(64);
    expect(s.output).toBe("out");
    expect(s.hexStrings).toBe(2);
    expect(s.trace.has(nr("close"))).toBe(true);
    expect(s.trace.has(nr("read"))).toBe(false);
  });
  it("reads long options with = or a following value", () => {
    const s = parse("--string-limit", "8", "--columns=0", "--output=f", "--summary-only", "--summary-sort-by=calls", "p").ctx.settings;
    expect([s.stringLimit, s.acolumn, s.output, s.summary, s.sortBy]).toEqual([8, 0, "f", "only", "calls"]);
  });
  it("-t, -tt, -ttt; --absolute-timestamps; -r and -T precisions", () => {
    expect(parse("-t", "p").ctx.settings.absolute).toEqual({ format: "time", precision: 0 });
    expect(parse("-ttt", "p").ctx.settings.absolute).toEqual({ format: "unix", precision: 6 });
    expect(parse("--absolute-timestamps=unix,ms", "p").ctx.settings.absolute).toEqual({ format: "unix", precision: 3 });
    expect(parse("--timestamps=format:none", "p").ctx.settings.absolute).toBeNull();
    expect(parse("-r", "p").ctx.settings.relative).toBe(6);
    expect(parse("--relative-timestamps=ns", "--syscall-times=ms", "p").ctx.settings).toMatchObject({ relative: 9, syscallTimes: 3 });
    fails(["-t", "--absolute-timestamps", "p"], "-t and --absolute-timestamps cannot be provided simultaneously");
    fails(["-T", "--syscall-times=fs", "p"], "invalid --syscall-times argument: 'fs'");
  });
  it("-e forms: trace=, bare names, signal=, status=, quiet=, abbrev=; -z / -Z; -v; -X; -y", () => {
    let s = parse("-e", "write,read", "-e", "signal=!SIGCHLD", "-e", "status=failed", "p").ctx.settings;
    expect(s.trace.has(nr("write")) && s.trace.has(nr("read")) && !s.trace.has(nr("close"))).toBe(true);
    expect(s.signals.has(17)).toBe(false);
    expect(s.signals.has(11)).toBe(true);
    expect(s.status.has(CallStatus.Failed) && !s.status.has(CallStatus.Successful)).toBe(true);
    s = parse("-z", "p").ctx.settings;
    expect(s.status.has(CallStatus.Successful) && !s.status.has(CallStatus.Unfinished)).toBe(true);
    s = parse("-Z", "-v", "-Xverbose", "-y", "p").ctx.settings;
    expect(s.status.has(CallStatus.Failed) && !s.status.has(CallStatus.Successful)).toBe(true);
    expect(s.abbrev.has(nr("newfstatat"))).toBe(false);
    expect(s.constStyle).toBe("verbose");
    expect(s.decodeFds).toBe(true);
    expect(parse("-e", "abbrev=none", "p").ctx.settings.abbrev.has(nr("read"))).toBe(false);
    expect(parse("-qq", "p").ctx.settings.quiet.has(1)).toBe(true);
    expect(parse("-e", "quiet=exit", "p").ctx.settings.quiet.has(1)).toBe(true);
  });
  it("classes come from the syscall table (src/abi/syscalls.ts)", () => {
    const has = (spec: string, name: string) => parse("-e", `trace=${spec}`, "p").ctx.settings.trace.has(nr(name));
    expect([has("%file", "openat"), has("%file", "read"), has("%desc", "read"), has("%desc", "getpid")]).toEqual([true, false, true, false]);
    expect([has("%memory", "mmap"), has("%memory", "brk"), has("%process", "exit_group"), has("%signal", "rt_sigaction")]).toEqual([true, true, true, true]);
    expect([has("%clock", "clock_gettime"), has("%creds", "getuid"), has("%%stat", "newfstatat"), has("process", "execve")]).toEqual([true, true, true, true]);
    expect([has("!%file", "openat"), has("!%file", "read")]).toEqual([false, true]);
  });
  it("the last -e trace= wins, as in strace", () => {
    const s = parse("-e", "trace=openat,close", "-e", "trace=read", "p").ctx.settings;
    expect(s.trace.has(nr("read"))).toBe(true);
    expect(s.trace.has(nr("close"))).toBe(false);
  });
  it("-f, -ff with -o, --follow-forks", () => {
    expect(parse("-f", "p").ctx.settings).toMatchObject({ follow: true, separate: false });
    expect(parse("-ff", "-o", "x", "p").ctx.settings).toMatchObject({ follow: true, separate: true });
    expect(parse("-ff", "p").ctx.settings).toMatchObject({ follow: true, separate: false });
    fails(["-f", "--follow-forks", "p"], "-f and --follow-forks cannot be provided simultaneously");
  });
  it("refuses strace options it does not have, by name", () => {
    fails(["-k", "p"], /^-k is not supported$/);
    fails(["-p", "123"], /^-p is not supported$/);
    fails(["-fi", "p"], /^-i is not supported$/);
    fails(["--seccomp-bpf", "p"], /^--seccomp-bpf is not supported$/);
    fails(["--stack-traces=source", "p"], /^--stack-traces is not supported$/);
    fails(["-e", "inject=open:error=ENOENT", "p"], /^-e inject is not supported$/);
    fails(["-e", "read=3", "p"], /^-e read is not supported$/);
    fails(["-yy", "p"], /-yy is not supported/);
    fails(["-o", "|grep x", "p"], /-o \|COMMAND is not supported/);
  });
  it("says what is wrong with a bad option in one line", () => {
    fails(["-Q", "p"], "invalid option -- 'Q'");
    fails(["--frobnicate", "p"], "unrecognized option '--frobnicate'");
    fails(["-s", "x", "p"], "invalid -s argument: 'x'");
    fails(["-a", "-1", "p"], "invalid -a argument: '-1'");
    fails(["-X", "weird", "p"], "invalid -X argument: 'weird'");
    fails(["-o"], "option requires an argument -- 'o'");
    fails(["--output"], "option '--output' requires an argument");
    fails(["--json=yes", "p"], "option '--json' doesn't allow an argument");
    fails(["-c", "-C", "p"], "-c/--summary-only and -C/--summary are mutually exclusive");
    fails(["-w", "p"], "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)");
    fails(["-S", "speed", "-c", "p"], "invalid sortby: 'speed'");
    fails(["-e", "trace=frobnicate", "p"], "invalid system call 'frobnicate'");
    fails(["-f"], "must have PROG [ARGS]");
  });
  it("-h prints the help", () => {
    const r = parse("-h");
    expect(r.print).toMatch(/^Usage: rvtrace trace/);
    expect(r.print).toMatch(/-e trace=SET/);
  });
});

describe("syscall sets", () => {
  const table = [
    { nr: 1, name: "openat", classes: ["%file", "%desc"] },
    { nr: 2, name: "read", classes: ["%desc"] },
    { nr: 3, name: "newfstatat", classes: ["%file", "%fstat", "%%stat"] },
    { nr: 4, name: "mmap", classes: ["%memory"] },
    { nr: 5, name: "exit_group", classes: ["%process"] },
  ];
  const members = (spec: string) => table.filter((e) => parseSyscallSet(spec, table).has(e.nr)).map((e) => e.name);
  it("names, numbers, classes (and legacy class names), regexes, all, none, negation", () => {
    expect(members("read,mmap")).toEqual(["read", "mmap"]);
    expect(members("4")).toEqual(["mmap"]);
    expect(members("%file")).toEqual(["openat", "newfstatat"]);
    expect(members("file")).toEqual(["openat", "newfstatat"]);
    expect(members("%%stat,%process")).toEqual(["newfstatat", "exit_group"]);
    expect(members("/^(re|mm)")).toEqual(["read", "mmap"]);
    expect(members("all")).toEqual(table.map((e) => e.name));
    expect(members("none")).toEqual([]);
    expect(members("!read")).toEqual(["openat", "newfstatat", "mmap", "exit_group"]);
    expect(members("!!read")).toEqual(["read"]);
    expect(members("!all")).toEqual([]);
    expect(members("read@64")).toEqual(["read"]);
  });
  it("?name tolerates unknown names; unknown ones are errors otherwise", () => {
    expect(members("?nosuch,read")).toEqual(["read"]);
    expect(members("?read@32,mmap")).toEqual(["mmap"]);
    expect(() => parseSyscallSet("nosuch", table)).toThrow(new FilterError("invalid system call 'nosuch'"));
    expect(() => parseSyscallSet("/^zz", table)).toThrow(new FilterError("invalid system call '/^zz'"));
    expect(() => parseSyscallSet("/(", table)).toThrow(FilterError);
    expect(() => parseSyscallSet("99", table)).toThrow(FilterError);
    expect(() => parseSyscallSet("", table)).toThrow(new FilterError("invalid system call ''"));
  });
  it("signal and status sets", () => {
    expect(signalNumber("SIGSEGV")).toBe(11);
    expect(signalNumber("segv")).toBe(11);
    expect(signalNumber("9")).toBe(9);
    expect(signalNumber("RTMIN")).toBe(32);
    expect(signalNumber("SIGRT_3")).toBe(35);
    expect(signalNumber("nope")).toBe(-1);
    const sigs = parseSignalSet("!SIGCHLD,usr1");
    expect([sigs.has(17), sigs.has(10), sigs.has(11)]).toEqual([false, false, true]);
    expect(() => parseSignalSet("SIGFOO")).toThrow(new FilterError("invalid signal 'SIGFOO'"));
    const st = parseStatusSet("successful,unfinished");
    expect([st.has(CallStatus.Successful), st.has(CallStatus.Failed), st.has(CallStatus.Unfinished)]).toEqual([true, false, true]);
    expect(() => parseStatusSet("fine")).toThrow(new FilterError("invalid status 'fine'"));
  });
});

describe("the -c summary", () => {
  const us = 1000n;
  function sample(): CallCounter {
    const c = new CallCounter();
    for (let i = 0; i < 31; i++) c.record(56, "openat", 23n * us + (i === 0 ? 10n * us : 0n), i < 13);
    for (let i = 0; i < 5; i++) c.record(63, "read", 69n * us, false);
    c.record(64, "write", 90n * us, false);
    return c;
  }
  it("has strace's columns and widths, blank zero errors, and a total line", () => {
    expect(sample().render()).toBe(
      "% time     seconds  usecs/call     calls    errors syscall\n" +
        "------ ----------- ----------- --------- --------- ----------------\n" +
        " 62.44    0.000723          23        31        13 openat\n" +
        " 29.79    0.000345          69         5           read\n" +
        "  7.77    0.000090          90         1           write\n" +
        "------ ----------- ----------- --------- --------- ----------------\n" +
        "100.00    0.001158          31        37        13 total\n",
    );
  });
  it("sorts by -S and shows the -U columns (name padded unless last)", () => {
    expect(sample().render(parseColumns("calls,name,errors"), parseSortKey("name"))).toBe(
      "    calls syscall             errors\n" +
        "--------- ---------------- ---------\n" +
        "       31 openat                  13\n" +
        "        5 read                      \n" +
        "        1 write                     \n" +
        "--------- ---------------- ---------\n" +
        "       37 total                   13\n",
    );
    expect(sample().render(parseColumns("name,shortest,longest"), parseSortKey("longest"))).toBe(
      "syscall          shortest  longest\n" +
        "---------------- -------- --------\n" +
        "write            0.000090 0.000090\n" +
        "read             0.000069 0.000069\n" +
        "openat           0.000023 0.000033\n" +
        "---------------- -------- --------\n" +
        "total            0.000023 0.000090\n",
    );
    expect(() => parseColumns("calls,calls")).toThrow(/provided more than once: 'calls'/);
    expect(() => parseColumns("speed")).toThrow("unknown column name: 'speed'");
  });
  it("is empty when nothing was counted", () => {
    expect(new CallCounter().render()).toBe("");
  });
});
