// Argument filters: the part of an injection or policy rule that looks at a call's arguments, so a
// rule can pick "the openat of *.conf" instead of "the third openat" (strace issue #86):
//
//   path=GLOB    a path argument (any of them, for calls with two) matches the glob
//   fd=N         a descriptor argument (fd or dirfd; AT_FDCWD is -100) equals N
//   flags=F|G    the call's flags argument has every named bit set (numbers allowed; for the open
//                family O_RDONLY/O_WRONLY/O_RDWR compare the access mode)
//   argN=VALUE   argument N (0…5) equals VALUE (an integer, or AT_FDCWD), compared as 64 bits
//
// Globs are fnmatch(3) without FNM_PATHNAME: `*` matches any run of characters, "/" included; `?` one
// character; `[abc]`, `[a-z]`, `[!abc]` one of (not one of) a set; a backslash quotes the next
// character. A path matches when the string the guest passed matches, or, for a path relative to
// the working directory (no dirfd, or AT_FDCWD), when its absolute form does (the guest's cwd joined
// and "." and ".." folded, lexically). Paths are matched as given: symlinks are not followed, so
// path filters select calls for testing, they are no security boundary.
import { posix } from "node:path";
import type { Regs } from "../../utrace/regs.js";
import type { Task } from "../../kernel/task.js";
import { syscallMeta, type ArgSpec } from "../../abi/syscalls.js";
import { OPEN_ACCESS_MODES, OPEN_MODE_FLAGS } from "../../abi/xlat/fs.js";
import { EngineOptionError } from "./errors.js";
import { parseInteger } from "./values.js";

const AT_FDCWD = -100;
const O_ACCMODE = 3n;

export type ArgFilter =
  | { readonly kind: "path"; readonly text: string; readonly re: RegExp }
  | { readonly kind: "fd"; readonly fd: number }
  | { readonly kind: "flags"; readonly text: string; readonly bySyscall: ReadonlyMap<number, FlagTest> }
  | { readonly kind: "arg"; readonly index: number; readonly value: bigint };

/** What flags=… means for one syscall: which argument, which bits, and the open access mode. */
export interface FlagTest {
  readonly arg: number;
  readonly mask: bigint;
  readonly accmode?: bigint;
}

/** A glob as a RegExp (anchored), fnmatch(3) without FNM_PATHNAME. */
export function globToRegExp(glob: string): RegExp {
  let re = "^";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "\\" && i + 1 < glob.length) re += escape(glob[++i]);
    else if (c === "[") {
      const end = classEnd(glob, i);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      let negate = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? "^" : ""}${body.replace(/\\/g, "\\\\").replace(/\]/g, "\\]").replace(/\[/g, "\\[")}]`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`${re}$`, "u");
}

/** The index of the "]" closing a bracket expression opened at `start`, or -1. */
function classEnd(glob: string, start: number): number {
  let j = start + 1;
  if (glob[j] === "!" || glob[j] === "^") j++;
  if (glob[j] === "]") j++; // a leading "]" is a member
  for (; j < glob.length; j++) if (glob[j] === "]") return j;
  return -1;
}

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** The index of each argument of syscall nr whose spec satisfies `pick`. */
function argIndexes(nr: number, pick: (a: ArgSpec) => boolean): number[] {
  const meta = syscallMeta(nr);
  if (!meta) return [];
  const out: number[] = [];
  meta.args.forEach((a, i) => {
    if (i < 6 && pick(a)) out.push(i);
  });
  return out;
}

/** Resolves flags=NAME|NAME|0xN for one syscall, or undefined if it has no flags argument or a name is not its. */
function flagTest(nr: number, names: readonly string[]): FlagTest | undefined {
  const meta = syscallMeta(nr);
  if (!meta) return undefined;
  const arg = meta.args.findIndex((a) => a.kind === "flags" && a.name === "flags");
  if (arg < 0 || arg > 5) return undefined;
  const spec = meta.args[arg];
  if (spec.kind !== "flags") return undefined;
  let mask = 0n;
  let accmode: bigint | undefined;
  for (const name of names) {
    const n = parseInteger(name);
    if (n !== undefined) {
      mask |= BigInt.asUintN(64, n);
      continue;
    }
    if (spec.xlat === OPEN_MODE_FLAGS) {
      const mode = OPEN_ACCESS_MODES.entries.find(([m]) => m === name && m !== "O_ACCMODE");
      if (mode) {
        if (accmode !== undefined && accmode !== mode[1]) return undefined;
        accmode = mode[1];
        continue;
      }
    }
    const entry = spec.xlat.entries.find(([m]) => m === name);
    if (!entry) return undefined;
    mask |= entry[1];
  }
  return { arg, mask, accmode };
}

/**
 * Parses one rule token as an argument filter for the syscalls of `syscalls`; undefined if the
 * token is no filter (so the caller tries its own tokens). Throws EngineOptionError for a bad one.
 */
export function parseArgFilter(token: string, syscalls: ReadonlySet<number>): ArgFilter | undefined {
  const eq = token.indexOf("=");
  if (eq < 0) return undefined;
  const key = token.slice(0, eq);
  const value = token.slice(eq + 1);
  if (key === "path") {
    if (value === "") throw new EngineOptionError("path= needs a glob");
    if (![...syscalls].some((nr) => argIndexes(nr, (a) => a.kind === "path").length > 0)) {
      throw new EngineOptionError("path=: none of these syscalls takes a path");
    }
    return { kind: "path", text: value, re: globToRegExp(value) };
  }
  if (key === "fd") {
    const n = value === "AT_FDCWD" ? BigInt(AT_FDCWD) : parseInteger(value);
    if (n === undefined || n < -(2n ** 31n) || n >= 2n ** 31n) throw new EngineOptionError(`invalid fd '${value}'`);
    if (![...syscalls].some((nr) => argIndexes(nr, (a) => a.kind === "fd" || a.kind === "dirfd").length > 0)) {
      throw new EngineOptionError("fd=: none of these syscalls takes a file descriptor");
    }
    return { kind: "fd", fd: Number(n) };
  }
  if (key === "flags") {
    const names = value.split("|");
    if (names.some((n) => n === "")) throw new EngineOptionError(`invalid flags '${value}'`);
    const bySyscall = new Map<number, FlagTest>();
    let withFlags = 0;
    for (const nr of syscalls) {
      if (argIndexes(nr, (a) => a.kind === "flags" && a.name === "flags").length === 0) continue;
      withFlags++;
      const t = flagTest(nr, names);
      if (t) bySyscall.set(nr, t);
    }
    if (withFlags === 0) throw new EngineOptionError("flags=: none of these syscalls takes a flags argument");
    if (bySyscall.size === 0) {
      const unknown = names.find((n) => ![...syscalls].some((nr) => flagTest(nr, [n]) !== undefined)) ?? value;
      throw new EngineOptionError(`unknown flag '${unknown}'`);
    }
    return { kind: "flags", text: value, bySyscall };
  }
  const arg = /^arg([0-5])$/.exec(key);
  if (arg) {
    const n = value === "AT_FDCWD" ? BigInt(AT_FDCWD) : parseInteger(value);
    if (n === undefined) throw new EngineOptionError(`invalid ${key} value '${value}'`);
    return { kind: "arg", index: Number(arg[1]), value: n };
  }
  return undefined;
}

/** The strings a path argument is matched as: as given, and its absolute form when relative to the cwd. */
function pathForms(task: Task, regs: Regs, nr: number, index: number): string[] {
  let raw: string;
  try {
    raw = task.readCString(regs.arg(index), 4096);
  } catch {
    return [];
  }
  const meta = syscallMeta(nr);
  const prev = meta && index > 0 ? meta.args[index - 1] : undefined;
  const dirfd = prev?.kind === "dirfd" ? Number(BigInt.asIntN(32, regs.arg(index - 1))) : AT_FDCWD;
  if (raw === "" || (!raw.startsWith("/") && dirfd !== AT_FDCWD)) return [raw];
  const abs = posix.resolve(task.process.cwd, raw);
  return abs === raw ? [raw] : [raw, abs];
}

/** True when every filter holds for the call at hand (syscall nr, registers regs). */
export function filtersMatch(filters: readonly ArgFilter[], task: Task, nr: number, regs: Regs): boolean {
  for (const f of filters) {
    switch (f.kind) {
      case "path": {
        const hit = argIndexes(nr, (a) => a.kind === "path").some((i) => pathForms(task, regs, nr, i).some((p) => f.re.test(p)));
        if (!hit) return false;
        break;
      }
      case "fd": {
        const hit = argIndexes(nr, (a) => a.kind === "fd" || a.kind === "dirfd")
          .some((i) => Number(BigInt.asIntN(32, regs.arg(i))) === f.fd);
        if (!hit) return false;
        break;
      }
      case "flags": {
        const t = f.bySyscall.get(nr);
        if (!t) return false;
        const v = BigInt.asUintN(64, regs.arg(t.arg));
        if ((v & t.mask) !== t.mask) return false;
        if (t.accmode !== undefined && (v & O_ACCMODE) !== t.accmode) return false;
        break;
      }
      case "arg":
        if (BigInt.asUintN(64, regs.arg(f.index)) !== BigInt.asUintN(64, f.value)) return false;
        break;
    }
  }
  return true;
}
