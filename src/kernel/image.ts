// A program image in a fresh address space: the ELF's segments, the signal trampoline page and the
// initial stack (argv, envp, auxv), as the first spawn and every execve build it.
import { AddressSpace, PROT_EXEC, PROT_READ } from "../mem/address-space.js";
import type { MemoryBudget } from "../mem/memory-budget.js";
import { loadElf, buildInitialStack, type ElfImage } from "../elf/index.js";
import type { World } from "./world/world.js";
import { SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE } from "./signal-frame.js";

export interface LoadedProgram {
  mem: AddressSpace;
  entry: number;
  sp: number;
}

/**
 * Maps `image` into a new address space and builds its stack, whose AT_RANDOM bytes and ids come
 * from `world`. Throws ElfError for a file that cannot be loaded (execve turns it into its errno),
 * and RangeError when no address space can be had (the host's limit on reserved memory). Under a
 * memory limit the pages it writes are charged whatever the limit: the caller checks
 * `budget.exceeded` and gives the image up.
 */
export function loadImage(
  image: ElfImage,
  bytes: Uint8Array,
  argv: readonly (string | Uint8Array)[],
  envp: readonly (string | Uint8Array)[],
  execfn: string | Uint8Array,
  world: World,
  budget: MemoryBudget | null = null,
): LoadedProgram {
  const mem = new AddressSpace(budget);
  try {
    return { mem, ...build(mem, image, bytes, argv, envp, execfn, world) };
  } catch (e) {
    // A half-built image gives its memory (and what was charged for it) back.
    mem.release();
    throw e;
  }
}

function build(
  mem: AddressSpace,
  image: ElfImage,
  bytes: Uint8Array,
  argv: readonly (string | Uint8Array)[],
  envp: readonly (string | Uint8Array)[],
  execfn: string | Uint8Array,
  world: World,
): { entry: number; sp: number } {
  const loaded = loadElf(mem, image, bytes);
  mem.map(SIGRETURN_TRAMPOLINE, 4096, PROT_READ | PROT_EXEC, "[vdso]");
  mem.poke(SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE);
  const random = new Uint8Array(16);
  world.random(random);
  const sp = buildInitialStack(mem, loaded, {
    argv,
    envp,
    execfn,
    random,
    uid: world.uid,
    euid: world.uid,
    gid: world.gid,
    egid: world.gid,
    hwcap: HWCAP_IMAFDC,
    clktck: 100,
    minsigstksz: 2048,
    pageSize: 4096,
  });
  return { entry: loaded.entry, sp };
}

/** AT_HWCAP bits for "imafdc" (bit n = letter 'a' + n), as Linux reports for RV64GC. */
const HWCAP_IMAFDC = [..."imafdc"].reduce((m, c) => m | (1n << BigInt(c.charCodeAt(0) - 97)), 0n);
