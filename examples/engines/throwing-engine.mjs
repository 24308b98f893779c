#!/usr/bin/env node
// (e) An engine that throws.
//
// A callback that throws is a bug in the engine, not in the guest: rvtrace detaches that engine,
// writes one line on the kernel's `diagnostics` stream naming the engine and the callback, and
// goes on. The guest (guests/bin/utc-steps: getpid, write "one", write "two", exit_group(0)) and
// the other engines do not notice. Here "buggy" throws at the first write; "logger" logs every
// syscall. The engine's data is released once its last reference is dropped.
//
//   node examples/engines/throwing-engine.mjs
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_RESUME, syscallName } from "../../dist/index.js";

const guests = fileURLToPath(new URL("../../guests/", import.meta.url));

const lines = (prefix) => new Writable({
  write(c, _e, cb) {
    for (const l of c.toString().split("\n")) if (l) console.log(`${prefix}${l}`);
    cb();
  },
});
const kernel = new Kernel({ cwd: guests, diagnostics: lines("diagnostics: ") });
const proc = kernel.spawn("bin/utc-steps", ["utc-steps"], { env: {}, stdout: lines("guest stdout: ") });
const task = proc.leader;
const { utrace } = kernel;

const logger = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "logger",
  reportSyscallEntry(action, engine, regs) {
    console.log(`logger: ${syscallName(Number(regs.syscallNumber))}`);
    return UTRACE_RESUME;
  },
  reportSyscallExit(action, engine, regs) {
    console.log(`logger:   = ${regs.returnValue}`);
    return UTRACE_RESUME;
  },
}, null);
utrace.setEvents(task, logger, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);

const buggy = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "buggy",
  reportSyscallEntry(action, engine, regs) {
    const name = syscallName(Number(regs.syscallNumber));
    console.log(`buggy: ${name}`);
    if (name === "write") throw new Error("cannot handle write");
    return UTRACE_RESUME;
  },
  release(data) {
    console.log(`buggy: release(${JSON.stringify(data)})`);
  },
}, { state: "buggy's data" });
utrace.setEvents(task, buggy, UTRACE_EVENT.SYSCALL_ENTRY);

const status = await proc.wait();
console.log(`main: guest exit code ${status.exitCode}`);
console.log(`main: control(buggy, RESUME) = ${utrace.control(task, buggy, UTRACE_RESUME)} (-ESRCH: detached)`);
console.log("main: dropping our reference to buggy");
buggy.put();
