// What a new program finds on its stack (argc, argv, envp, then the auxiliary vector), read and
// written through the task's memory like any engine. A recording takes from it how the program was
// started, byte for byte (argv, envp, AT_EXECFN), and AT_RANDOM: the 16 random bytes the kernel
// puts there (glibc's stack and pointer guards), host randomness that no syscall returns. A replay
// writes the recorded AT_RANDOM back before the program's first instruction, at the start and after
// every execve.
import type { Task } from "../../kernel/task.js";

const AT_NULL = 0n;
const AT_RANDOM = 25n;
const AT_EXECFN = 31n;

export interface InitialStack {
  argv: Uint8Array[];
  envp: Uint8Array[];
  execfn: Uint8Array;
  /** Where AT_RANDOM's bytes are, and what they are. */
  randomAt: bigint | null;
  random: Uint8Array;
}

/** Reads the stack of a program that has not run an instruction yet (sp as the kernel left it). */
export function readInitialStack(task: Task, sp: bigint): InitialStack {
  const argc = task.readU64(sp);
  const strings = (from: bigint): [Uint8Array[], bigint] => {
    const out: Uint8Array[] = [];
    let p = from;
    for (let s = task.readU64(p); s !== 0n; s = task.readU64((p += 8n))) out.push(cstring(task, s));
    return [out, p + 8n];
  };
  const [argv, envEnd] = strings(sp + 8n);
  if (BigInt(argv.length) !== argc) throw new Error("argc does not match argv");
  const [envp, auxv] = strings(envEnd);
  let randomAt: bigint | null = null;
  let execfn: Uint8Array = new Uint8Array(0);
  for (let a = auxv; ; a += 16n) {
    const type = task.readU64(a);
    if (type === AT_NULL) break;
    if (type === AT_RANDOM) randomAt = task.readU64(a + 8n);
    if (type === AT_EXECFN) execfn = cstring(task, task.readU64(a + 8n));
  }
  return { argv, envp, execfn, randomAt, random: randomAt === null ? new Uint8Array(16) : task.readBytes(randomAt, 16) };
}

/** Puts recorded AT_RANDOM bytes in place on a fresh stack. */
export function writeAtRandom(task: Task, sp: bigint, bytes: Uint8Array): void {
  const at = readInitialStack(task, sp).randomAt;
  if (at !== null) task.writeBytes(at, bytes);
}

/** A NUL-terminated string's bytes. */
function cstring(task: Task, addr: bigint): Uint8Array {
  const out: number[] = [];
  for (let a = addr; ; a++) {
    const b = task.readU8(a);
    if (b === 0) return Uint8Array.from(out);
    out.push(b);
  }
}
