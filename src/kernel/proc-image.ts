// What /proc/PID remembers of a process's image from its start (spawn or execve), as Linux keeps it
// in the mm: where argv and envp strings lie (cmdline and environ read memory there, so a program
// that rewrites its argv shows the change), the auxv as it was given (/proc/PID/auxv is that copy),
// and the code and stack addresses of /proc/PID/stat.
import type { AddressSpace } from "../mem/address-space.js";
import { PROT_EXEC } from "../mem/address-space.js";
import type { ProcLayout } from "./procfs/source.js";
import type { Process } from "./process.js";

export interface ImageRecord {
  layout: Omit<ProcLayout, "brk" | "startBrk">;
  auxv: Uint8Array;
}

const records = new WeakMap<Process, ImageRecord>();
/** When each process was made (CLOCK_MONOTONIC ns): /proc/PID/stat's starttime. */
const starts = new WeakMap<Process, bigint>();

export function noteStart(p: Process, monotonicNs: bigint): void {
  starts.set(p, monotonicNs);
}

export function startOf(p: Process): bigint {
  return starts.get(p) ?? 0n;
}

/** Reads the initial stack the image was started with (sp at argc). Faults leave what was read. */
function readStack(mem: AddressSpace, sp: number): ImageRecord {
  const argc = Number(mem.readU64(sp));
  const pointers = (from: number, count: number): number[] => {
    const out: number[] = [];
    for (let q = from; count < 0 ? mem.readU64(q) !== 0n : out.length < count; q += 8) out.push(Number(mem.readU64(q)));
    return out;
  };
  const argv = pointers(sp + 8, argc);
  const envAt = sp + 8 + (argc + 1) * 8;
  const envp = pointers(envAt, -1);
  const auxvAt = envAt + (envp.length + 1) * 8;
  let auxvEnd = auxvAt;
  while (mem.readU64(auxvEnd) !== 0n) auxvEnd += 16;
  const auxv = mem.read(auxvAt, auxvEnd + 16 - auxvAt).slice();
  const endOf = (addr: number): number => addr + mem.readCStringBytes(addr, 1 << 17).length + 1;
  const argStart = argv[0] ?? envp[0] ?? sp;
  const argEnd = argv.length > 0 ? endOf(argv[argv.length - 1]) : argStart;
  const envStart = envp[0] ?? argEnd;
  const envEnd = envp.length > 0 ? endOf(envp[envp.length - 1]) : envStart;
  let startCode = 0;
  let endCode = 0;
  for (const m of mem.listMappings()) {
    if (m.prot & PROT_EXEC && m.name !== "[vdso]" && startCode === 0) {
      startCode = m.start;
      endCode = m.end;
    }
  }
  return { layout: { startCode, endCode, startStack: sp, argStart, argEnd, envStart, envEnd }, auxv };
}

/** Called when a process starts a new image, with its initial stack pointer. */
export function noteImage(p: Process, sp: number): void {
  try {
    records.set(p, readStack(p.mem, sp));
  } catch {
    records.delete(p);
  }
}

/** fork and clone: the child has its parent's image (and its copy of the stack) until it execs. */
export function inheritImage(child: Process, parent: Process): void {
  const r = records.get(parent);
  if (r) records.set(child, r);
}

export function imageRecord(p: Process): ImageRecord | undefined {
  return records.get(p);
}
