// Signal syscalls and the signal and exit lines. riscv64's struct sigaction has no sa_restorer, so
// strace prints {sa_handler, sa_mask, sa_flags} only; otherwise the lines are strace 6.1's.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, E } from "./decode-helpers.js";
import { formatSignal, formatExit } from "../../src/engines/strace/decode.js";

const m = new FakeMemory();
const sigs = (...s: number[]): bigint => s.reduce((v, n) => v | (1n << BigInt(n - 1)), 0n);

describe("rt_sigaction", () => {
  const act = (handler: number | bigint, flags: number | bigint, mask: bigint): bigint => m.alloc(pack([[8, handler], [8, flags], [8, mask]]));
  test("new and old actions", () => {
    const old = m.alloc(new Uint8Array(24));
    expect(trace(m, "rt_sigaction", [10, act(0x1234, 0x18000004, sigs(2, 15)), old, 8], 0))
      .toBe("rt_sigaction(SIGUSR1, {sa_handler=0x1234, sa_mask=[INT TERM], sa_flags=SA_ONSTACK|SA_RESTART|SA_SIGINFO}, " +
        "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");
    expect(trace(m, "rt_sigaction", [13, act(1, 0, ~0n), 0, 8], 0)).toBe("rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=~[], sa_flags=0}, NULL, 8) = 0");
    expect(trace(m, "rt_sigaction", [17, act(1, 0xc0000403, ~0n), 0, 8], 0))
      .toBe("rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=~[], sa_flags=SA_NODEFER|SA_RESETHAND|SA_NOCLDSTOP|SA_NOCLDWAIT|0x400}, NULL, 8) = 0");
    expect(trace(m, "rt_sigaction", [12, act(0x1234, -1, sigs(2, 15)), 0, 8], 0))
      .toBe("rt_sigaction(SIGUSR2, {sa_handler=0x1234, sa_mask=[INT TERM], sa_flags=SA_ONSTACK|SA_RESTART|SA_INTERRUPT|SA_NODEFER|SA_RESETHAND|" +
        "SA_SIGINFO|SA_NOCLDSTOP|SA_NOCLDWAIT|0xffffffff07fffff8}, NULL, 8) = 0");
    expect(entryOnly(m, "rt_sigaction", [10, act(0, 0, 0n), old, 8])).toBe("rt_sigaction(SIGUSR1, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, ");
  });

  test("errors: the old action is not read; odd signal numbers", () => {
    expect(trace(m, "rt_sigaction", [99, act(0, 0, 0n), 0, 8], E.EINVAL))
      .toBe("rt_sigaction(99, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, NULL, 8) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "rt_sigaction", [37, 0, 8, 8], E.EFAULT)).toBe("rt_sigaction(SIGRT_5, NULL, 0x8, 8) = -1 EFAULT (Bad address)");
  });

  test("-X raw and -X verbose", () => {
    const a = act(0, 0x18000004, sigs(2, 15));
    expect(trace(m, "rt_sigaction", [10, a, 0, 8], 0, { o: { constStyle: "raw" } }))
      .toBe("rt_sigaction(10, {sa_handler=0, sa_mask=[2 15], sa_flags=0x18000004}, NULL, 8) = 0");
    expect(trace(m, "rt_sigaction", [10, a, 0, 8], 0, { o: { constStyle: "verbose" } }))
      .toBe("rt_sigaction(10 /* SIGUSR1 */, {sa_handler=0 /* SIG_DFL */, sa_mask=[2 /* INT */ 15 /* TERM */], " +
        "sa_flags=0x18000004 /* SA_ONSTACK|SA_RESTART|SA_SIGINFO */}, NULL, 8) = 0");
  });
});

describe("masks", () => {
  const set = (v: bigint): bigint => m.alloc(pack([[8, v]]));
  test("rt_sigprocmask", () => {
    const old = m.alloc(new Uint8Array(8));
    expect(trace(m, "rt_sigprocmask", [0, set(sigs(2, 15, 34, 41)), old, 8], 0))
      .toBe("rt_sigprocmask(SIG_BLOCK, [INT TERM RT_2 RT_9], [], 8) = 0");
    expect(trace(m, "rt_sigprocmask", [2, set(~0n), old, 8], 0, { during: () => m.write(old, pack([[8, sigs(2, 15)]])) }))
      .toBe("rt_sigprocmask(SIG_SETMASK, ~[], [INT TERM], 8) = 0");
    expect(trace(m, "rt_sigprocmask", [1, set(~sigs(2)), 0, 8], 0)).toBe("rt_sigprocmask(SIG_UNBLOCK, ~[INT], NULL, 8) = 0");
    expect(trace(m, "rt_sigprocmask", [5, 0, old, 8], 0)).toBe("rt_sigprocmask(0x5 /* SIG_??? */, NULL, [INT TERM], 8) = 0");
    expect(trace(m, "rt_sigprocmask", [0, set(sigs(31, 32, 33, 63, 64)), 0, 8], 0)).toBe("rt_sigprocmask(SIG_BLOCK, [SYS RTMIN RT_1 RT_31 RT_32], NULL, 8) = 0");
    // A sigsetsize other than 8 prints the addresses, readable or not (strace 6.1 on the host does).
    const wide = m.alloc(new Uint8Array(16));
    expect(trace(m, "rt_sigprocmask", [2, wide, old, 16], E.EINVAL))
      .toBe(`rt_sigprocmask(SIG_SETMASK, 0x${wide.toString(16)}, 0x${old.toString(16)}, 16) = -1 EINVAL (Invalid argument)`);
    const narrow = set(0n);
    expect(trace(m, "rt_sigprocmask", [2, narrow, 0, 16], E.EINVAL))
      .toBe(`rt_sigprocmask(SIG_SETMASK, 0x${narrow.toString(16)}, NULL, 16) = -1 EINVAL (Invalid argument)`);
  });

  test("rt_sigpending and rt_sigsuspend", () => {
    const p = m.alloc(pack([[8, 0]]));
    expect(trace(m, "rt_sigpending", [p, 8], 0)).toBe("rt_sigpending([], 8) = 0");
    expect(trace(m, "rt_sigsuspend", [set(sigs(10)), 8], -514)).toBe("rt_sigsuspend([USR1], 8) = ? ERESTARTNOHAND (To be restarted if no handler)");
  });
});

describe("rt_sigreturn", () => {
  test("prints the mask being restored, from the signal frame at sp", () => {
    const frame = new Uint8Array(1088);
    new DataView(frame.buffer).setBigUint64(168, sigs(10), true);
    const sp = m.alloc(frame);
    expect(trace(m, "rt_sigreturn", [], 0, { sp })).toBe("rt_sigreturn({mask=[USR1]}) = 0");
    const empty = m.alloc(new Uint8Array(1088));
    expect(trace(m, "rt_sigreturn", [], 0, { sp: empty })).toBe("rt_sigreturn({mask=[]}) = 0");
    expect(trace(m, "rt_sigreturn", [], 0, { sp: 0x1000n })).toBe("rt_sigreturn({mask=0x10a8}) = 0");
  });
});

describe("sigaltstack, kill, queued signals", () => {
  test("sigaltstack", () => {
    const old = m.alloc(pack([[8, 0], [4, 2], [4, 0], [8, 0]]));
    expect(trace(m, "sigaltstack", [0, old], 0)).toBe("sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0");
    const ss = m.alloc(pack([[8, 0x558282cda2a0n], [4, 0], [4, 0], [8, 16384]]));
    expect(trace(m, "sigaltstack", [ss, old], 0)).toBe("sigaltstack({ss_sp=0x558282cda2a0, ss_flags=0, ss_size=16384}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0");
    const all = m.alloc(pack([[8, 0], [4, 0xffffffff], [4, 0], [8, 0]]));
    expect(trace(m, "sigaltstack", [all, 0], 0)).toBe("sigaltstack({ss_sp=NULL, ss_flags=SS_ONSTACK|SS_DISABLE|SS_AUTODISARM|0x7ffffffc, ss_size=0}, NULL) = 0");
  });

  test("kill, tkill, tgkill", () => {
    expect(trace(m, "kill", [0, 0], 0)).toBe("kill(0, 0) = 0");
    expect(trace(m, "kill", [-1, 18], 0)).toBe("kill(-1, SIGCONT) = 0");
    expect(trace(m, "kill", [999999, 200], -3)).toBe("kill(999999, 200) = -1 ESRCH (No such process)");
    expect(trace(m, "tkill", [999999, 34], -3)).toBe("tkill(999999, SIGRT_2) = -1 ESRCH (No such process)");
    expect(trace(m, "tgkill", [28148, 999999, 64], -3)).toBe("tgkill(28148, 999999, SIGRT_32) = -1 ESRCH (No such process)");
    expect(trace(m, "kill", [28148, 9], 0)).toBe("kill(28148, SIGKILL) = 0");
  });

  test("rt_sigtimedwait names the signal it returns; rt_sigqueueinfo prints siginfo", () => {
    const set = m.alloc(pack([[8, sigs(10)]]));
    const info = m.alloc(new Uint8Array(128));
    expect(trace(m, "rt_sigtimedwait", [set, info, 0, 8], 10, {
      during: () => m.write(info, pack([[4, 10], [4, 0], [4, 0], [4, 0], [4, 12345], [4, 1000]])),
    })).toBe("rt_sigtimedwait([USR1], {si_signo=SIGUSR1, si_code=SI_USER, si_pid=12345, si_uid=1000}, NULL, 8) = 10 (SIGUSR1)");
    const q = (fields: [number, number | bigint][]): bigint => {
      const b = new Uint8Array(128);
      b.set(pack(fields));
      return m.alloc(b);
    };
    expect(trace(m, "rt_sigqueueinfo", [1, 10, q([[4, 10], [4, 0], [4, -50], [4, 0], [4, 12345], [4, 0], [8, 0]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGUSR1, {si_signo=SIGUSR1, si_code=0xffffffce, si_pid=12345, si_uid=0}) = 0");
    expect(trace(m, "rt_sigqueueinfo", [1, 10, q([[4, 10], [4, 0], [4, -2], [4, 0], [4, 1], [4, 2], [8, 3]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_TIMER, si_timerid=0x1, si_overrun=2, si_int=3, si_ptr=0x3}) = 0");
    expect(trace(m, "rt_sigqueueinfo", [1, 11, q([[4, 11], [4, 0], [4, 1], [4, 0], [8, 0x1000], [8, 0]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGSEGV, {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x1000}) = 0");
    expect(trace(m, "rt_sigqueueinfo", [1, 10, q([[4, 10], [4, 2], [4, 0x80], [4, 0], [8, 0], [8, 0]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_KERNEL, si_errno=ENOENT}) = 0");
    expect(trace(m, "rt_sigqueueinfo", [1, 31, q([[4, 31], [4, 0], [4, 1], [4, 0], [8, 0x1000], [4, 59], [4, 0xc00000f3]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGSYS, {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x1000, si_syscall=59, si_arch=AUDIT_ARCH_RISCV64}) = 0");
    expect(trace(m, "rt_sigqueueinfo", [1, 17, q([[4, 17], [4, 0], [4, 2], [4, 0], [4, 12345], [4, 100], [4, 9], [4, 0], [8, 1], [8, 2]])], 0))
      .toBe("rt_sigqueueinfo(1, SIGCHLD, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=12345, si_uid=100, si_status=SIGKILL, si_utime=1 /* 0.01 s */, si_stime=2 /* 0.02 s */}) = 0");
  });
});

describe("signal and exit lines", () => {
  test("--- SIG… {siginfo} ---", () => {
    expect(formatSignal({ signo: 11, code: 1, addr: 0x10n })).toBe("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---");
    expect(formatSignal({ signo: 11, code: 0x80 })).toBe("--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---");
    expect(formatSignal({ signo: 10, code: 0x80 })).toBe("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---");
    expect(formatSignal({ signo: 2, code: 0, pid: 1234, uid: 1000 })).toBe("--- SIGINT {si_signo=SIGINT, si_code=SI_USER, si_pid=1234, si_uid=1000} ---");
    expect(formatSignal({ signo: 6, code: -6, pid: 42, uid: 0 })).toBe("--- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=42, si_uid=0} ---");
    expect(formatSignal({ signo: 4, code: 1, addr: 0x10178n })).toBe("--- SIGILL {si_signo=SIGILL, si_code=ILL_ILLOPC, si_addr=0x10178} ---");
    expect(formatSignal({ signo: 7, code: 1, addr: 0x10001n })).toBe("--- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRALN, si_addr=0x10001} ---");
    expect(formatSignal({ signo: 17, code: 1, pid: 30587, uid: 0, status: 3 }))
      .toBe("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=30587, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---");
    expect(formatSignal({ signo: 17, code: 2, pid: 30588, uid: 0, status: 9 }))
      .toBe("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=30588, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0} ---");
    expect(formatSignal({ signo: 34, code: -1, pid: 7, uid: 8 })).toBe("--- SIGRT_2 {si_signo=SIGRT_2, si_code=SI_QUEUE, si_pid=7, si_uid=8} ---");
  });

  test("+++ exited / killed +++", () => {
    expect(formatExit({ exitCode: 0, signal: null, coreDumped: false })).toBe("+++ exited with 0 +++");
    expect(formatExit({ exitCode: 42, signal: null, coreDumped: false })).toBe("+++ exited with 42 +++");
    expect(formatExit({ exitCode: null, signal: 9, coreDumped: false })).toBe("+++ killed by SIGKILL +++");
    expect(formatExit({ exitCode: null, signal: 6, coreDumped: true })).toBe("+++ killed by SIGABRT (core dumped) +++");
    expect(formatExit({ exitCode: null, signal: 11, coreDumped: true })).toBe("+++ killed by SIGSEGV (core dumped) +++");
  });
});
