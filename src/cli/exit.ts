// Ending the rvtrace process as soon as the command is done.
//
// Node does not exit when its last callback has run: first it waits for V8's background compiler
// threads to finish what they are doing (NodePlatform::DrainTasks when the event loop empties, and
// a join of the same threads in process.exit()). A short guest ends while V8 is still optimising
// the interpreter, one of the largest functions it ever compiles (about 70 ms), so a hello-world
// would spend a third of its time in that wait. The C library's exit() does not wait; WASI's
// proc_exit (node:wasi, built into Node) calls it.
//
// That is safe only when nothing is left to do: so only when Node has no request in flight (an
// asynchronous write still going out, a timer an engine set) and no handle other than the
// standard streams, whose writes are synchronous on Linux. Otherwise rvtrace ends the ordinary way.
// A read of the host's stdin (or terminal) for the guest is no work either: the guest that wanted
// it has ended, and the ordinary exit would wait for it, that is for the host's next line of
// input, on libuv's thread pool (a guest killed while it read the host's stdin).
import { createRequire } from "node:module";
import { hostReadsInFlight } from "../kernel/vfs/input.js";

/** Active resources that hold no work: stdio handles, written synchronously. */
const IDLE_RESOURCES = new Set(["TTYWrap", "PipeWrap"]);

/** Whether Node's active resources (process.getActiveResourcesInfo()) hold no work left to do. */
export function idle(resources: readonly string[], guestReads: number): boolean {
  let reads = 0;
  for (const r of resources) {
    if (r === "FSReqCallback" && reads < guestReads) reads++;
    else if (!IDLE_RESOURCES.has(r)) return false;
  }
  return true;
}

/** Ends the process with status now if nothing is pending, else sets it for the ordinary exit. */
export function exitWhenIdle(status: number): void {
  process.exitCode = status;
  if (!idle(process.getActiveResourcesInfo(), hostReadsInFlight())) return;
  try {
    procExit(status);
  } catch {
    // No WASI: process.exit, which waits for the compiler threads but, like proc_exit, ends the
    // process before node:wasi's warning is printed.
    process.exit(status);
  }
}

/** WASI proc_exit(status) from a tiny module: it never returns when it works. */
function procExit(status: number): void {
  // node:wasi reports an ExperimentalWarning from a later tick, which never comes.
  const { WASI } = createRequire(import.meta.url)("node:wasi") as typeof import("node:wasi");
  const wasi = new WASI({ version: "preview1", returnOnExit: false });
  const imports = wasi.getImportObject() as WebAssembly.Imports;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(exitModule(status)), imports);
  wasi.start(instance);
}

/**
 * The binary of:
 *   (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
 *           (memory (export "memory") 1)
 *           (func (export "_start") (call 0 (i32.const status))))
 */
export function exitModule(status: number): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const I32 = 0x7f, FUNC = 0x60, I32_CONST = 0x41, CALL = 0x10, END = 0x0b;
  const code = [0, I32_CONST, ...signedLeb128(status), CALL, 0, END];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, // "\0asm", version 1
    ...section(1, [2, FUNC, 1, I32, 0, FUNC, 0, 0]), // types: (i32) -> (), () -> ()
    ...section(2, [1, ...name("wasi_snapshot_preview1"), ...name("proc_exit"), 0, 0]),
    ...section(3, [1, 1]), // one function, of type 1
    ...section(5, [1, 0, 1]), // one memory of one page
    ...section(7, [2, ...name("memory"), 2, 0, ...name("_start"), 0, 1]),
    ...section(10, [1, code.length, ...code]),
  ]);
}

function signedLeb128(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
