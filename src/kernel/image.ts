// A program image in a fresh address space: the ELF's segments, its interpreter's (the dynamic loader
// named by PT_INTERP) when it has one, the signal trampoline page and the initial stack (argv, envp,
// auxv), as the first spawn and every execve build it.
//
// A dynamic program is laid out as Linux's binfmt_elf does it: the program at its own addresses (a
// PIE at LAYOUT.pieBase), the interpreter where an mmap of its whole span would go (top-down from
// LAYOUT.mmapTop, below the stack), the program break after the program, execution starting at the
// interpreter's entry point, and the auxv telling the interpreter where both are (AT_BASE: the
// interpreter's load address; AT_PHDR, AT_PHNUM, AT_ENTRY: the program's).
import { AddressSpace, PAGE_SIZE, PROT_EXEC, PROT_READ } from "../mem/address-space.js";
import type { MemoryBudget } from "../mem/memory-budget.js";
import { loadElf, buildInitialStack, parseElf, ElfError, type ElfImage } from "../elf/index.js";
import type { World } from "./world/world.js";
import { SIGRETURN_TRAMPOLINE, TRAMPOLINE_CODE } from "./signal-frame.js";

export interface LoadedProgram {
  mem: AddressSpace;
  /** Where the first instruction is: the interpreter's entry point for a dynamic program. */
  entry: number;
  sp: number;
}

/** The interpreter of a dynamic program, as read from the guest's file system. */
export interface Interpreter {
  /** Its parsed image (any load bias; the loader chooses its own). */
  image: ElfImage;
  bytes: Uint8Array;
}

/**
 * Checks that a file can serve as a program's interpreter: an ELF rvtrace can load that needs no
 * interpreter of its own. Throws ElfError with code ELIBBAD otherwise, as Linux's execve fails
 * for an interpreter that is not an ELF file for this machine.
 */
export function parseInterpreter(bytes: Uint8Array): ElfImage {
  let image: ElfImage;
  try {
    image = parseElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new ElfError(`bad interpreter (${e.message})`, "ELIBBAD");
    throw e;
  }
  if (image.interpreter !== null) throw new ElfError(`bad interpreter (it names an interpreter itself: ${image.interpreter})`, "ELIBBAD");
  return image;
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
  interp: Interpreter | null = null,
  exeName = "",
): LoadedProgram {
  const mem = new AddressSpace(budget);
  try {
    return { mem, ...build(mem, image, bytes, argv, envp, execfn, world, interp, exeName) };
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
  interp: Interpreter | null,
  exeName: string,
): { entry: number; sp: number } {
  // The file-backed pages are named as /proc/PID/maps shows them: the program's guest path, and
  // the interpreter's path as PT_INTERP names it.
  const loaded = loadElf(mem, image, bytes, exeName);
  const dynamic = interp ? loadInterpreter(mem, interp, image.interpreter ?? "") : null;
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
    interpBase: dynamic?.base ?? 0,
  });
  return { entry: dynamic?.entry ?? loaded.entry, sp };
}

/**
 * Maps the interpreter beside a loaded program: an ET_DYN one where mmap would place its whole
 * span, an ET_EXEC one at its link addresses. The program break stays the program's. Returns the
 * interpreter's load address (its first page: AT_BASE) and entry point.
 */
function loadInterpreter(mem: AddressSpace, interp: Interpreter, name: string): { base: number; entry: number } {
  let image = interp.image;
  const low = image.segments[0].addr - (image.segments[0].addr % PAGE_SIZE);
  if (image.kind !== "exec") {
    const at = mem.findFree(image.end - low);
    if (at < 0) throw new ElfError("no room for the interpreter", "ENOMEM");
    // The same file again with the load bias that puts its lowest page at `at`.
    image = parseElf(interp.bytes, { base: at - (low - image.base) });
  } else if (mem.isAnyMapped(low, image.end - low)) {
    throw new ElfError("the interpreter overlaps the program", "EINVAL");
  }
  const { brkStart, brk } = mem;
  const loaded = loadElf(mem, image, interp.bytes, name);
  mem.brkStart = brkStart;
  mem.brk = brk;
  return { base: image.segments[0].addr - (image.segments[0].addr % PAGE_SIZE), entry: loaded.entry };
}

/** AT_HWCAP bits for "imafdc" (bit n = letter 'a' + n), as Linux reports for RV64GC. */
const HWCAP_IMAFDC = [..."imafdc"].reduce((m, c) => m | (1n << BigInt(c.charCodeAt(0) - 97)), 0n);
