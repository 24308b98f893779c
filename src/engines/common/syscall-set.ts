// Syscall sets as strace writes them in -e trace=, -e inject= and -e fault= (filter_qualify.c's
// qualify_syscall_tokens), for the engines' options (--deny, --allow, -e inject=…):
//
//   SET    := "!"* ( "all" | "none" | TOKEN ("," TOKEN)* )
//   TOKEN  := "?"* ( NUMBER | "/" REGEX | CLASS | NAME )
//
// A leading "!" inverts the set (each one toggles); "?" makes a token that names no syscall
// harmless; a regex (JavaScript syntax, unanchored) must match at least one name; a class is one of
// strace's (%file, %desc, %process, …, from src/abi/syscalls.ts) or a legacy unprefixed alias, or
// one of rvtrace's named sets (NAMED_SETS) for policies.
import { SYSCALL_META, TRACE_CLASSES, type TraceClass } from "../../abi/syscalls.js";
import { EngineOptionError } from "./errors.js";

const LEGACY_CLASSES: Readonly<Record<string, TraceClass>> = {
  desc: "%desc",
  file: "%file",
  memory: "%memory",
  process: "%process",
  signal: "%signal",
  ipc: "%ipc",
  network: "%net",
  "%network": "%net",
};

/**
 * rvtrace's named sets. %default-startup: what a static glibc program calls before main and for
 * malloc and stdio's first look at a descriptor (measured with qemu-riscv64 -strace and rvtrace trace on
 * Debian's riscv64 glibc 2.36: brk, set_tid_address, set_robust_list, rseq, prlimit64,
 * readlinkat of /proc/self/exe, getrandom for malloc, mprotect of RELRO, newfstatat/fstat of stdout,
 * mmap/munmap for large allocations, exit/exit_group), so that `--allow %default-startup,write`
 * runs a hello world and nothing else.
 */
export const NAMED_SETS: Readonly<Record<string, readonly string[]>> = {
  "%default-startup": [
    "brk", "set_tid_address", "set_robust_list", "rseq", "prlimit64", "readlinkat", "getrandom", "mprotect",
    "newfstatat", "fstat", "mmap", "munmap", "exit", "exit_group",
  ],
};

/** The syscall numbers one token names (empty when it names none). */
function tokenNumbers(token: string): number[] {
  if (/^[0-9]+$/.test(token)) {
    const nr = Number(token);
    return SYSCALL_META.some((m) => m.nr === nr) ? [nr] : [];
  }
  if (token.startsWith("/")) {
    let re: RegExp;
    try {
      re = new RegExp(token.slice(1));
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : String(e);
      throw new EngineOptionError(`invalid regular expression '${token.slice(1)}': ${why}`);
    }
    return SYSCALL_META.filter((m) => re.test(m.name)).map((m) => m.nr);
  }
  if (token === "all") return SYSCALL_META.map((m) => m.nr);
  const named = NAMED_SETS[token];
  if (named) return SYSCALL_META.filter((m) => named.includes(m.name)).map((m) => m.nr);
  const cls = LEGACY_CLASSES[token] ?? token;
  if ((TRACE_CLASSES as readonly string[]).includes(cls)) {
    return SYSCALL_META.filter((m) => m.classes.includes(cls as TraceClass)).map((m) => m.nr);
  }
  return SYSCALL_META.filter((m) => m.name === token).map((m) => m.nr);
}

/** Parses a syscall set into the syscall numbers it holds. Throws EngineOptionError. */
export function parseSyscallSet(spec: string): Set<number> {
  let i = 0;
  while (spec[i] === "!") i++;
  const invert = i % 2 === 1;
  const rest = spec.slice(i);
  const set = new Set<number>();
  if (rest === "") throw new EngineOptionError(`invalid system call '${spec}'`);
  if (rest !== "none") {
    for (const raw of rest.split(",")) {
      let token = raw;
      let optional = false;
      while (token.startsWith("?")) {
        token = token.slice(1);
        optional = true;
      }
      if (token === "") throw new EngineOptionError(`invalid system call '${raw}'`);
      const nrs = tokenNumbers(token);
      if (nrs.length === 0 && !optional) throw new EngineOptionError(`invalid system call '${token}'`);
      for (const nr of nrs) set.add(nr);
    }
  }
  if (!invert) return set;
  const inverted = new Set<number>();
  for (const m of SYSCALL_META) if (!set.has(m.nr)) inverted.add(m.nr);
  return inverted;
}

/** The number of a syscall name (riscv64), or undefined. */
export function syscallNr(name: string): number | undefined {
  return SYSCALL_META.find((m) => m.name === name)?.nr;
}
