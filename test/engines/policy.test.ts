// Syscall policy (src/engines/policy.ts): --deny SET[:errno=E|:kill][:FILTER], --allow SET[:FILTER],
// with real guests.
import { describe, expect, it } from "vitest";
import { UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, utraceSyscallAction } from "../../src/index.js";
import { createPolicyEngine, parsePolicyRule, POLICY_NOTE } from "../../src/engines/policy.js";
import { injectionNote } from "../../src/engines/notes.js";
import { EngineOptionError } from "../../src/engines/common/errors.js";
import { spawnGuest, withTimeout, type Guest } from "../utrace/helpers.js";

/** The syscalls glibc's static start-up and cat need besides openat. */
const CAT_NEEDS = "brk,set_tid_address,set_robust_list,prlimit64,readlinkat,getrandom,mprotect,read,write,close";

/** Runs a guest under a policy made of "deny X" / "allow X" specs; also logs each syscall exit with its note. */
async function run(name: string, args: string[], specs: string[], onSetup?: (g: Guest) => void) {
  const g = spawnGuest(name, args);
  const rules = specs.map((s) => {
    const [kind, spec] = s.split(" ") as ["deny" | "allow", string];
    return parsePolicyRule(spec, kind);
  });
  createPolicyEngine(g.kernel, rules).attach(g.task);
  onSetup?.(g);
  const status = await withTimeout(g.proc.wait(), `${name} to end`);
  return { status, stdout: g.stdout(), stderr: g.stderr() };
}

function parseError(spec: string, kind: "deny" | "allow" = "deny"): string {
  try {
    parsePolicyRule(spec, kind);
  } catch (e) {
    if (e instanceof EngineOptionError) return e.message;
    throw e;
  }
  return "no error";
}

describe("parsing --deny and --allow", () => {
  it("defaults to EPERM; takes errno=NAME|NUMBER, kill, and argument filters", () => {
    expect(parsePolicyRule("openat", "deny").action).toBe(1);
    expect(parsePolicyRule("openat:errno=erofs", "deny").action).toBe(30);
    expect(parsePolicyRule("openat:errno=13", "deny").action).toBe(13);
    expect(parsePolicyRule("%file:kill", "deny").action).toBe("kill");
    expect(parsePolicyRule("openat:flags=O_CREAT:errno=EROFS", "deny").filters).toHaveLength(1);
    expect(parsePolicyRule("openat,read", "allow").syscalls).toEqual(new Set([56, 63]));
  });

  it("refuses bad rules with one line naming the option", () => {
    expect(parseError("openat:errno=EFOO")).toBe("--deny openat:errno=EFOO: unknown errno 'EFOO'");
    expect(parseError("openat:kill:errno=EPERM")).toBe("--deny openat:kill:errno=EPERM: only one errno= or kill per rule");
    expect(parseError("")).toBe("--deny : missing the syscall set");
    expect(parseError("nosuch")).toBe("--deny nosuch: invalid system call 'nosuch'");
    expect(parseError("openat:kill", "allow")).toBe("--allow openat:kill: unknown token 'kill'");
    expect(parseError("openat:errno=EPERM", "allow")).toBe("--allow openat:errno=EPERM: unknown token 'errno=EPERM'");
    expect(parseError("getpid:path=/x")).toBe("--deny getpid:path=/x: path=: none of these syscalls takes a path");
  });
});

describe("--deny", () => {
  it("fails the call with EPERM by default, and the guest goes on", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], ["deny openat"]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("cat: data/poem.txt: Operation not permitted\ncat: data/inventory.csv: Operation not permitted\n");
    expect(r.status.exitCode).toBe(1);
  });

  it("fails with errno=E", async () => {
    const r = await run("cat", ["data/poem.txt"], ["deny openat:errno=EACCES"]);
    expect(r.stderr).toBe("cat: data/poem.txt: Permission denied\n");
  });

  it("selects calls by argument: --deny openat:path=*.csv", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], ["deny openat:path=*.csv"]);
    expect(r.stdout).toMatch(/^The emulator hums/);
    expect(r.stderr).toBe("cat: data/inventory.csv: Operation not permitted\n");
  });

  it("--deny openat:flags=O_CREAT:errno=EROFS stops file creation only", async () => {
    const w = await run("write-file", ["ix-policy-never-created.txt", "x"], ["deny openat:flags=O_CREAT:errno=EROFS"]);
    expect(w.stderr).toBe("write-file: ix-policy-never-created.txt: Read-only file system\n");
    const c = await run("cat", ["data/poem.txt"], ["deny openat:flags=O_CREAT:errno=EROFS"]);
    expect(c.stderr).toBe("");
  });

  it(":kill kills the process with SIGSYS (core dumped), as seccomp's KILL_PROCESS: the call never runs", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], ["deny read:kill"]);
    expect(r.status).toEqual({ exitCode: null, signal: 31, coreDumped: true });
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });

  it(":kill cannot be caught: a SIGSYS handler does not run", async () => {
    const r = await run("ix-paths", ["handler", "getpid", "write:after"], ["deny getpid:kill"]);
    expect(r.stdout).toBe("handler: ok\n");
    expect(r.status.signal).toBe(31);
  });

  it("never denies exit or exit_group: --deny all still lets a process end", async () => {
    const r = await run("asm-hello", [], ["deny all"]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
    expect(r.status).toEqual({ exitCode: 0, signal: null, coreDumped: false });
  });

  it("the first --deny rule that applies decides", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], ["deny openat:path=*.csv:errno=EACCES", "deny openat:errno=ENOENT"]);
    expect(r.stderr).toBe("cat: data/poem.txt: No such file or directory\ncat: data/inventory.csv: Permission denied\n");
  });
});

describe("--allow", () => {
  it("denies with EPERM whatever no --allow rule admits", async () => {
    const r = await run("cat", ["data/poem.txt"], [`allow ${CAT_NEEDS}`]);
    expect(r.stderr).toBe("cat: data/poem.txt: Operation not permitted\n");
    expect(r.status.exitCode).toBe(1); // exit_group ran although not allowed
  });

  it("admits what is allowed (rules accumulate)", async () => {
    const r = await run("cat", ["data/poem.txt"], [`allow ${CAT_NEEDS}`, "allow openat"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^The emulator hums/);
  });

  it("an --allow rule with a filter admits only the calls it matches", async () => {
    const r = await run("cat", ["data/poem.txt", "data/inventory.csv"], [`allow ${CAT_NEEDS}`, "allow openat:path=*.txt"]);
    expect(r.stdout).toMatch(/^The emulator hums/);
    expect(r.stderr).toBe("cat: data/inventory.csv: Operation not permitted\n");
  });

  it("--deny beats --allow whatever their order", async () => {
    const r = await run("cat", ["data/poem.txt"], ["deny openat:errno=EACCES", "allow all"]);
    expect(r.stderr).toBe("cat: data/poem.txt: Permission denied\n");
  });

  it("rt_sigreturn is implicitly allowed with an allowlist: signal handlers return", async () => {
    const needs = "brk,set_tid_address,set_robust_list,prlimit64,readlinkat,getrandom,mprotect,write,rt_sigaction,kill,getpid,gettid,tgkill,rt_sigprocmask";
    const g = spawnGuest("ix-paths", ["handler", "getpid"]);
    createPolicyEngine(g.kernel, [parsePolicyRule(needs, "allow")]).attach(g.task);
    // An injected signal from outside: the handler runs and returns through rt_sigreturn.
    const e = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportSyscallEntry(action, engine, regs) {
        if (regs.syscallNumber === 172n) g.kernel.sendSignal(engine.task, { signo: 10, code: 0x80 });
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, e, UTRACE_EVENT.SYSCALL_ENTRY);
    const status = await withTimeout(g.proc.wait(), "guest");
    expect(g.stdout()).toBe("handler: ok\ngetpid: 1000\ncaught signal 10\n");
    expect(status.exitCode).toBe(0);
  });
});

describe("the decision in the trace", () => {
  it("a denied call is noted 'DENIED by policy' for the printer attached after the policy", async () => {
    const seen: string[] = [];
    const pushed: string[] = [];
    const g = spawnGuest("cat", ["data/poem.txt"]);
    createPolicyEngine(g.kernel, [parsePolicyRule("openat:errno=EACCES", "deny")], { onNote: (_t, n) => pushed.push(n) }).attach(g.task);
    let nr = -1n;
    const printer = g.kernel.utrace.attachTask(g.task, UTRACE_ATTACH_CREATE, {
      reportSyscallEntry(action, _e, regs) {
        nr = regs.syscallNumber;
        return utraceSyscallAction(action) | UTRACE_RESUME;
      },
      reportSyscallExit(_a, engine, regs) {
        if (nr === 56n || nr === 63n) seen.push(`${nr} = ${regs.returnValue} ${injectionNote(engine.task) ?? "-"}`);
        return UTRACE_RESUME;
      },
    }, null);
    g.kernel.utrace.setEvents(g.task, printer, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
    await withTimeout(g.proc.wait(), "guest");
    expect(seen).toEqual([`56 = -13 ${POLICY_NOTE}`]);
    expect(pushed).toEqual(["DENIED by policy"]);
  });
});
