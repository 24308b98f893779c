// Builds guests/src/sysfuzz-table.h, the syscall fuzzer guest's table: every riscv64 syscall with its
// number, how each argument is generated (from the argument kinds of src/abi/syscalls.ts, the table
// the strace printer uses, with the memory calls' addresses and lengths made hostile on purpose),
// the constants its flag arguments know, whether rvtrace implements it (those are drawn more often),
// and whether it is skipped or guarded (policy.mjs). Needs a build (dist/).
//
//   node tools/sysfuzz/table.mjs          write the header
//   node tools/sysfuzz/table.mjs --check  exit 1 if the committed header differs from a fresh one
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EVERY_CALL, GUARDED, SKIPPED } from "./policy.mjs";

export const HEADER = fileURLToPath(new URL("../../guests/src/sysfuzz-table.h", import.meta.url));
const DIST = new URL("../../dist/", import.meta.url);

/** Argument generators of the guest (sysfuzz.c's gen_arg switch). */
const KINDS = [
  "K_INT", "K_PTR", "K_FD", "K_PATH", "K_MODE", "K_SIGNO", "K_CLOCKID", "K_BUF", "K_SIZE", "K_FLAGS", "K_XVAL",
  "K_STRUCT", "K_IOV", "K_COUNT", "K_ADDR", "K_MLEN", "K_OFF",
];

/** Constant lists the memory calls use instead of their generic kinds (asm-generic/mman*.h). */
const MAP_FLAGS = [0x01, 0x02, 0x03, 0x08, 0x10, 0x20, 0x100, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 21 << 26];
const PROT = [1, 2, 4, 8, 0x01000000, 0x02000000];
const MREMAP_FLAGS = [1, 2, 4];

/** Per-syscall argument kinds that replace the generic ones: [kind, constant list or undefined]. */
const MEMORY = {
  mmap: [["K_ADDR"], ["K_MLEN"], ["K_FLAGS", PROT], ["K_FLAGS", MAP_FLAGS], ["K_FD"], ["K_OFF"]],
  munmap: [["K_ADDR"], ["K_MLEN"]],
  mprotect: [["K_ADDR"], ["K_MLEN"], ["K_FLAGS", PROT]],
  pkey_mprotect: [["K_ADDR"], ["K_MLEN"], ["K_FLAGS", PROT], ["K_INT"]],
  madvise: [["K_ADDR"], ["K_MLEN"], null],
  mlock: [["K_ADDR"], ["K_MLEN"]],
  munlock: [["K_ADDR"], ["K_MLEN"]],
  mlock2: [["K_ADDR"], ["K_MLEN"], null],
  msync: [["K_ADDR"], ["K_MLEN"], null],
  mincore: [["K_ADDR"], ["K_MLEN"], ["K_PTR"]],
  mremap: [["K_ADDR"], ["K_MLEN"], ["K_MLEN"], ["K_FLAGS", MREMAP_FLAGS], ["K_ADDR"]],
  brk: [["K_ADDR"]],
};

/** Guard names of the guest (sysfuzz.c's guard switch); "G_X n m" in policy.mjs gives its two numbers. */
const GUARDS = ["G_NONE", "G_MMAP", "G_RANGE", "G_MREMAP", "G_BRK", "G_FUTEX", "G_TIMEOUT_PTR", "G_TIMEOUT_INT", "G_NONBLOCK",
  "G_FCNTL", "G_IOCTL", "G_MKNOD", "G_SIGACTION", "G_RLIMIT", "G_CLOSE_RANGE", "G_PRCTL"];

/** [kind, constants] of one argument from its ArgSpec. */
function kindOf(spec, lengthArgs, countArgs, index) {
  if (lengthArgs.has(index)) return ["K_SIZE"];
  if (countArgs.has(index)) return ["K_COUNT"];
  switch (spec.kind) {
    case "fd": case "dirfd": return ["K_FD"];
    case "path": case "str": return ["K_PATH"];
    case "mode": return ["K_MODE"];
    case "signo": return ["K_SIGNO"];
    case "clockid": return ["K_CLOCKID"];
    case "ptr": return ["K_PTR"];
    case "bufIn": case "bufOut": case "pathOut": return ["K_BUF"];
    case "struct": case "sigset": case "bitmap": return ["K_STRUCT"];
    case "iovec": return ["K_IOV"];
    case "flags": return ["K_FLAGS", spec.xlat.entries.map(([, v]) => v).filter((v) => v !== 0n)];
    case "xval": return ["K_XVAL", spec.xlat.entries.map(([, v]) => v)];
    default: return ["K_INT"];
  }
}

/** The header's text. */
export async function buildHeader() {
  const { SYSCALL_META } = await import(new URL("abi/syscalls.js", DIST).href);
  const { SYSCALLS } = await import(new URL("kernel/syscalls/table.js", DIST).href);
  const implemented = new Set(SYSCALLS.map((r) => r.name));
  const values = [];
  const lists = new Map();
  /** Index of a constant list in sf_values (as "start, count"), shared between equal lists. */
  const listRef = (list) => {
    const key = list.map(String).join(",");
    if (!lists.has(key)) {
      lists.set(key, [values.length, list.length]);
      values.push(...list.map((v) => BigInt.asUintN(64, BigInt(v))));
    }
    return lists.get(key);
  };
  const rows = [];
  for (const meta of SYSCALL_META) {
    const lengthArgs = new Set(meta.args.filter((a) => a.kind === "bufIn" || a.kind === "bufOut" || a.kind === "pathOut").map((a) => a.len));
    const countArgs = new Set(meta.args.filter((a) => a.kind === "iovec").map((a) => a.count));
    const override = MEMORY[meta.name];
    const args = meta.args.map((spec, i) => (override?.[i] ?? kindOf(spec, lengthArgs, countArgs, i)));
    const guard = (GUARDED[meta.name]?.[0] ?? "G_NONE").split(" ");
    if (!GUARDS.includes(guard[0])) throw new Error(`unknown guard ${guard[0]} for ${meta.name}`);
    const cells = args.map(([kind, list]) => {
      if (!KINDS.includes(kind)) throw new Error(`unknown kind ${kind}`);
      const [start, count] = list && list.length > 0 ? listRef(list) : [0, 0];
      return `{${kind}, ${start}, ${count}}`;
    });
    const returns = meta.ret === "fd" ? "R_FD" : MEMORY[meta.name] && meta.ret === "hex" ? "R_ADDR" : "R_NONE";
    rows.push(
      `  {"${meta.name}", ${meta.nr}, ${args.length}, ${implemented.has(meta.name) ? 1 : 0}, ${meta.name in SKIPPED ? 1 : 0}, ${returns}, ` +
        `${guard[0]}, ${Number(guard[1] ?? 0)}, ${Number(guard[2] ?? 0)}, {${cells.join(", ")}}},`,
    );
  }
  for (const name of [...Object.keys(SKIPPED), ...Object.keys(GUARDED)]) {
    if (!SYSCALL_META.some((m) => m.name === name)) throw new Error(`policy names ${name}, which riscv64 does not have`);
  }
  const comment = (s) => s.split("\n").map((l) => ` * ${l}`.trimEnd()).join("\n");
  return `/* GENERATED by tools/sysfuzz/table.mjs from src/abi/syscalls.ts and tools/sysfuzz/policy.mjs: do not edit.
 * The syscall fuzzer's table: one row per riscv64 syscall (name, number, argument count, implemented
 * by rvtrace, skipped, what it returns, guard and its two numbers, and how each argument is generated).
 *
 * Skipped, and why:
${comment(Object.entries(SKIPPED).map(([n, why]) => `  ${n}: ${why}`).join("\n"))}
 *
 * Guarded, and why:
${comment(Object.entries(GUARDED).map(([n, [, why]]) => `  ${n}: ${why}`).join("\n"))}
 *
 * Every call:
${comment(EVERY_CALL.map((s) => `  ${s}`).join("\n"))}
 */
enum sf_kind { ${KINDS.join(", ")} };
enum sf_guard { ${GUARDS.join(", ")} };

struct sf_arg {
    unsigned char kind;
    unsigned short first, count; /* constants sf_values[first .. first + count) */
};

/* What a successful call returns that later calls may use: a descriptor, an address. */
enum sf_returns { R_NONE, R_FD, R_ADDR };

struct sf_call {
    const char *name;
    short nr;
    unsigned char nargs, implemented, skip, returns, guard;
    unsigned short g1, g2;
    struct sf_arg arg[6];
};

static const unsigned long sf_values[] = {
${values.map((v) => `  0x${v.toString(16)}UL,`).join("\n")}
};

static const struct sf_call sf_calls[] = {
${rows.join("\n")}
};

#define SF_NCALLS ${rows.length}
`;
}

async function main() {
  const text = await buildHeader();
  if (process.argv.includes("--check")) {
    const same = readFileSync(HEADER, "utf8") === text;
    console.log(same ? "sysfuzz-table.h is up to date" : "sysfuzz-table.h is stale: run node tools/sysfuzz/table.mjs");
    process.exit(same ? 0 : 1);
  }
  writeFileSync(HEADER, text);
  console.log(`wrote ${HEADER}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
