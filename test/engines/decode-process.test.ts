// Process syscalls: exit, ids, clone and clone3 (riscv64's clone argument order), execve, wait4,
// waitid, limits, rseq, prctl. Expectations are strace 6.1's lines for the same calls.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, E } from "./decode-helpers.js";

const m = new FakeMemory();

describe("exit and ids", () => {
  test("exit_group does not return: only its entry text", () => {
    expect(entryOnly(m, "exit_group", [0])).toBe("exit_group(0");
    expect(entryOnly(m, "exit", [42])).toBe("exit(42");
    expect(trace(m, "exit_group", [42], E.ENOSYS, { note: " (INJECTED)" }))
      .toBe("exit_group(42) = -1 ENOSYS (Function not implemented) (INJECTED)");
  });

  test("ids and other argumentless calls", () => {
    expect(trace(m, "getpid", [], 28148)).toBe("getpid() = 28148");
    expect(trace(m, "getppid", [], 28145)).toBe("getppid() = 28145");
    expect(trace(m, "gettid", [], 28148)).toBe("gettid() = 28148");
    expect(trace(m, "getuid", [], 1000)).toBe("getuid() = 1000");
    expect(trace(m, "geteuid", [], 1000)).toBe("geteuid() = 1000");
    expect(trace(m, "getgid", [], 1000)).toBe("getgid() = 1000");
    expect(trace(m, "getegid", [], 1000)).toBe("getegid() = 1000");
    expect(trace(m, "sched_yield", [], 0)).toBe("sched_yield() = 0");
  });

  test("calls that cannot fail print negative results as numbers", () => {
    expect(trace(m, "getuid", [], 0xffffffffffffffffn)).toBe("getuid() = -1");
  });

  test("set_tid_address, set_robust_list, get_robust_list", () => {
    expect(trace(m, "set_tid_address", [0x7f4975060a10n], 28148)).toBe("set_tid_address(0x7f4975060a10) = 28148");
    expect(trace(m, "set_robust_list", [0x7f4975060a20n, 24], 0)).toBe("set_robust_list(0x7f4975060a20, 24) = 0");
    const head = m.alloc(pack([[8, 0x7f4975060a20n]]));
    const len = m.alloc(pack([[8, 24]]));
    expect(trace(m, "get_robust_list", [0, head, len], 0)).toBe("get_robust_list(0, [0x7f4975060a20], [24]) = 0");
  });
});

describe("limits", () => {
  const rl = m.alloc(new Uint8Array(16));
  test("rlimits, with RLIM64_INFINITY and N*1024", () => {
    expect(trace(m, "prlimit64", [0, 3, 0, rl], 0, { during: () => m.write(rl, pack([[8, 8192 * 1024], [8, -1]])) }))
      .toBe("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
    const nrl = m.alloc(pack([[8, 1024], [8, 4096]]));
    expect(trace(m, "prlimit64", [0, 7, nrl, rl], 0, { during: () => m.write(rl, pack([[8, 20000], [8, 20000]])) }))
      .toBe("prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=4*1024}, {rlim_cur=20000, rlim_max=20000}) = 0");
    expect(trace(m, "prlimit64", [12345, 4, 0, rl], -3)).toBe(`prlimit64(12345, RLIMIT_CORE, NULL, 0x${rl.toString(16)}) = -1 ESRCH (No such process)`);
    expect(trace(m, "getrlimit", [7, rl], 0)).toBe("getrlimit(RLIMIT_NOFILE, {rlim_cur=20000, rlim_max=20000}) = 0");
    expect(trace(m, "getrlimit", [99, rl], E.EINVAL)).toBe(`getrlimit(0x63 /* RLIMIT_??? */, 0x${rl.toString(16)}) = -1 EINVAL (Invalid argument)`);
    expect(trace(m, "getrlimit", [7, 1], E.EFAULT)).toBe("getrlimit(RLIMIT_NOFILE, 0x1) = -1 EFAULT (Bad address)");
    expect(trace(m, "getrlimit", [7, 0], E.EFAULT)).toBe("getrlimit(RLIMIT_NOFILE, NULL) = -1 EFAULT (Bad address)");
  });
});

describe("rseq", () => {
  test("the registered area and its signature", () => {
    const area = m.alloc(pack([[4, 0], [4, -1], [8, 0], [4, 0], [4, 0], [8, 0]]));
    expect(trace(m, "rseq", [area, 32, 0, 0x53053053], E.ENOSYS))
      .toBe("rseq({cpu_id_start=0, cpu_id=RSEQ_CPU_ID_UNINITIALIZED, rseq_cs=NULL, flags=0}, 32, 0, 0x53053053) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, "rseq", [0x8, 32, 1, 0x53053053], E.EFAULT)).toBe("rseq(0x8, 32, RSEQ_FLAG_UNREGISTER, 0x53053053) = -1 EFAULT (Bad address)");
  });
});

describe("clone", () => {
  test("fork-like: the flags and exit signal, nothing at exit", () => {
    expect(trace(m, "clone", [17, 0, 0, 0, 0], 30587)).toBe("clone(child_stack=NULL, flags=SIGCHLD) = 30587");
    expect(entryOnly(m, "clone", [17, 0, 0, 0, 0])).toBe("clone(child_stack=NULL, flags=SIGCHLD");
    expect(trace(m, "clone", [0x4111, 0, 0, 0, 0], 30588)).toBe("clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 30588");
    expect(trace(m, "clone", [0, 0, 0, 0, 0], E.EINVAL)).toBe("clone(child_stack=NULL, flags=0) = -1 EINVAL (Invalid argument)");
  });

  test("glibc's fork: child_tidptr", () => {
    expect(trace(m, "clone", [0x1200011, 0, 0, 0, 0x7f3e4b868a10n], 1234))
      .toBe("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f3e4b868a10) = 1234");
  });

  test("a thread: parent_tid read at exit, tls, child_tidptr (riscv64 order: flags, stack, ptid, tls, ctid)", () => {
    const ptid = m.alloc(new Uint8Array(4));
    expect(trace(m, "clone", [0x3d0f00, 0x1000, ptid, 0x4000, 0x3000], 1235, { during: () => m.write(ptid, pack([[4, 1235]])) })).toBe(
      "clone(child_stack=0x1000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|" +
      `CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[1235], tls=0x4000, child_tidptr=0x3000) = 1235`);
    expect(trace(m, "clone", [0x80000, 0x1000, 0x2000, 0x4000, 0x3000], E.EINVAL))
      .toBe("clone(child_stack=0x1000, flags=CLONE_SETTLS, tls=0x4000) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "clone", [0x1000, 0x1000, 0x2000, 0x4000, 0x3000], E.EINVAL))
      .toBe("clone(child_stack=0x1000, flags=CLONE_PIDFD, parent_tid=0x2000) = -1 EINVAL (Invalid argument)");
  });

  test("-X raw and -X verbose", () => {
    expect(trace(m, "clone", [0x1200011, 0, 0, 0, 0], E.EINVAL, { o: { constStyle: "raw" } }))
      .toBe("clone(child_stack=NULL, flags=0x1200000|17, child_tidptr=NULL) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "clone", [0x1200011, 0, 0, 0, 0], E.EINVAL, { o: { constStyle: "verbose" } }))
      .toBe("clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */, child_tidptr=NULL) = -1 EINVAL (Invalid argument)");
  });

  test("every flag", () => {
    expect(trace(m, "clone", [0xffffffffffffff00n, 0, 0, 0, 0], E.EINVAL)).toBe(
      "clone(child_stack=NULL, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_PIDFD|CLONE_PTRACE|CLONE_VFORK|" +
      "CLONE_PARENT|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|" +
      "CLONE_UNTRACED|CLONE_CHILD_SETTID|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|" +
      "CLONE_NEWNET|CLONE_IO|0xffffffff00400000, parent_tid=NULL, tls=NULL, child_tidptr=NULL) = -1 EINVAL (Invalid argument)");
  });

  test("clone3: clone_args at entry, results after =>", () => {
    const pidfd = m.alloc(new Uint8Array(4));
    const args = m.alloc(pack([[8, 0x1000], [8, pidfd], [8, 0], [8, 0], [8, 17], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0], [8, 0]]));
    expect(trace(m, "clone3", [args, 88], 30589, { during: () => m.write(pidfd, pack([[4, 4]])) }))
      .toBe(`clone3({flags=CLONE_PIDFD, pidfd=0x${pidfd.toString(16)}, exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {pidfd=[4]}, 88) = 30589`);
    expect(entryOnly(m, "clone3", [args, 88])).toBe(`clone3({flags=CLONE_PIDFD, pidfd=0x${pidfd.toString(16)}, exit_signal=SIGCHLD, stack=NULL, stack_size=0}`);
    const ptid = m.alloc(new Uint8Array(4));
    const thread = m.alloc(pack([[8, 0x3d0f00], [8, 0], [8, 0x7f00a10n], [8, ptid], [8, 0], [8, 0x7e000000n], [8, 0x7fff00],
      [8, 0x7f00640n], [8, 0], [8, 0], [8, 0]]));
    const line = trace(m, "clone3", [thread, 88], 1235, { during: () => m.write(ptid, pack([[4, 1235]])) });
    expect(line).toBe("clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|" +
      `CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f00a10, parent_tid=0x${ptid.toString(16)}, exit_signal=0, stack=0x7e000000, ` +
      "stack_size=0x7fff00, tls=0x7f00640} => {parent_tid=[1235]}, 88) = 1235");
    const zero = m.alloc(new Uint8Array(88));
    expect(trace(m, "clone3", [zero, 88], E.EINVAL)).toBe("clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0}, 88) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "clone3", [0, 88], E.EINVAL)).toBe("clone3(NULL, 88) = -1 EINVAL (Invalid argument)");
    const odd = m.alloc(pack([[8, 0x1100], [8, 0x1000], [8, 0x2000], [8, 0x3000], [8, 0x11], [8, 0x4000], [8, 0x8000], [8, 0x5000], [8, 0x6000], [8, 1], [8, 0]]));
    expect(trace(m, "clone3", [odd, 88], E.EINVAL)).toBe(
      "clone3({flags=CLONE_VM|CLONE_PIDFD, pidfd=0x1000, exit_signal=SIGCHLD, stack=0x4000, stack_size=0x8000, set_tid=0x6000, set_tid_size=1}, 88) = -1 EINVAL (Invalid argument)");
  });
});

describe("execve", () => {
  const argv = (...s: string[]): bigint => m.alloc(pack([...s.map((x): [number, bigint] => [8, m.str(x)]), [8, 0]]));

  test("argv whole, envp as a count unless -v", () => {
    const av = argv("/nonexist", "a b", 'c"d');
    const ev = argv("A=1", "B=2");
    expect(trace(m, "execve", [m.str("/nonexist"), av, ev], E.ENOENT))
      .toBe(`execve("/nonexist", ["/nonexist", "a b", "c\\"d"], 0x${ev.toString(16)} /* 2 vars */) = -1 ENOENT (No such file or directory)`);
    expect(trace(m, "execve", [m.str("/nonexist"), av, ev], E.ENOENT, { o: { verbose: true } }))
      .toBe('execve("/nonexist", ["/nonexist", "a b", "c\\"d"], ["A=1", "B=2"]) = -1 ENOENT (No such file or directory)');
    const one = argv("A=1");
    expect(trace(m, "execve", [m.str("/bin/x"), argv("x"), one], 0)).toBe(`execve("/bin/x", ["x"], 0x${one.toString(16)} /* 1 var */) = 0`);
    expect(trace(m, "execveat", [-100, m.str("/nonexist"), av, 0, 0x100], E.ENOENT))
      .toBe('execveat(AT_FDCWD, "/nonexist", ["/nonexist", "a b", "c\\"d"], NULL, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)');
  });

  test("long argv is cut at -s entries; each entry at -s bytes", () => {
    const many = argv(...Array.from({ length: 35 }, () => "x"));
    expect(trace(m, "execve", [m.str("/nonexist"), many, 0], E.ENOENT))
      .toBe(`execve("/nonexist", [${Array.from({ length: 32 }, () => '"x"').join(", ")}, ...], NULL) = -1 ENOENT (No such file or directory)`);
    expect(trace(m, "execve", [m.str("/bin/x"), argv("/tmp/p/probe", "59;s"), 0], 0, { o: { stringLimit: 4 } }))
      .toBe('execve("/bin/x", ["/tmp"..., "59;s"], NULL) = 0');
    expect(trace(m, "execve", [m.str("/bin/x"), argv(), 0], E.ENOENT)).toBe('execve("/bin/x", [], NULL) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "execve", [m.str("/bin/x"), 8, 8], E.EFAULT)).toBe('execve("/bin/x", 0x8, 0x8) = -1 EFAULT (Bad address)');
  });
});

describe("wait", () => {
  const st = m.alloc(new Uint8Array(4));
  const status = (v: number) => () => m.write(st, pack([[4, v]]));

  test("statuses as strace's macro expressions", () => {
    expect(trace(m, "wait4", [30587, st, 0, 0], 30587, { during: status(3 << 8) }))
      .toBe("wait4(30587, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 30587");
    expect(trace(m, "wait4", [5, st, 0x40000000, 0], 5, { during: status(9) }))
      .toBe("wait4(5, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], __WALL, NULL) = 5");
    expect(trace(m, "wait4", [5, st, 0, 0], 5, { during: status(0x8b) }))
      .toBe("wait4(5, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 5");
    expect(trace(m, "wait4", [5, st, 0, 0], 5, { during: status(0x137f) }))
      .toBe("wait4(5, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], 0, NULL) = 5");
    expect(trace(m, "wait4", [5, st, 0, 0], 5, { during: status(0xffff) })).toBe("wait4(5, [{WIFCONTINUED(s)}], 0, NULL) = 5");
    expect(entryOnly(m, "wait4", [30587, st, 0, 0])).toBe("wait4(30587, ");
  });

  test("nothing reaped, or an error: the address", () => {
    expect(trace(m, "wait4", [-1, st, 1, 0], -10)).toBe(`wait4(-1, 0x${st.toString(16)}, WNOHANG, NULL) = -1 ECHILD (No child processes)`);
    expect(trace(m, "wait4", [5, st, 1, 0], 0)).toBe(`wait4(5, 0x${st.toString(16)}, WNOHANG, NULL) = 0`);
    expect(trace(m, "wait4", [-1, 0, 0xffffffff, 0], E.EINVAL)).toBe(
      "wait4(-1, NULL, WNOHANG|WEXITED|WSTOPPED|WCONTINUED|WNOWAIT|__WCLONE|__WALL|__WNOTHREAD|0x1efffff0, NULL) = -1 EINVAL (Invalid argument)");
  });

  test("waitid", () => {
    const si = m.alloc(new Uint8Array(128));
    expect(trace(m, "waitid", [0, 0, si, 5, 0], 0)).toBe("waitid(P_ALL, 0, {}, WNOHANG|WEXITED, NULL) = 0");
    expect(trace(m, "waitid", [1, 77, si, 4, 0], 0, {
      during: () => m.write(si, pack([[4, 17], [4, 0], [4, 1], [4, 0], [4, 77], [4, 1000], [4, 0], [4, 0], [8, 1], [8, 2]])),
    })).toBe("waitid(P_PID, 77, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=77, si_uid=1000, si_status=0, si_utime=1 /* 0.01 s */, si_stime=2 /* 0.02 s */}, WEXITED, NULL) = 0");
    expect(trace(m, "waitid", [0, 0, si, 5, 0], -10)).toBe(`waitid(P_ALL, 0, 0x${si.toString(16)}, WNOHANG|WEXITED, NULL) = -1 ECHILD (No child processes)`);
  });
});

describe("prctl", () => {
  test("options with their own argument formats", () => {
    expect(trace(m, "prctl", [1, 9, 0, 0, 0], 0)).toBe("prctl(PR_SET_PDEATHSIG, SIGKILL) = 0");
    const i = m.alloc(pack([[4, 0]]));
    expect(trace(m, "prctl", [2, i], 0)).toBe("prctl(PR_GET_PDEATHSIG, [0]) = 0");
    expect(trace(m, "prctl", [3], 1)).toBe("prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");
    expect(trace(m, "prctl", [4, 1], 0)).toBe("prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = 0");
    expect(trace(m, "prctl", [15, m.str("abcdefghijklmnopqrstuvwxyz")], 0)).toBe('prctl(PR_SET_NAME, "abcdefghijklmno"...) = 0');
    expect(trace(m, "prctl", [15, m.str("hello")], 0)).toBe('prctl(PR_SET_NAME, "hello") = 0');
    const name = m.alloc(new Uint8Array(16));
    expect(trace(m, "prctl", [16, name], 0, { during: () => m.write(name, new TextEncoder().encode("hi\0")) })).toBe('prctl(PR_GET_NAME, "hi") = 0');
    expect(trace(m, "prctl", [22, 2, 0], 0)).toBe("prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL) = 0");
    expect(trace(m, "prctl", [23, 5], 0)).toBe("prctl(PR_CAPBSET_READ, CAP_KILL) = 0");
    expect(trace(m, "prctl", [38, 1, 0, 0, 0], 0)).toBe("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0");
    const p = m.alloc(pack([[8, 0]]));
    expect(trace(m, "prctl", [40, p], 0)).toBe("prctl(PR_GET_TID_ADDRESS, [NULL]) = 0");
    expect(trace(m, "prctl", [0x59616d61, -1], 0)).toBe("prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = 0");
    expect(trace(m, "prctl", [0x53564d41, 0, 0x1000, 8192, m.str("anon")], 0)).toBe('prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x1000, 8192, "anon") = 0');
    expect(trace(m, "prctl", [47, 1, 3, 0, 0], 0)).toBe("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_FOWNER, 0, 0) = 0");
    expect(trace(m, "prctl", [52, 0, 0, 0, 0], 0)).toBe("prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0 (PR_SPEC_NOT_AFFECTED)");
    expect(trace(m, "prctl", [9999, 1, 2, 3, 4], E.EINVAL)).toBe("prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)");
  });
});

describe("scheduling and personality", () => {
  test("return texts naming the result", () => {
    expect(trace(m, "sched_getscheduler", [0], 0)).toBe("sched_getscheduler(0) = 0 (SCHED_OTHER)");
    expect(trace(m, "sched_setscheduler", [0, 5, 0], E.EINVAL)).toBe("sched_setscheduler(0, SCHED_IDLE, NULL) = -1 EINVAL (Invalid argument)");
    const mask = m.alloc(pack([[8, 3], [8, 0]]));
    expect(trace(m, "sched_getaffinity", [0, 128, mask], 8)).toBe("sched_getaffinity(0, 128, [0 1]) = 8");
    expect(trace(m, "personality", [0xffffffff], 0)).toBe("personality(0xffffffff) = 0 (PER_LINUX)");
    expect(trace(m, "personality", [0x800000], 0x400000)).toBe("personality(PER_LINUX|ADDR_LIMIT_32BIT) = 0x400000 (PER_LINUX|READ_IMPLIES_EXEC)");
  });
});
