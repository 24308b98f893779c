// Time calls, uname, sysinfo, getrandom, futex, riscv_flush_icache and riscv_hwprobe (which strace does
// not decode; rvtrace prints its key/value pairs). Other lines are strace 6.1's.
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, entryOnly, pack, E } from "./decode-helpers.js";

const m = new FakeMemory();
const ts = (sec: number, nsec: number): bigint => m.struct([[8, sec], [8, nsec]]);

describe("clocks and sleeps", () => {
  test("clock_gettime, clock_getres, gettimeofday", () => {
    const t = m.alloc(new Uint8Array(16));
    expect(trace(m, "clock_gettime", [1, t], 0, { during: () => m.write(t, pack([[8, 3041], [8, 875413206]])) }))
      .toBe("clock_gettime(CLOCK_MONOTONIC, {tv_sec=3041, tv_nsec=875413206}) = 0");
    expect(trace(m, "clock_gettime", [99, t], E.EINVAL)).toBe(`clock_gettime(0x63 /* CLOCK_??? */, 0x${t.toString(16)}) = -1 EINVAL (Invalid argument)`);
    expect(trace(m, "clock_gettime", [7, 0], E.EFAULT)).toBe("clock_gettime(CLOCK_BOOTTIME, NULL) = -1 EFAULT (Bad address)");
    expect(trace(m, "clock_gettime", [-2, t], 0)).toBe("clock_gettime(0xfffffffe /* CLOCK_??? */, {tv_sec=3041, tv_nsec=875413206}) = 0");
    expect(trace(m, "clock_getres", [4, ts(0, 1)], 0)).toBe("clock_getres(CLOCK_MONOTONIC_RAW, {tv_sec=0, tv_nsec=1}) = 0");
    expect(trace(m, "clock_getres", [2, 0], 0)).toBe("clock_getres(CLOCK_PROCESS_CPUTIME_ID, NULL) = 0");
    expect(trace(m, "gettimeofday", [ts(1795716947, 378341), 0], 0)).toBe("gettimeofday({tv_sec=1795716947, tv_usec=378341}, NULL) = 0");
    expect(trace(m, "clock_gettime", [1, t], 0, { o: { constStyle: "raw" } })).toBe("clock_gettime(0x1, {tv_sec=3041, tv_nsec=875413206}) = 0");
  });

  test("nanosleep: the remaining time only when interrupted", () => {
    const rem = ts(0, 500);
    expect(trace(m, "nanosleep", [ts(0, 1000), rem], 0)).toBe(`nanosleep({tv_sec=0, tv_nsec=1000}, 0x${rem.toString(16)}) = 0`);
    expect(trace(m, "nanosleep", [ts(0, 1000), 0], 0)).toBe("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0");
    expect(trace(m, "nanosleep", [ts(0, 2000000000), 0], E.EINVAL)).toBe("nanosleep({tv_sec=0, tv_nsec=2000000000}, NULL) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "nanosleep", [ts(1, 0), rem], -516))
      .toBe("nanosleep({tv_sec=1, tv_nsec=0}, {tv_sec=0, tv_nsec=500}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
    expect(entryOnly(m, "nanosleep", [ts(1, 0), rem])).toBe("nanosleep({tv_sec=1, tv_nsec=0}, ");
  });

  test("clock_nanosleep", () => {
    const rem = ts(0, 7);
    expect(trace(m, "clock_nanosleep", [1, 0, ts(0, 100), rem], 0))
      .toBe(`clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=100}, 0x${rem.toString(16)}) = 0`);
    expect(trace(m, "clock_nanosleep", [0, 1, ts(0, 100), 0], 0)).toBe("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=100}, NULL) = 0");
    expect(trace(m, "clock_nanosleep", [1, 0, ts(5, 0), rem], -516))
      .toBe("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=5, tv_nsec=0}, {tv_sec=0, tv_nsec=7}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
  });
});

describe("system information", () => {
  const uts = (): bigint => {
    const b = new Uint8Array(65 * 6);
    ["Linux", "rvtrace", "6.1.0", "#1 SMP rvtrace", "riscv64", "(none)"].forEach((s, i) => b.set(new TextEncoder().encode(s), i * 65));
    return m.alloc(b);
  };

  test("uname, abbreviated and with -v", () => {
    expect(trace(m, "uname", [uts()], 0)).toBe('uname({sysname="Linux", nodename="rvtrace", ...}) = 0');
    expect(trace(m, "uname", [uts()], 0, { o: { verbose: true } }))
      .toBe('uname({sysname="Linux", nodename="rvtrace", release="6.1.0", version="#1 SMP rvtrace", machine="riscv64", domainname="(none)"}) = 0');
    expect(trace(m, "uname", [0x8], E.EFAULT)).toBe("uname(0x8) = -1 EFAULT (Bad address)");
  });

  test("sysinfo prints every field", () => {
    const si = m.alloc(pack([[8, 3042], [8, 530208], [8, 462784], [8, 324416], [8, 4n << 30n], [8, 2n << 30n], [8, 0], [8, 0],
      [8, 0], [8, 0], [2, 1], [2, 0], [4, 0], [8, 0], [8, 0], [4, 1], [4, 0]]));
    expect(trace(m, "sysinfo", [si], 0)).toBe("sysinfo({uptime=3042, loads=[530208, 462784, 324416], totalram=4294967296, freeram=2147483648, " +
      "sharedram=0, bufferram=0, totalswap=0, freeswap=0, procs=1, totalhigh=0, freehigh=0, mem_unit=1}) = 0");
  });

  test("getrandom prints its buffer in hex", () => {
    const buf = m.alloc(new Uint8Array(64));
    const data = new Uint8Array([0x9c, 0x52, 0xc6, 0x4b, 0xfb, 0xaa, 0xb7, 0xc3, 0xfd, 0xe7, 0xf1, 0x45, 0x02, 0xc5, 0x24, 0xbe]);
    expect(trace(m, "getrandom", [buf, 16, 1], 16, { during: () => m.write(buf, data) }))
      .toBe('getrandom("\\x9c\\x52\\xc6\\x4b\\xfb\\xaa\\xb7\\xc3\\xfd\\xe7\\xf1\\x45\\x02\\xc5\\x24\\xbe", 16, GRND_NONBLOCK) = 16');
    expect(trace(m, "getrandom", [buf, 64, 0], 64)).toMatch(/^getrandom\("(\\x[0-9a-f]{2}){32}"\.\.\., 64, 0\) = 64$/);
    expect(trace(m, "getrandom", [buf, 4, 0x82], E.EINVAL)).toBe(`getrandom(0x${buf.toString(16)}, 4, GRND_RANDOM|0x80) = -1 EINVAL (Invalid argument)`);
  });

  test("riscv_flush_icache", () => {
    expect(trace(m, "riscv_flush_icache", [0x10000, 0x20000, 0], 0)).toBe("riscv_flush_icache(0x10000, 0x20000, 0) = 0");
    expect(trace(m, "riscv_flush_icache", [0x10000, 0x20000, 1], 0)).toBe("riscv_flush_icache(0x10000, 0x20000, SYS_RISCV_FLUSH_ICACHE_LOCAL) = 0");
  });

  test("riscv_hwprobe: key/value pairs decoded by key", () => {
    const pairs = m.alloc(pack([[8, 3], [8, 0], [8, 4], [8, 0], [8, 5], [8, 0], [8, 0], [8, 0xff], [8, 99], [8, 0]]));
    expect(entryOnly(m, "riscv_hwprobe", [pairs, 5, 0, 0, 0])).toBe("riscv_hwprobe(");
    expect(trace(m, "riscv_hwprobe", [pairs, 5, 0, 0, 0], 0, {
      during: () => m.write(pairs, pack([[8, 3], [8, 1], [8, 4], [8, 0x3b], [8, 5], [8, 1], [8, 0], [8, 0x489], [8, -1], [8, 0]])),
    })).toBe("riscv_hwprobe([{key=RISCV_HWPROBE_KEY_BASE_BEHAVIOR, value=RISCV_HWPROBE_BASE_BEHAVIOR_IMA}, " +
      "{key=RISCV_HWPROBE_KEY_IMA_EXT_0, value=RISCV_HWPROBE_IMA_FD|RISCV_HWPROBE_IMA_C|RISCV_HWPROBE_EXT_ZBA|RISCV_HWPROBE_EXT_ZBB|RISCV_HWPROBE_EXT_ZBS}, " +
      "{key=RISCV_HWPROBE_KEY_CPUPERF_0, value=RISCV_HWPROBE_MISALIGNED_EMULATED}, {key=RISCV_HWPROBE_KEY_MVENDORID, value=0x489}, " +
      "{key=-1, value=0}], 5, 0, NULL, 0) = 0");
    expect(trace(m, "riscv_hwprobe", [pairs, 1, 0, 0, 3], E.EINVAL))
      .toBe(`riscv_hwprobe(0x${pairs.toString(16)}, 1, 0, NULL, RISCV_HWPROBE_WHICH_CPUS|0x2) = -1 EINVAL (Invalid argument)`);
  });
});

describe("futex", () => {
  const f = 0x7fffc3d846dcn;
  test("arguments by operation", () => {
    expect(trace(m, "futex", [f, 129, 1], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_WAKE_PRIVATE, 1) = 0");
    expect(trace(m, "futex", [f, 0, 1, 0], E.EAGAIN)).toBe("futex(0x7fffc3d846dc, FUTEX_WAIT, 1, NULL) = -1 EAGAIN (Resource temporarily unavailable)");
    expect(trace(m, "futex", [f, 128, 0, ts(0, 100)], -110))
      .toBe("futex(0x7fffc3d846dc, FUTEX_WAIT_PRIVATE, 0, {tv_sec=0, tv_nsec=100}) = -1 ETIMEDOUT (Connection timed out)");
    expect(trace(m, "futex", [f, 393, 1, ts(0, 100), 0, 0xffffffff], E.EAGAIN))
      .toBe("futex(0x7fffc3d846dc, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 1, {tv_sec=0, tv_nsec=100}, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)");
    expect(trace(m, "futex", [f, 10, 1, 0, 0, 5], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_WAKE_BITSET, 1, 0x5) = 0");
    expect(trace(m, "futex", [f, 131, 1, 2, f], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_REQUEUE_PRIVATE, 1, 2, 0x7fffc3d846dc) = 0");
    expect(trace(m, "futex", [f, 4, 1, 2, f, 7], E.EAGAIN))
      .toBe("futex(0x7fffc3d846dc, FUTEX_CMP_REQUEUE, 1, 2, 0x7fffc3d846dc, 7) = -1 EAGAIN (Resource temporarily unavailable)");
    expect(trace(m, "futex", [f, 133, 1, 1, f, 0x14001000], 0))
      .toBe("futex(0x7fffc3d846dc, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7fffc3d846dc, FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0) = 0");
    expect(trace(m, "futex", [f, 6, 0, 0], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_LOCK_PI, NULL) = 0");
    expect(trace(m, "futex", [f, 135], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_UNLOCK_PI_PRIVATE) = 0");
    expect(trace(m, "futex", [f, 8], 0)).toBe("futex(0x7fffc3d846dc, FUTEX_TRYLOCK_PI) = 0");
    expect(trace(m, "futex", [f, 11, 1, ts(0, 100), f], E.EINVAL))
      .toBe("futex(0x7fffc3d846dc, FUTEX_WAIT_REQUEUE_PI, 1, {tv_sec=0, tv_nsec=100}, 0x7fffc3d846dc) = -1 EINVAL (Invalid argument)");
    expect(trace(m, "futex", [f, 99, 1, 2, 3, 4], E.ENOSYS))
      .toBe("futex(0x7fffc3d846dc, 0x63 /* FUTEX_??? */, 1, 0x2, 0x3, 0x4) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, "futex", [0, 0x101, 0], E.ENOSYS)).toBe("futex(NULL, 0x101 /* FUTEX_??? */, 0) = -1 ENOSYS (Function not implemented)");
    expect(trace(m, "futex", [0, 0x82, 0], E.ENOSYS)).toBe("futex(NULL, FUTEX_FD|FUTEX_PRIVATE_FLAG, 0) = -1 ENOSYS (Function not implemented)");
  });
});
