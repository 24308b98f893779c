// Fault injection (src/engines/inject.ts): strace's -e inject= / -e fault= syntax and semantics,
// argument filters, several rules per syscall, notes, and the RESUMED-pass rule, with real guests.
import { describe, expect, it } from "vitest";
import {
  UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_REPORT, UTRACE_RESUME, UTRACE_STOP, UTRACE_SYSCALL_RESUMED,
  utraceSyscallAction, type Task,
} from "../../src/index.js";
import { createInjectEngine, parseInjectRule, whenSelects, type InjectRule } from "../../src/engines/inject.js";
import { injectionNote } from "../../src/engines/notes.js";
import { EngineOptionError } from "../../src/engines/common/errors.js";
import { spawnGuest, withTimeout, type Guest } from "../utrace/helpers.js";

const SYS_OPENAT = 56n;
const SYS_GETPID = 172n;

/** Spawns a guest with an injection engine of these rules (inject= unless "fault=" prefixed) and waits for it. */
async function run(name: string, args: string[], specs: string[], setup?: (g: Guest) => void) {
  const g = spawnGuest(name, args);
  const rules = specs.map((s) => (s.startsWith("fault=") ? parseInjectRule(s.slice(6), "fault") : parseInjectRule(s, "inject")));
  createInjectEngine(g.kernel, rules).attach(g.task);
  setup?.(g);
  const status = await withTimeout(g.proc.wait(), `${name} to end`);
  return { status, stdout: g.stdout(), stderr: g.stderr(), guest: g };
}

function parseError(spec: string, kind: "inject" | "fault" = "inject"): string {
  try {
    parseInjectRule(spec, kind);
  } catch (e) {
    if (e instanceof EngineOptionError) return e.message;
    throw e;
  }
  return "no error";
}

describe("parsing -e inject= and -e fault= (strace's syntax)", () => {
  it("defaults to every call, as strace (first 1, step 1, no last)", () => {
    const r = parseInjectRule("openat:error=ENOENT", "inject");
    expect([r.first, r.last, r.step, r.error, r.retval, r.signal]).toEqual([1, Infinity, 1, 2, undefined, undefined]);
    expect(r.syscalls.has(56)).toBe(true);
    expect(r.syscalls.size).toBe(1);
  });

  it("reads when=F, F+, F+S, F..L, F..L+S as strace does", () => {
    const w = (s: string) => {
      const r = parseInjectRule(`read:error=EIO:when=${s}`, "inject");
      return [r.first, r.last, r.step];
    };
    expect(w("3")).toEqual([3, Infinity, 0]);
    expect(w("3+")).toEqual([3, Infinity, 1]);
    expect(w("3+2")).toEqual([3, Infinity, 2]);
    expect(w("2..5")).toEqual([2, 5, 1]);
    expect(w("2..9+3")).toEqual([2, 9, 3]);
    expect(w("2..9+")).toEqual([2, 9, 1]);
    expect(w("65535")).toEqual([65535, Infinity, 0]);
    expect(w("1..65534+65535")).toEqual([1, 65534, 65535]);
    // a later when= replaces an earlier one
    expect(parseInjectRule("read:when=2:error=EIO:when=4", "inject").first).toBe(4);
  });

  it("selects calls: first, first+step, … up to last", () => {
    const sel = (first: number, last: number, step: number) =>
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => whenSelects({ first, last, step }, n));
    expect(sel(1, Infinity, 1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sel(3, Infinity, 0)).toEqual([3]);
    expect(sel(2, 3, 1)).toEqual([2, 3]);
    expect(sel(2, Infinity, 3)).toEqual([2, 5, 8]);
    expect(sel(2, 8, 3)).toEqual([2, 5, 8]);
    expect(sel(2, 7, 3)).toEqual([2, 5]);
  });

  it("takes errno names in any case and numbers 1…4095, retval in strtoull's bases, signals by name or number", () => {
    expect(parseInjectRule("read:error=eacces", "inject").error).toBe(13);
    expect(parseInjectRule("read:error=4095", "inject").error).toBe(4095);
    expect(parseInjectRule("read:retval=0x2a", "inject").retval).toBe(42n);
    expect(parseInjectRule("read:retval=052", "inject").retval).toBe(42n);
    expect(parseInjectRule("read:retval=-1", "inject").retval).toBe(-1n);
    expect(parseInjectRule("read:retval=18446744073709551615", "inject").retval).toBe(-1n);
    expect(parseInjectRule("read:signal=usr1", "inject").signal).toBe(10);
    expect(parseInjectRule("read:signal=SIGSYS", "inject").signal).toBe(31);
    expect(parseInjectRule("read:signal=12:error=EIO", "inject").signal).toBe(12);
    expect(parseInjectRule("read::error=EIO::", "inject").error).toBe(5); // empty tokens skipped, as strtok_r
  });

  it("takes strace's syscall sets: classes, regexes, negation, ?names", () => {
    expect(parseInjectRule("%file:error=EIO", "inject").syscalls.has(56)).toBe(true);
    expect(parseInjectRule("/^read$:error=EIO", "inject").syscalls).toEqual(new Set([63]));
    const notRead = parseInjectRule("!read:error=EIO", "inject").syscalls;
    expect(notRead.has(63)).toBe(false);
    expect(notRead.has(64)).toBe(true);
    expect(parseInjectRule("?nosuchcall,read:error=EIO", "inject").syscalls).toEqual(new Set([63]));
  });

  it("fault= defaults to ENOSYS and takes only error=, when= and filters", () => {
    expect(parseInjectRule("openat", "fault").error).toBe(38);
    expect(parseInjectRule("openat:error=EPERM:when=2", "fault").error).toBe(1);
    expect(parseError("openat:retval=1", "fault")).toBe("-e fault=openat:retval=1: retval= is not valid with fault= (use -e inject=)");
    expect(parseError("openat:signal=USR1", "fault")).toBe("-e fault=openat:signal=USR1: signal= is not valid with fault= (use -e inject=)");
  });

  it("refuses bad expressions with one line naming the option", () => {
    expect(parseError("openat:error=EFOO")).toBe("-e inject=openat:error=EFOO: unknown errno 'EFOO'");
    expect(parseError("openat")).toBe("-e inject=openat: needs error=, retval= or signal=");
    expect(parseError("nosuchcall:error=EIO")).toBe("-e inject=nosuchcall:error=EIO: invalid system call 'nosuchcall'");
    expect(parseError(":error=EIO")).toBe("-e inject=:error=EIO: missing the syscall set");
    expect(parseError("read:error=EIO:retval=1")).toBe("-e inject=read:error=EIO:retval=1: only one error= or retval= per rule");
    expect(parseError("read:error=EIO:error=EIO")).toBe("-e inject=read:error=EIO:error=EIO: only one error= or retval= per rule");
    expect(parseError("read:signal=USR1:signal=USR2")).toBe("-e inject=read:signal=USR1:signal=USR2: only one signal= per rule");
    expect(parseError("read:error=0")).toBe("-e inject=read:error=0: unknown errno '0'");
    expect(parseError("read:error=4096")).toBe("-e inject=read:error=4096: unknown errno '4096'");
    expect(parseError("read:retval=x")).toBe("-e inject=read:retval=x: invalid retval 'x'");
    expect(parseError("read:retval=18446744073709551616")).toBe("-e inject=read:retval=18446744073709551616: invalid retval '18446744073709551616'");
    expect(parseError("read:signal=SIGFOO")).toBe("-e inject=read:signal=SIGFOO: unknown signal 'SIGFOO'");
    expect(parseError("read:signal=65")).toBe("-e inject=read:signal=65: unknown signal '65'");
    expect(parseError("read:error=EIO:when=0")).toBe("-e inject=read:error=EIO:when=0: when=: the first call must be 1…65535");
    expect(parseError("read:error=EIO:when=65536")).toBe("-e inject=read:error=EIO:when=65536: when=: the first call must be 1…65535");
    expect(parseError("read:error=EIO:when=3..2")).toBe("-e inject=read:error=EIO:when=3..2: when=: the last call must be 3…65534");
    expect(parseError("read:error=EIO:when=1..65535")).toBe("-e inject=read:error=EIO:when=1..65535: when=: the last call must be 1…65534");
    expect(parseError("read:error=EIO:when=1+0")).toBe("-e inject=read:error=EIO:when=1+0: when=: the step must be 1…65535");
    expect(parseError("read:error=EIO:when=1+65536")).toBe("-e inject=read:error=EIO:when=1+65536: when=: the step must be 1…65535");
    expect(parseError("read:error=EIO:when=x")).toBe("-e inject=read:error=EIO:when=x: invalid when= 'x'");
    expect(parseError("read:error=EIO:when=1.5")).toBe("-e inject=read:error=EIO:when=1.5: invalid when= '1.5'");
    expect(parseError("getpid:syscall=gettid:retval=1")).toBe("-e inject=getpid:syscall=gettid:retval=1: syscall= is not supported");
    expect(parseError("read:error=EIO:delay_enter=10")).toBe("-e inject=read:error=EIO:delay_enter=10: delay_enter= is not supported");
    expect(parseError("read:error=EIO:bogus")).toBe("-e inject=read:error=EIO:bogus: unknown token 'bogus'");
  });

  it("refuses filters that cannot apply", () => {
    expect(parseError("getpid:error=EIO:path=/x")).toBe("-e inject=getpid:error=EIO:path=/x: path=: none of these syscalls takes a path");
    expect(parseError("getpid:error=EIO:fd=3")).toBe("-e inject=getpid:error=EIO:fd=3: fd=: none of these syscalls takes a file descriptor");
    expect(parseError("read:error=EIO:flags=O_CREAT")).toBe("-e inject=read:error=EIO:flags=O_CREAT: flags=: none of these syscalls takes a flags argument");
    expect(parseError("openat:error=EIO:flags=O_BOGUS")).toBe("-e inject=openat:error=EIO:flags=O_BOGUS: unknown flag 'O_BOGUS'");
    expect(parseError("read:error=EIO:fd=x")).toBe("-e inject=read:error=EIO:fd=x: invalid fd 'x'");
    expect(parseError("read:error=EIO:arg0=x")).toBe("-e inject=read:error=EIO:arg0=x: invalid arg0 value 'x'");
    expect(parseError("read:error=EIO:arg6=1")).toBe("-e inject=read:error=EIO:arg6=1: unknown token 'arg6=1'");
  });
});

describe("injecting into real guests", () => {
  it("error= on openat of a path glob: cat fails for that file only", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], ["openat:error=ENOENT:path=*.csv"]);
    expect(r.stdout).toMatch(/^The emulator hums/);
    expect(r.stderr).toBe("cat: data/inventory.csv: No such file or directory\n");
    expect(r.status.exitCode).toBe(1);
  });

  it("path globs also match the absolute form of a relative path", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], [`openat:error=EACCES:path=/*/guests/data/poem.txt`]);
    expect(r.stderr).toBe("cat: data/poem.txt: Permission denied\n");
    expect(r.stdout).toMatch(/^item|^[^T]/); // the csv is printed, the poem is not
  });

  it("when=2..3 fails the second and third openat only", async () => {
    const files = ["data/poem.txt", "data/poem.txt", "data/poem.txt", "data/poem.txt"];
    const r = await run("cat", files, ["openat:error=ENOENT:when=2..3"]);
    expect(r.stderr).toBe("cat: data/poem.txt: No such file or directory\n".repeat(2));
    expect(r.stdout.split("The emulator hums").length - 1).toBe(2);
  });

  it("when=2+2 fails every second call from the second", async () => {
    const files = Array.from({ length: 5 }, () => "data/poem.txt");
    const r = await run("cat", files, ["openat:error=EMFILE:when=2+2"]);
    expect(r.stderr).toBe("cat: data/poem.txt: Too many open files\n".repeat(2));
    expect(r.stdout.split("The emulator hums").length - 1).toBe(3);
  });

  it("fault= fails with ENOSYS by default", async () => {
    const r = await run("cat", ["data/poem.txt"], ["fault=openat"]);
    expect(r.stderr).toBe("cat: data/poem.txt: Function not implemented\n");
  });

  it("retval= makes the call return the value without running it", async () => {
    const r = await run("ix-paths", ["getpid", "getpid"], ["getpid:retval=42:when=2"]);
    expect(r.stdout).toBe("getpid: 1000\ngetpid: 42\n");
  });

  it("signal= delivers the signal at entry and lets the call run", async () => {
    const r = await run("ix-paths", ["handler", "getpid"], ["getpid:signal=SIGUSR1"]);
    expect(r.stdout).toBe("handler: ok\ngetpid: 1000\ncaught signal 10\n");
  });

  it("signal= together with error=", async () => {
    const r = await run("ix-paths", ["handler", "cat:data/poem.txt"], ["openat:error=EACCES:signal=USR2"]);
    expect(r.stdout).toBe("handler: ok\ncat: Permission denied\ncaught signal 12\n");
  });

  it("an uncaught injected signal kills the guest as the signal does", async () => {
    const r = await run("ix-paths", ["getpid", "getpid"], ["getpid:signal=SIGTERM:when=2"]);
    expect(r.stdout).toBe("getpid: 1000\n");
    expect(r.status).toEqual({ exitCode: null, signal: 15, coreDumped: false });
  });

  it("fd= and argN= select calls by argument value", async () => {
    const byFd = await run("cat", ["data/poem.txt"], ["read:error=EIO:fd=3"]);
    expect(byFd.stderr).toBe("cat: data/poem.txt: Input/output error\n");
    const byArg = await run("cat", ["data/poem.txt"], ["read:error=EIO:arg0=3"]);
    expect(byArg.stderr).toBe("cat: data/poem.txt: Input/output error\n");
    const other = await run("cat", ["data/poem.txt"], ["read:error=EIO:fd=4"]);
    expect(other.stderr).toBe("");
  });

  it("flags= matches calls with all the given bits set", async () => {
    const creating = await run("write-file", ["/tmp-not-mounted/x", "hello"], ["openat:error=EROFS:flags=O_CREAT|O_TRUNC"]);
    expect(creating.stderr).toBe("write-file: /tmp-not-mounted/x: Read-only file system\n");
    const reading = await run("cat", ["data/poem.txt"], ["openat:error=EROFS:flags=O_CREAT"]);
    expect(reading.stderr).toBe("");
    const accmode = await run("cat", ["data/poem.txt"], ["openat:error=EROFS:flags=O_RDONLY"]);
    expect(accmode.stderr).toBe("cat: data/poem.txt: Read-only file system\n");
    const wronly = await run("cat", ["data/poem.txt"], ["openat:error=EROFS:flags=O_WRONLY"]);
    expect(wronly.stderr).toBe("");
  });
});

describe("several rules on one syscall: the first matching rule applies, every rule counts", () => {
  const files = ["data/poem.txt", "data/inventory.csv", "data/poem.txt"];

  it("the earlier rule wins when both match, and the later one's counter still advances", async () => {
    // call 1 poem: csv rule does not count; nth rule counts 1.  call 2 csv: csv rule counts 1 and
    // matches; nth rule counts 2 and matches too, but the csv rule is first.  call 3 poem: nth rule
    // counts 3: when=2 selects only its second call, so nothing happens.
    const r = await run("cat", files, ["openat:error=EACCES:path=*.csv", "openat:error=ENOENT:when=2"]);
    expect(r.stderr).toBe("cat: data/inventory.csv: Permission denied\n");
  });

  it("in the other order the other rule wins", async () => {
    const r = await run("cat", files, ["openat:error=ENOENT:when=2", "openat:error=EACCES:path=*.csv"]);
    expect(r.stderr).toBe("cat: data/inventory.csv: No such file or directory\n");
  });

  it("a rule counts only the calls that pass its filters", async () => {
    // the csv rule's when=2 means the second openat of a .csv, not the second openat
    const r = await run("cat", ["data/inventory.csv", "data/poem.txt", "data/inventory.csv"], ["openat:error=EACCES:path=*.csv:when=2"]);
    expect(r.stderr).toBe("cat: data/inventory.csv: Permission denied\n");
    expect(r.stdout.split("The emulator hums").length - 1).toBe(1);
  });
});

describe("notes and passes", () => {
  /** An observer attached after the injector (nearer the guest): sees exits last. */
  function observe(g: Guest, nr: bigint, seen: string[]): void {
    let current = -1n;
    const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportSyscallEntry(action, _engine, regs) {
        current = regs.syscallNumber; // at exit a7 may be rt_sigreturn's restored one
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, engine, regs) {
        if (current === nr) seen.push(`${regs.returnValue}${injectionNote(engine.task) ? ` (${injectionNote(engine.task)})` : ""}`);
        return UTRACE_RESUME;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, e, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
  }

  it("an injected call is noted INJECTED (injectionNote), others are not; the sink gets the note", async () => {
    const g = spawnGuest("ix-paths", ["getpid", "getpid", "getpid"]);
    const pushed: string[] = [];
    const rules: InjectRule[] = [parseInjectRule("getpid:retval=7:when=2", "inject")];
    createInjectEngine(g.kernel, rules, { onNote: (t: Task, n: string) => pushed.push(`${t.tid} ${n}`) }).attach(g.task);
    const seen: string[] = [];
    observe(g, SYS_GETPID, seen);
    await withTimeout(g.proc.wait(), "guest");
    expect(seen).toEqual(["1000", "7 (INJECTED)", "1000"]);
    expect(pushed).toEqual(["1000 INJECTED"]);
    expect(g.stdout()).toBe("getpid: 1000\ngetpid: 7\ngetpid: 1000\n");
  });

  it("a signal-only injection is not noted (strace marks only tampered results)", async () => {
    const g = spawnGuest("ix-paths", ["handler", "getpid"]);
    createInjectEngine(g.kernel, [parseInjectRule("getpid:signal=USR1", "inject")]).attach(g.task);
    const seen: string[] = [];
    observe(g, SYS_GETPID, seen);
    await withTimeout(g.proc.wait(), "guest");
    expect(seen).toEqual(["1000"]);
  });

  it("decides at the RESUMED pass when an engine nearer the guest stops and rewrites the call", async () => {
    // The rewriter (attached after the injector, so called first at entry) stops at the openat,
    // renames the file in guest memory (poem -> POEM) and resumes with UTRACE_REPORT. The injector
    // sees the STOP in its action, asks for the RESUMED pass, and there sees POEM: its path filter
    // holds. Counting happens once: when=1 still selects this first openat.
    const g = spawnGuest("cat", ["data/poem.txt"]);
    createInjectEngine(g.kernel, [parseInjectRule("openat:error=EACCES:path=*POEM*:when=1", "inject")]).attach(g.task);
    const log: string[] = [];
    let done = false;
    const rewriter = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      name: "rewriter",
      reportQuiesce: () => UTRACE_RESUME,
      reportSyscallEntry(action, engine, regs) {
        if (regs.syscallNumber !== SYS_OPENAT || done) return utraceSyscallAction(action) | UTRACE_RESUME;
        if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
        const t = engine.task;
        const addr = regs.arg(1);
        setTimeout(() => {
          const path = t.readCString(addr);
          t.writeCString(addr, path.replace("poem", "POEM"));
          done = true;
          log.push(`control(REPORT) = ${g.kernel.utrace.control(t, engine, UTRACE_REPORT)}`);
        }, 5);
        return UTRACE_STOP;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, rewriter, UTRACE_EVENT.QUIESCE | UTRACE_EVENT.SYSCALL_ENTRY);
    await withTimeout(g.proc.wait(), "guest");
    expect(log).toEqual(["control(REPORT) = 0"]);
    expect(g.stderr()).toBe("cat: data/POEM.txt: Permission denied\n");
  });
});
