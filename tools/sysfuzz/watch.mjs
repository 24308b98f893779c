// What the syscall fuzzer watches on the host while the guest runs, to show that nothing outside the
// guest's working directory changed. The guest's working directory is WORK inside a fresh temporary
// directory TOP, next to TOP/outside (a file and a directory the guest can name as ../outside, which
// a sandbox that let ".." out of the mount would hand it). Watched:
//   - every entry under TOP except WORK's contents: names, types, sizes, modes, owners, modification
//     times, and the bytes of every file (TOP/outside included);
//   - /etc/passwd (stat and bytes): the guest names it, and opens it for writing with O_TRUNC;
//   - the names at the top of / and, in the host's temporary directory, the names the guest's paths
//     could create there (other processes change /tmp all the time; only these are attributable).
// Nothing else on the host is watched.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The names the guest's relative paths use (sysfuzz.c's paths[]), which an escape would create. */
const GUEST_NAMES = /^(fz|outside$|secret$|x$|new$|a{100,}$)/;

function describe(path) {
  const st = lstatSync(path, { bigint: true });
  const kind = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "link" : "other";
  const bytes = kind === "file" ? createHash("sha256").update(readFileSync(path)).digest("hex") : "";
  return `${kind} ${st.size} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.mtimeNs} ${bytes}`;
}

/** Every entry under dir (recursively, not following links), skipping the paths in `skip`. */
function walk(dir, skip, out) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (skip.has(path)) continue;
    out.set(path, describe(path));
    if (lstatSync(path).isDirectory()) walk(path, skip, out);
  }
  return out;
}

/** Creates TOP with WORK and the things next to it; returns { top, work }. */
export function prepare(top) {
  const work = join(top, "work");
  mkdirSync(work);
  mkdirSync(join(top, "outside", "dir"), { recursive: true });
  writeFileSync(join(top, "outside", "secret"), "not for the guest\n");
  return { top, work };
}

/** A snapshot of everything watched (a Map from what to its description). */
export function snapshot({ top, work }) {
  const s = walk(top, new Set([work]), new Map());
  s.set(top, describe(top));
  s.set("/etc/passwd", describe("/etc/passwd"));
  s.set("/ (names)", readdirSync("/").sort().join(" "));
  const tmp = tmpdir();
  s.set(`${tmp} (guest-like names)`, readdirSync(tmp).filter((n) => GUEST_NAMES.test(n)).sort().join(" "));
  return s;
}

/** The differences between two snapshots, one line each. */
export function compare(before, after) {
  const lines = [];
  for (const [what, was] of before) {
    if (!after.has(what)) lines.push(`removed: ${what} (was ${was})`);
    else if (after.get(what) !== was) lines.push(`changed: ${what}: ${was} -> ${after.get(what)}`);
  }
  for (const [what, now] of after) if (!before.has(what)) lines.push(`created: ${what} (${now})`);
  return lines;
}

/** One line saying what is watched, for the report. */
export function watchedText({ top }) {
  return `${top} (all but work/'s contents), /etc/passwd, the names at / and the guest-like names in ${tmpdir()}`;
}
