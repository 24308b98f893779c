#!/usr/bin/env node
// (a) A syscall logger: the smallest useful engine, an strace in forty lines.
//
// One engine on the guest's task, with SYSCALL_ENTRY, SYSCALL_EXIT and EXIT. At entry it formats
// the call (reading strings from guest memory), at exit it prints the call with its result.
// Callbacks are synchronous and return UTRACE_RESUME: the task never stops.
//
//   node examples/engines/syscall-logger.mjs [program [args...]]    (default: guests/bin/utc-steps)
//
// Program paths are relative to guests/. Build first: npm install (or npx tsc -p .).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, syscallName } from "../../dist/index.js";

const guests = fileURLToPath(new URL("../../guests/", import.meta.url));
const [program = "bin/utc-steps", ...args] = process.argv.slice(2);

/** Register values are signed 64-bit bigints; addresses and flags read better unsigned, in hex. */
const hex = (v) => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** The call as strace would print it: strings for write/openat, hex for the other arguments. */
function formatCall(task, regs) {
  const nr = Number(regs.syscallNumber);
  const name = syscallName(nr);
  const a = (i) => regs.arg(i);
  const str = (addr, len) => JSON.stringify(Buffer.from(task.readBytes(addr, Math.min(len, 32))).toString("latin1"));
  switch (name) {
    case "write":
      return `write(${a(0)}, ${str(a(1), Number(a(2)))}${Number(a(2)) > 32 ? "..." : ""}, ${a(2)})`;
    case "openat":
      return `openat(${a(0)}, ${JSON.stringify(task.readCString(a(1)))}, ${hex(a(2))})`;
    case "getpid": case "getppid": case "gettid": case "getuid": case "geteuid": case "getgid": case "getegid":
      return `${name}()`;
    case "exit": case "exit_group": case "close":
      return `${name}(${a(0)})`;
    default:
      return `${name}(${hex(a(0))}, ${hex(a(1))}, ${hex(a(2))})`;
  }
}

const kernel = new Kernel({ cwd: guests });
const proc = kernel.spawn(program, [path.basename(program), ...args], { env: {} });

// Spawn runs no guest instruction before this turn ends: attaching now sees the very first syscall.
const engine = kernel.utrace.attachTask(proc.leader, UTRACE_ATTACH_CREATE, {
  name: "syscall-logger",
  reportSyscallEntry(action, engine, regs) {
    engine.data.pending = formatCall(engine.task, regs);   // print it with its result, at exit
    return UTRACE_RESUME;
  },
  reportSyscallExit(action, engine, regs) {
    console.log(`${engine.data.pending} = ${regs.returnValue}`);
    return UTRACE_RESUME;
  },
  reportExit(action, engine, origCode, code) {
    // exit_group does not return: its line ends here.
    console.log(`${engine.data.pending} = ?`);
    console.log(`+++ exited with ${(code.value >> 8) & 0xff} +++`);
    return UTRACE_RESUME;
  },
}, { pending: "" });
kernel.utrace.setEvents(proc.leader, engine, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT | UTRACE_EVENT.EXIT);

const status = await proc.wait();
console.log(`status: ${JSON.stringify(status)}`);
