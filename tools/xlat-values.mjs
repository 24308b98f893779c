#!/usr/bin/env node
// Reads the value of every constant named in rvtrace's constant tables (src/abi/xlat, the signal and
// errno names) from Debian's riscv64 headers, and records them in test/abi/xlat-header-values.json,
// the snapshot test/abi/xlat-headers.test.ts compares the tables with.
//
// How the headers are read: for each header set (the kernel's exported uapi headers first, glibc's
// after them for the names only glibc defines, e.g. MSG_*, AF_*, DT_*), a C file lists every name as
// an element of `unsigned long long[]`, and riscv64-linux-gnu-gcc -S compiles it. The compiler does
// all the work a hand-written evaluator would get wrong: #if branches for riscv64, enum constants
// (IPPROTO_*, BPF_*), expressions and casts (_IOR('T', 0x2a, struct termios2) needs sizeof). A name
// a header set lacks is an "undeclared" error on its own line; it is dropped and the file compiled
// again. The array's initialiser in the assembly (.dword/.zero) gives the values.
//
//   npm run build && node tools/xlat-values.mjs          # rewrite the snapshot
//   npm run build && node tools/xlat-values.mjs --check  # exit 1 if the headers disagree with it
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CC = "riscv64-linux-gnu-gcc";
export const SNAPSHOT = fileURLToPath(new URL("../test/abi/xlat-header-values.json", import.meta.url));
/** The Debian packages the headers come from; their versions go into the snapshot. */
export const HEADER_PACKAGES = ["linux-libc-dev-riscv64-cross", "libc6-dev-riscv64-cross"];

// ---------------------------------------------------------------------------------------------
// Which constants the tables hold.

/** The modules whose exports are checked, relative to src/ (or dist/). */
export const MODULES = [
  "abi/xlat/errno",
  "abi/xlat/fs",
  "abi/xlat/ioctl",
  "abi/xlat/mem",
  "abi/xlat/misc",
  "abi/xlat/net",
  "abi/xlat/process",
  "abi/xlat/signal",
  "abi/xlat/termios",
  "abi/xlat/time",
  "abi/xlat/types",
  "abi/signals",
  "abi/gen/errno",
];

/** Exports that are objects of named numbers: how a key becomes the header's name. */
const KEY_NAMES = {
  IOCTL_NR: (k) => k,
  FUTEX: (k) => `FUTEX_${k}`,
  HWPROBE_KEY: (k) => `RISCV_HWPROBE_KEY_${k}`,
  AF: (k) => `AF_${k}`,
  CLONE: (k) => (k === "CSIGNAL" ? k : `CLONE_${k}`),
  PR: (k) => `PR_${k}`,
  E: (k) => k,
};

/** Exports that are single numbers under another name in the headers. */
const SCALAR_NAMES = { NSIG: "_NSIG" };

/**
 * Exports that hold no header constant: the reason is the documentation. Functions are skipped
 * without a listing (xlat, xlatSeq, signalName, …).
 */
export const NOT_CONSTANTS = {
  RESTART_MESSAGES: "strace's texts for the restart codes, not values (the codes are in KERNEL_ERRNOS)",
};

/**
 * Tables whose values are a field of the header constant rather than the whole of it: the
 * personality domains are printed from the low byte, while linux/personality.h ORs flag bits into
 * some of them (PER_SVR4 is 0x0001 | STICKY_TIMEOUTS | MMAP_PAGE_ZERO).
 */
export const FIELD_MASKS = { PERSONALITY_TYPES: 0xffn };

const u64 = (v) => BigInt.asUintN(64, BigInt(v));
const isXlat = (v) => typeof v === "object" && v !== null && Array.isArray(v.entries);

/**
 * One check per constant in the modules: `terms` are header names whose values ORed together
 * (and masked by `mask`) must equal `value`. "A or B" (two names strace prints for one ioctl
 * number) becomes one check per name; "A|B" (a combination strace names, FUTEX_FD|FUTEX_PRIVATE_FLAG)
 * becomes one check with two terms.
 * @param {[string, Record<string, unknown>][]} modules  [module path, its exports]
 */
export function collectChecks(modules) {
  const checks = [];
  const add = (where, label, value, mask) => {
    const alternatives = label.split(" or ");
    for (const alt of alternatives) checks.push({ where, label: alt, terms: alt.split("|"), value: u64(value), mask });
  };
  const addXlat = (where, table, mask) => {
    for (const [name, value] of table.entries) add(where, name, value, mask);
  };
  for (const [mod, exports] of modules) {
    const file = mod.split("/").pop();
    for (const [exp, v] of Object.entries(exports)) {
      const where = `${file}.ts ${exp}`;
      if (typeof v === "function" || exp in NOT_CONSTANTS) continue;
      if (isXlat(v)) addXlat(where, v, FIELD_MASKS[exp]);
      else if (typeof v === "number" || typeof v === "bigint") add(where, SCALAR_NAMES[exp] ?? exp, v);
      else if (exp === "SIGNALS") for (const [nr, name] of v) add(where, name, nr);
      else if (exp === "ERRNO_TABLE") for (const [name, nr] of v) add(where, name, nr);
      else if (exp === "TERM_OFLAG_DELAYS") {
        // Each c_oflag delay field: its mask is the header's NLDLY, CRDLY, … ("NL?" is the default text).
        for (const field of v) {
          add(where, field.dflt.replace("?", "DLY"), field.mask);
          addXlat(where, field.names);
        }
      } else if (exp in KEY_NAMES && typeof v === "object" && v !== null) {
        for (const [k, n] of Object.entries(v)) add(where, KEY_NAMES[exp](k), n);
      } else {
        throw new Error(`${where}: no rule for this export in tools/xlat-values.mjs (a table, a number, or KEY_NAMES)`);
      }
    }
  }
  return checks;
}

/** Every header name the checks need, sorted. */
export function namesOf(checks) {
  return [...new Set(checks.flatMap((c) => c.terms))].sort();
}

// ---------------------------------------------------------------------------------------------
// Reading values from the headers.

/**
 * The header sets, in order of preference. The kernel's uapi headers are what the system-call ABI
 * is defined by, so they come first; glibc's headers are asked only for names the kernel does not
 * export (MSG_*, AF_*, SHUT_*, DT_*, R_OK, SOL_*). The two cannot share one file: they define the
 * same structs (termios, sigaction, stat). Where both define a name with different values (NCCS is
 * 19 in the kernel's struct termios and 32 in glibc's), the kernel's is the one a tracer prints.
 */
export const HEADER_SETS = [
  {
    id: "uapi",
    includes: [
      "stddef.h", "asm/hwprobe.h", "asm/ioctls.h", "asm/termbits.h", "asm/unistd.h", "linux/audit.h", "linux/bpf.h", "linux/btrfs.h", "linux/capability.h",
      "linux/close_range.h", "linux/errno.h", "linux/eventpoll.h", "linux/fadvise.h", "linux/falloc.h",
      "linux/fanotify.h", "linux/fcntl.h", "linux/fs.h", "linux/futex.h", "linux/in.h", "linux/in6.h",
      "linux/inotify.h", "linux/io_uring.h", "linux/ioprio.h", "linux/kcmp.h", "linux/kexec.h", "linux/magic.h",
      "linux/membarrier.h", "linux/memfd.h", "linux/mempolicy.h", "linux/mman.h", "linux/mount.h", "linux/net.h",
      "linux/openat2.h", "linux/personality.h", "linux/pidfd.h", "linux/poll.h", "linux/prctl.h", "linux/ptrace.h",
      "linux/random.h", "linux/reboot.h", "linux/resource.h", "linux/rseq.h", "linux/sched.h", "linux/seccomp.h",
      "linux/signal.h", "linux/signalfd.h", "linux/socket.h", "linux/soundcard.h", "linux/stat.h", "linux/time.h", "linux/timerfd.h",
      "linux/tty.h", "linux/wait.h", "linux/xattr.h",
    ],
  },
  {
    id: "glibc",
    defines: ["_GNU_SOURCE"],
    includes: [
      "dirent.h", "fcntl.h", "netinet/in.h", "netinet/tcp.h", "netinet/udp.h", "poll.h", "sched.h", "signal.h",
      "sys/epoll.h", "sys/eventfd.h", "sys/file.h", "sys/inotify.h", "sys/mman.h", "sys/mount.h", "sys/ptrace.h",
      "sys/resource.h", "sys/signalfd.h", "sys/socket.h", "sys/statvfs.h", "sys/wait.h", "termios.h", "unistd.h",
    ],
  },
];

function runCompiler(source, cc, args) {
  const r = spawnSync(cc, [...args, "-S", "-w", "-O0", "-o", "-", "-x", "c", "-"], { input: source, encoding: "utf8" });
  if (r.error) throw r.error;
  return r;
}

/** The elements of `const unsigned long long <symbol>[]` in gcc's assembly output. */
function arrayValues(asm, symbol) {
  const lines = asm.split("\n");
  let i = lines.findIndex((l) => l.trim() === `${symbol}:`);
  if (i < 0) throw new Error(`no ${symbol} in the compiler's output`);
  const values = [];
  for (i++; i < lines.length; i++) {
    const m = /^\s*\.(dword|quad|zero)\s+(-?\d+)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1] === "zero") {
      if (Number(m[2]) % 8 !== 0) throw new Error(`unexpected .zero ${m[2]}`);
      for (let k = 0; k < Number(m[2]) / 8; k++) values.push(0n);
    } else values.push(u64(m[2]));
  }
  return values;
}

/**
 * The values of `names` under one header set: a Map name → { value, size } of the names it
 * defines, where value is the constant converted to unsigned long long (so a negative int is
 * sign-extended) and size is sizeof the constant's C type. A name whose line does not compile
 * (undeclared, or not a constant) is not defined by this set.
 */
export function readHeaderSet(set, names, cc = CC, args = []) {
  // A header missing from this release (asm/hwprobe.h is not in 6.1) leaves its names undefined.
  const prelude = [
    ...(set.defines ?? []).map((d) => `#define ${d} 1`),
    ...set.includes.map((h) => `#if __has_include(<${h}>)\n#include <${h}>\n#endif`),
  ].join("\n").split("\n");
  let left = [...names];
  for (let attempt = 0; attempt < 10; attempt++) {
    const first = prelude.length + 2; // the line of the first element (lines count from 1)
    const source = [...prelude, "const unsigned long long rvtrace_values[] = {",
      ...left.map((n) => `(unsigned long long)(${n}), sizeof(${n}),`), "0 };", ""].join("\n");
    const r = runCompiler(source, cc, args);
    if (r.status === 0) {
      const values = arrayValues(r.stdout, "rvtrace_values");
      if (values.length !== 2 * left.length + 1) throw new Error(`${set.id}: ${values.length} values for ${left.length} names`);
      return new Map(left.map((n, i) => [n, { value: values[2 * i], size: Number(values[2 * i + 1]) }]));
    }
    const bad = new Set();
    for (const m of r.stderr.matchAll(/^<stdin>:(\d+):\d+: error:/gm)) {
      const index = Number(m[1]) - first;
      if (index < 0 || index >= left.length) throw new Error(`${set.id}: the header set itself does not compile:\n${r.stderr}`);
      bad.add(left[index]);
    }
    if (bad.size === 0) throw new Error(`${set.id}: ${cc} failed:\n${r.stderr}`);
    left = left.filter((n) => !bad.has(n));
  }
  throw new Error(`${set.id}: still failing to compile after 10 rounds`);
}

/**
 * The compiler options that read the uapi header set from an unpacked linux-libc-dev package
 * before the installed one (its usr/include/riscv64-linux-gnu for asm/, usr/include for the rest):
 * -isystem directories come before the default ones, which still serve glibc's endian.h.
 */
export function uapiRootArgs(root) {
  return ["-isystem", `${root}/usr/include/riscv64-linux-gnu`, "-isystem", `${root}/usr/include`];
}

/**
 * Each name's value from the first header set that defines it: Map name → { value, size, from }.
 * With uapiRoot, the uapi set is read from that unpacked package (see uapiRootArgs).
 */
export function readHeaderValues(names, cc = CC, uapiRoot = undefined) {
  const found = new Map();
  let left = [...names];
  for (const set of HEADER_SETS) {
    const args = set.id === "uapi" && uapiRoot !== undefined ? uapiRootArgs(uapiRoot) : [];
    for (const [n, v] of readHeaderSet(set, left, cc, args)) found.set(n, { ...v, from: set.id });
    left = left.filter((n) => !found.has(n));
  }
  return found;
}

/** The installed versions of HEADER_PACKAGES, for the snapshot's record. */
export function headerPackageVersions() {
  const out = execFileSync("dpkg-query", ["-W", "-f", "${Package} ${Version}\\n", ...HEADER_PACKAGES]).toString();
  return out.trim().split("\n");
}

const hex = (v) => `0x${v.toString(16)}`;

/** The snapshot's JSON: one line per name, sorted, so a change shows as a one-line diff. */
export function snapshotText(found, packages) {
  const names = [...found.keys()].sort();
  const rows = names.map((n) => {
    const { value, size, from } = found.get(n);
    return `    ${JSON.stringify(n)}: [${JSON.stringify(hex(value))}, ${size}, ${JSON.stringify(from)}]`;
  });
  return `{\n  "generatedBy": "node tools/xlat-values.mjs",\n  "packages": ${JSON.stringify(packages)},\n  "values": {\n${rows.join(",\n")}\n  }\n}\n`;
}

/** The snapshot as a Map name → { value, size, from }. */
export function readSnapshot(file = SNAPSHOT) {
  const json = JSON.parse(readFileSync(file, "utf8"));
  return new Map(Object.entries(json.values).map(([n, [v, size, from]]) => [n, { value: BigInt(v), size, from }]));
}

/**
 * Whether a table value is the header constant's value. A header constant has a C type: MS_NOUSER
 * is (1<<31), a negative int, which becomes 0xffffffff80000000 as unsigned long long, while the
 * table holds the bit as 0x80000000. Both readings of the constant's bits at its own width count,
 * zero- and sign-extended; any other difference is a mismatch.
 */
export function sameValue(tableValue, header) {
  const bits = BigInt(8 * header.size);
  const low = BigInt.asUintN(Number(bits), header.value);
  return tableValue === low || tableValue === BigInt.asUintN(64, BigInt.asIntN(Number(bits), low));
}

/**
 * The checks whose table value is not the headers' value, as readable lines
 * ("misc.ts EPOLL_EVENTS EPOLLPRI: table 0x4, headers 0x2 (uapi)"). Checks with a term the
 * headers lack, and checks whose label is in `skip`, are left out.
 * @param {ReturnType<typeof collectChecks>} checks
 * @param {Map<string, { value: bigint, size: number, from: string }>} values
 */
export function mismatches(checks, values, skip = new Set()) {
  const out = [];
  for (const c of checks) {
    if (skip.has(c.label) || !c.terms.every((t) => values.has(t))) continue;
    const parts = c.terms.map((t) => values.get(t));
    let header = { value: parts.reduce((a, p) => a | p.value, 0n), size: Math.max(...parts.map((p) => p.size)) };
    if (c.mask !== undefined) header = { value: header.value & c.mask, size: header.size };
    if (!sameValue(c.value, header)) {
      out.push(`${c.where} ${c.label}: table ${hex(c.value)}, headers ${hex(header.value)} (${parts.map((p) => p.from).join("|")})`);
    }
  }
  return out;
}

async function main() {
  const dist = new URL("../dist/", import.meta.url);
  const modules = [];
  for (const m of MODULES) modules.push([m, await import(new URL(`${m}.js`, dist).href)]);
  const checks = collectChecks(modules);
  const names = namesOf(checks);
  const rootAt = process.argv.indexOf("--uapi-root");
  if (rootAt > 0) {
    // A look at newer headers than the installed ones; it writes nothing.
    const root = process.argv[rootAt + 1];
    const newer = readHeaderValues(names, CC, root);
    const snapshot = readSnapshot();
    const extra = names.filter((n) => newer.has(n) && !snapshot.has(n));
    console.log(`${newer.size} of ${names.length} names found with the uapi headers of ${root}`);
    console.log(`found there but not in the snapshot (${extra.length}): ${extra.join(" ")}`);
    console.log(`found in neither: ${names.filter((n) => !newer.has(n)).join(" ")}`);
    const bad = mismatches(checks, newer);
    console.log(bad.length === 0 ? "no table value differs from them" : `differences:\n${bad.join("\n")}`);
    return;
  }
  const found = readHeaderValues(names);
  const text = snapshotText(found, headerPackageVersions());
  if (process.argv.includes("--check")) {
    const old = readFileSync(SNAPSHOT, "utf8");
    if (old !== text) {
      console.error(`${SNAPSHOT} differs from the headers: run node tools/xlat-values.mjs and review the diff`);
      process.exit(1);
    }
    console.log(`snapshot up to date: ${found.size} of ${names.length} names found in the headers`);
    return;
  }
  writeFileSync(SNAPSHOT, text);
  console.log(`${found.size} of ${names.length} names found in the headers; not found:`);
  console.log(names.filter((n) => !found.has(n)).join(" "));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
