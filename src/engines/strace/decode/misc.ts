// Decoders of the remaining calls (strace src/futex.c, getrandom.c, term.c, epoll.c) and of
// riscv_hwprobe, which strace does not decode: it is printed here as an array of
// `{key=RISCV_HWPROBE_KEY_…, value=…}` pairs, values decoded by key.
import type { Arg, Decoded, DecoderTable, DecodeOptions, Entry, GuestMemory } from "./types.js";
import {
  EPOLL_EVENTS, FUTEX, FUTEX_BITSET, FUTEX_OPS, FUTEX_WAKE_CMPS, FUTEX_WAKE_OPS, GETRANDOM_FLAGS,
  HWPROBE_KEY, RISCV_HWPROBE_BASE_BEHAVIOR, RISCV_HWPROBE_FLAGS, RISCV_HWPROBE_IMA_EXT_0,
  RISCV_HWPROBE_KEYS, RISCV_HWPROBE_MISALIGNED, RISCV_HWPROBE_MISALIGNED_SCALAR,
  RISCV_HWPROBE_MISALIGNED_VECTOR,
} from "../../../abi/xlat/misc.js";
import {
  BAUD_OPTIONS, CBAUD, CIBAUD, CSIZE, IBSHIFT, LINE_DISCIPLINES, NCCS, TERM_CC, TERM_CFLAGS, TERM_CSIZE,
  TERM_IFLAGS, TERM_LFLAGS, TERM_OFLAG_DELAYS, TERM_OFLAGS,
} from "../../../abi/xlat/termios.js";
import { flags, hex, ptr, u32, u64, xval } from "./print.js";
import { printStrN } from "./strings.js";
import { bitmap, fields, struct, timespec, View } from "./structs.js";
import { out } from "./deferred.js";

// ---- futex ----

/** FUTEX_WAKE_OP's val3: `FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0`. */
export function futexWakeOp(v: bigint, o: DecodeOptions): string {
  const op = (v >> 28n) & 0xfn;
  const shift = (op & 8n) !== 0n ? "FUTEX_OP_OPARG_SHIFT<<28|" : "";
  return `${shift}${xval(op & 7n, FUTEX_WAKE_OPS, "FUTEX_OP_???", o)}<<28|${hex((v >> 12n) & 0xfffn)}<<12|` +
    `${xval((v >> 24n) & 0xfn, FUTEX_WAKE_CMPS, "FUTEX_OP_CMP_???", o)}<<24|${hex(v & 0xfffn)}`;
}

function futex(e: Entry): Decoded {
  const [uaddr, opArg, val, timeout, uaddr2, val3] = e.args;
  const { mem, o } = e;
  const op = u32(opArg);
  const cmd = Number(op) & FUTEX.CMD_MASK;
  const args: Arg[] = [ptr(uaddr), xval(op, FUTEX_OPS, "FUTEX_???", o, { bits: 32 })];
  const v = String(u32(val));
  const val2 = String(u32(timeout));
  switch (cmd) {
    case FUTEX.WAIT: args.push(v, timespec(mem, timeout, o)); break;
    case FUTEX.LOCK_PI: case FUTEX.LOCK_PI2: args.push(timespec(mem, timeout, o)); break;
    case FUTEX.WAKE: case FUTEX.FD: args.push(v); break;
    case FUTEX.REQUEUE: args.push(v, val2, ptr(uaddr2)); break;
    case FUTEX.CMP_REQUEUE: case FUTEX.CMP_REQUEUE_PI: args.push(v, val2, ptr(uaddr2), String(u32(val3))); break;
    case FUTEX.WAKE_OP: args.push(v, val2, ptr(uaddr2), futexWakeOp(u32(val3), o)); break;
    case FUTEX.UNLOCK_PI: case FUTEX.TRYLOCK_PI: break;
    case FUTEX.WAIT_BITSET: args.push(v, timespec(mem, timeout, o), xval(u32(val3), FUTEX_BITSET, undefined, o)); break;
    case FUTEX.WAKE_BITSET: args.push(v, xval(u32(val3), FUTEX_BITSET, undefined, o)); break;
    case FUTEX.WAIT_REQUEUE_PI: args.push(v, timespec(mem, timeout, o), ptr(uaddr2)); break;
    default: args.push(v, ptr(timeout), ptr(uaddr2), hex(u32(val3)));
  }
  return { args };
}

// ---- getrandom ----

function getrandom(e: Entry): Decoded {
  const [buf, len, fl] = e.args;
  return {
    args: [
      out(buf, (x) => printStrN(x.mem, buf, x.ret, x.o, true)), String(u64(len)),
      flags(u32(fl), GETRANDOM_FLAGS, "GRND_???", e.o),
    ],
  };
}

// ---- riscv_hwprobe ----

function hwprobeValue(key: bigint, value: bigint, o: DecodeOptions): string {
  switch (key) {
    case HWPROBE_KEY.BASE_BEHAVIOR: return flags(value, RISCV_HWPROBE_BASE_BEHAVIOR, "RISCV_HWPROBE_BASE_BEHAVIOR_???", o);
    case HWPROBE_KEY.IMA_EXT_0: return flags(value, RISCV_HWPROBE_IMA_EXT_0, "RISCV_HWPROBE_EXT_???", o);
    case HWPROBE_KEY.CPUPERF_0: return xval(value, RISCV_HWPROBE_MISALIGNED, "RISCV_HWPROBE_MISALIGNED_???", o);
    case HWPROBE_KEY.MISALIGNED_SCALAR_PERF:
      return xval(value, RISCV_HWPROBE_MISALIGNED_SCALAR, "RISCV_HWPROBE_MISALIGNED_SCALAR_???", o);
    case HWPROBE_KEY.MISALIGNED_VECTOR_PERF:
      return xval(value, RISCV_HWPROBE_MISALIGNED_VECTOR, "RISCV_HWPROBE_MISALIGNED_VECTOR_???", o);
    case HWPROBE_KEY.ZICBOZ_BLOCK_SIZE: case HWPROBE_KEY.ZICBOM_BLOCK_SIZE: case HWPROBE_KEY.TIME_CSR_FREQ:
      return String(value);
    default: return hex(value);
  }
}

/** struct riscv_hwprobe[count]: `[{key=…, value=…}]`, or keys only (`withValues` false). */
export function hwprobePairs(mem: GuestMemory, addr: bigint, count: number, o: DecodeOptions, withValues: boolean): string {
  if (addr === 0n) return "NULL";
  if (count <= 0) return "[]";
  const cut = !o.verbose && count > o.stringLimit;
  const n = cut ? o.stringLimit : count;
  const b = mem.read(addr, n * 16);
  if (b === null) return ptr(addr);
  const v = new View(b);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = v.i64(i * 16);
    const keyText = xval(BigInt.asUintN(64, key), RISCV_HWPROBE_KEYS, undefined, o, { fmt: "d" });
    items.push(withValues ? `{key=${keyText}, value=${hwprobeValue(key, v.u64(i * 16 + 8), o)}}` : `{key=${keyText}}`);
  }
  if (cut) items.push("...");
  return "[" + items.join(", ") + "]";
}

function riscvHwprobe(e: Entry): Decoded {
  const [pairs, countArg, setsize, cpus, fl] = e.args;
  const count = Number(u64(countArg) > 0x10000n ? 0x10000n : u64(countArg));
  return {
    args: [
      out(pairs, (x) => hwprobePairs(x.mem, pairs, count, x.o, true)), String(u64(countArg)), String(u64(setsize)),
      bitmap(e.mem, cpus, Number(u64(setsize) > 0x1000n ? 0n : u64(setsize)), e.o),
      flags(u32(fl), RISCV_HWPROBE_FLAGS, "RISCV_HWPROBE_???", e.o),
    ],
  };
}

// ---- termios and epoll structures ----

/** struct termios of riscv64 (asm-generic/termbits.h: four tcflag_t, c_line, c_cc[19]). */
export const termios = struct(17 + NCCS, (v, o) => {
  const iflag = v.u32(0);
  let oflag = v.u32(4);
  let cflag = v.u32(8);
  const lflag = v.u32(12);
  let oText = "";
  for (const d of TERM_OFLAG_DELAYS) {
    oText += xval(oflag & d.mask, d.names, d.dflt, o) + "|";
    oflag &= ~d.mask;
  }
  oText += flags(oflag, TERM_OFLAGS, undefined, o);
  let cText = xval(cflag & CBAUD, BAUD_OPTIONS, "B???", o) + "|";
  if (cflag & CIBAUD) cText += xval((cflag & CIBAUD) >> IBSHIFT, BAUD_OPTIONS, "B???", o) + "<<IBSHIFT|";
  cText += xval(cflag & CSIZE, TERM_CSIZE, "CS?", o) + "|";
  cflag &= ~(CBAUD | CIBAUD | CSIZE);
  cText += flags(cflag, TERM_CFLAGS, undefined, o);
  const parts = [
    `c_iflag=${flags(iflag, TERM_IFLAGS, undefined, o)}`,
    `c_oflag=${oText}`,
    `c_cflag=${cText}`,
    `c_lflag=${flags(lflag, TERM_LFLAGS, undefined, o)}`,
  ];
  if (!o.verbose) return fields(parts, true);
  parts.push(`c_line=${xval(v.u8(16), LINE_DISCIPLINES, "N_???", o)}`);
  const cc: string[] = [];
  for (let i = 0; i < NCCS; i++) {
    const name = TERM_CC.entries.find(([, val]) => val === BigInt(i))?.[0];
    cc.push(`[${name ?? i}]=${hex(v.u8(17 + i))}`);
  }
  parts.push(`c_cc=[${cc.join(", ")}]`);
  return fields(parts);
});

/** struct epoll_event (riscv64: events, 4 bytes of padding, data). */
export const epollEvent = struct(16, (v, o) =>
  `{events=${flags(v.u32(0), EPOLL_EVENTS, "EPOLL???", o)}, data={u32=${v.u32(8)}, u64=${v.u64(8)}}}`);

/** Hand-written decoders of the remaining calls. */
export const MISC_DECODERS: DecoderTable = {
  futex,
  getrandom,
  riscv_hwprobe: riscvHwprobe,
};
