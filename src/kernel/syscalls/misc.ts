// System information and odds and ends: uname, sysinfo, getrandom, riscv_hwprobe,
// riscv_flush_icache.
import type { SyscallRow } from "./types.js";
import type { Task } from "../task.js";
import { argInt, argLong, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { UTSNAME } from "../uts.js";
import { memoryFigures } from "../proc-view.js";

const UTS_FIELD = 65;

function uname(t: Task): number {
  const p = argPtr(t, 0);
  const buf = new Uint8Array(UTS_FIELD * 6);
  const enc = new TextEncoder();
  Object.values(UTSNAME).forEach((v, i) => buf.set(enc.encode(v), i * UTS_FIELD));
  t.mem.write(p, buf);
  return 0;
}

/**
 * sysinfo: struct sysinfo of a 64-bit kernel (112 bytes). The memory figures are /proc/meminfo's
 * (the --memory-limit, or a modest machine's 4 GiB, and what the guest holds of it).
 */
function sysinfo(t: Task): number {
  const p = argPtr(t, 0);
  const m = t.mem;
  const mem = memoryFigures(t.kernel);
  m.write(p, new Uint8Array(112));
  m.writeU64(p, BigInt(t.kernel.world.uptimeSeconds()));
  m.writeU64(p + 32, BigInt(mem.total)); // totalram
  m.writeU64(p + 40, BigInt(mem.total - mem.used)); // freeram
  m.writeU16(p + 80, t.kernel.tasks.size); // procs
  m.writeU32(p + 104, 1); // mem_unit
  return 0;
}

const GRND_NONBLOCK = 1;
const GRND_RANDOM = 2;
const GRND_INSECURE = 4;

function getrandom(t: Task): number {
  const len = argLong(t, 1);
  const flags = argInt(t, 2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -E.EINVAL;
  if (len < 0) return -E.EINVAL;
  const n = Math.min(len, 33554431);
  const out = t.mem.writableViewOf(argPtr(t, 0), n);
  t.kernel.world.random(out);
  return n;
}

// riscv_hwprobe keys (asm/hwprobe.h).
const HWPROBE = {
  MVENDORID: 0n,
  MARCHID: 1n,
  MIMPID: 2n,
  BASE_BEHAVIOR: 3n,
  IMA_EXT_0: 4n,
  CPUPERF_0: 5n,
} as const;
const BASE_BEHAVIOR_IMA = 1n;
const IMA_FD = 1n;
const IMA_C = 2n;
const MISALIGNED_EMULATED = 1n;

function hwprobe(t: Task): number {
  const count = argLong(t, 1);
  const flags = argLong(t, 4);
  if (flags !== 0) return -E.EINVAL;
  if (count < 0 || count > 1024) return -E.EINVAL;
  const base = count > 0 ? argPtr(t, 0) : 0;
  for (let i = 0; i < count; i++) {
    const at = base + 16 * i;
    const key = t.mem.readI64(at);
    let value: bigint | undefined;
    switch (key) {
      case HWPROBE.MVENDORID:
      case HWPROBE.MARCHID:
      case HWPROBE.MIMPID:
        value = 0n;
        break;
      case HWPROBE.BASE_BEHAVIOR:
        value = BASE_BEHAVIOR_IMA;
        break;
      case HWPROBE.IMA_EXT_0:
        value = IMA_FD | IMA_C;
        break;
      case HWPROBE.CPUPERF_0:
        value = MISALIGNED_EMULATED;
        break;
    }
    if (value === undefined) {
      t.mem.writeU64(at, -1n);
      t.mem.writeU64(at + 8, 0n);
    } else t.mem.writeU64(at + 8, value);
  }
  return 0;
}

export const miscSyscalls: SyscallRow[] = [
  { name: "uname", handler: uname, support: "full" },
  { name: "sysinfo", handler: sysinfo, support: "partial", note: "memory and load figures are fixed, not the host's" },
  { name: "getrandom", handler: getrandom, support: "full", chargesBytes: true },
  { name: "riscv_hwprobe", handler: hwprobe, support: "full" },
  { name: "riscv_flush_icache", handler: () => 0, support: "full", note: "writes to code already drop its decoded form" },
];
