// Whether a host fd is a terminal, without loading node:tty in the common cases.
//
// node:tty brings node:net and the stream classes with it: about 5 ms of a hello-world's start-up.
// Files, pipes and /dev/null, what CI gives a program, are told apart by fstat alone: only a
// character device can be a terminal, and not one of the memory devices (major 1: /dev/null,
// /dev/zero, /dev/urandom...). Only for other character devices is node:tty asked.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { devMajor } from "../../abi/fs.js";

/** The major number of Linux's memory devices. */
const MEM_MAJOR = 1;

export function isTerminal(fd: number): boolean {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice() || devMajor(BigInt(st.rdev)) === MEM_MAJOR) return false;
  const tty = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return tty.isatty(fd);
}
