// A ProcSource made of plain values, for testing the /proc generators without a kernel.
import type { ProcMapping, ProcProcess, ProcSource } from "../../../src/kernel/procfs/source.js";
import type { OpenFile } from "../../../src/kernel/vfs/open-file.js";

export function fakeProcess(over: Partial<ProcProcess> = {}): ProcProcess {
  const files = new Map<number, OpenFile>();
  const maps: ProcMapping[] = [
    { start: 0x10000, end: 0x12000, prot: 5, shared: false, name: "/bin/prog" },
    { start: 0x12000, end: 0x13000, prot: 3, shared: false, name: "/bin/prog" },
    { start: 0x13000, end: 0x15000, prot: 3, shared: false, name: "[heap]" },
    { start: 0x20000000, end: 0x20001000, prot: 3, shared: true, name: "" },
    { start: 0xbf800000, end: 0xc0000000, prot: 3, shared: false, name: "[stack]" },
  ];
  return {
    pid: 1000,
    ppid: 1,
    pgid: 1000,
    sid: 1000,
    uid: 1000,
    gid: 1000,
    groups: [1000, 27],
    nice: 0,
    umask: 0o022,
    state: "R",
    threads: [{ tid: 1000, state: "R", comm: "prog", cpuNs: 2_500_000_000n }],
    startNs: 1_000_000_000n,
    cpuNs: 2_500_000_000n,
    exe: "/bin/prog",
    cwd: "/work",
    fds: { get: (fd) => files.get(fd), fds: () => [...files.keys()].sort((a, b) => a - b) },
    sigPending: 0n,
    sigShared: 0n,
    sigBlocked: 1n << 1n,
    sigIgnored: 1n << 12n,
    sigCaught: 1n << 16n,
    exitSignal: 17,
    cmdline: () => new TextEncoder().encode("prog\0-x\0"),
    environ: () => new TextEncoder().encode("A=1\0"),
    auxv: () => new Uint8Array(16),
    mappings: () => maps,
    layout: () => ({ startCode: 0x10000, endCode: 0x12000, startStack: 0xbffff000, startBrk: 0x13000, brk: 0x15000, argStart: 0xbffff100, argEnd: 0xbffff108, envStart: 0xbffff108, envEnd: 0xbffff10c }),
    limits: () => [[1n, 2n], [0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn]],
    ...over,
  };
}

export function fakeSource(procs: ProcProcess[] = [fakeProcess()], over: Partial<ProcSource> = {}): ProcSource {
  return {
    pids: () => procs.map((p) => p.pid),
    process: (pid) => procs.find((p) => p.pid === pid) ?? null,
    threadOwner: (tid) => procs.find((p) => p.threads.some((t) => t.tid === tid))?.pid ?? null,
    uptimeNs: () => 12_345_000_000n,
    bootTimeSec: () => 946_684_799,
    memory: () => ({ total: 64 * 1024 * 1024, used: 10 * 1024 * 1024 }),
    load: () => ({ running: 1, total: 3, lastPid: 1002 }),
    mounts: () => [
      { id: 21, parent: 1, guest: "/", readOnly: true, fstype: "rootfs", source: "rootfs" },
      { id: 22, parent: 21, guest: "/work dir", readOnly: false, fstype: "ext4", source: "rvtrace" },
    ],
    isa: "rv64imafdc_zicsr_zifencei",
    hostname: "rvtrace",
    osrelease: "6.1.0",
    version: "#1 SMP rvtrace",
    pidMax: 4194304,
    ...over,
  };
}
