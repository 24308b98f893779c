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
//
// A read of the host's terminal for the guest (stdin, /dev/tty) sits on libuv's thread pool, where
// it cannot be called off, and every exit, proc_exit's too, joins the pool's threads (libuv's
// destructor): so a guest killed while it read the terminal would keep rvtrace until the next line
// typed. When a signal killed the guest, rvtrace then ends by that same signal instead (what
// qemu-user does for every guest signal death): the shell sees the 128+N it would have seen, and a
// death by signal runs no destructor. (A piped stdin is read as a stream, with no such read.)
import { createRequire } from "node:module";
import { hostReadsInFlight } from "../kernel/vfs/input.js";

/**
 * Signals rvtrace can end by, by default: fatal without a core dump, and not taken by Node itself
 * (SIGUSR1 starts its inspector, SIGPIPE is ignored by it).
 */
const ENDING_SIGNALS: ReadonlyMap<number, NodeJS.Signals> = new Map([
  [1, "SIGHUP"], [2, "SIGINT"], [9, "SIGKILL"], [12, "SIGUSR2"], [14, "SIGALRM"], [15, "SIGTERM"], [26, "SIGVTALRM"],
  [27, "SIGPROF"],
]);

let guestSignal: number | null = null;

/** The signal that killed the guest's first process, or null (run and trace say it before exitWhenIdle). */
export function noteGuestSignal(signo: number | null): void {
  guestSignal = signo;
}

/** Active resources that hold no work: stdio handles, written synchronously. */
const IDLE_RESOURCES = new Set(["TTYWrap", "PipeWrap"]);

/** Ends the process with status now if nothing is pending, else sets it for the ordinary exit. */
export function exitWhenIdle(status: number): void {
  process.exitCode = status;
  if (hostReadsInFlight() > 0 && guestSignal !== null && status === 128 + guestSignal) {
    const name = ENDING_SIGNALS.get(guestSignal);
    // Delivered before kill() returns, with the default action: rvtrace ends here.
    if (name && process.listenerCount(name) === 0) process.kill(process.pid, name);
  }
  if (!process.getActiveResourcesInfo().every((r) => IDLE_RESOURCES.has(r))) return;
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
