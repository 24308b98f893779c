// node:zlib, loaded on first use: the command's bundle would otherwise load it at every start of
// `rvtrace run` (a few milliseconds of a hello-world), which never records or replays.
import { createRequire } from "node:module";

type Zlib = typeof import("node:zlib");
let zlib: Zlib | undefined;

export function lazyZlib(): Zlib {
  return (zlib ??= createRequire(import.meta.url)("node:zlib") as Zlib);
}
