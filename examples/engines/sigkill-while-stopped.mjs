#!/usr/bin/env node
// (d) SIGKILL while a task is stopped at syscall entry.
//
// An engine stops the guest (guests/bin/utc-write) at its write(1, "hello, world\n", 13) and never
// resumes it. Nothing may hold off SIGKILL: Process.kill(9) ends the stop, the write never runs
// (nothing is printed), and the engine gets its last callbacks: reportExit, reportDeath,
// reportReap, in that order. After the reap the engine is detached, and utrace.control on it
// returns -ESRCH.
//
//   node examples/engines/sigkill-while-stopped.mjs
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_STOP, UTRACE_RESUME } from "../../dist/index.js";

const guests = fileURLToPath(new URL("../../guests/", import.meta.url));
const SYS_WRITE = 64n;

const chunks = [];
const stdout = new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
const kernel = new Kernel({ cwd: guests });
const proc = kernel.spawn("bin/utc-write", ["utc-write"], { env: {}, stdout });
const task = proc.leader;

let onStopped;
const stopped = new Promise((resolve) => (onStopped = resolve));

const engine = kernel.utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "holder",
  reportSyscallEntry(action, engine, regs) {
    if (regs.syscallNumber !== SYS_WRITE) return UTRACE_RESUME;
    console.log(`holder: stops the task at write(${regs.arg(0)}, ..., ${regs.arg(2)}) and keeps it`);
    onStopped();
    return UTRACE_STOP;
  },
  reportExit(action, engine, origCode, code) {
    console.log(`holder: reportExit, wait status ${origCode} (killed by signal ${origCode & 0x7f})`);
    return UTRACE_RESUME;
  },
  reportDeath(engine, groupDead, signal) {
    console.log(`holder: reportDeath, last thread of its process: ${groupDead}`);
    return UTRACE_RESUME;
  },
  reportReap(engine, t) {
    console.log("holder: reportReap (the engine is detached after this)");
  },
}, null);
kernel.utrace.setEvents(task, engine, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.EXIT | UTRACE_EVENT.DEATH | UTRACE_EVENT.REAP);

await stopped;
await new Promise((resolve) => setTimeout(resolve, 50));
console.log("main: the task has been stopped for 50 ms; sending SIGKILL");
proc.kill(9);
const status = await proc.wait();
console.log(`main: status ${JSON.stringify(status)}`);
console.log(`main: guest stdout ${JSON.stringify(Buffer.concat(chunks).toString())} (the write never ran)`);
console.log(`main: control(RESUME) now = ${kernel.utrace.control(task, engine, UTRACE_RESUME)} (-ESRCH: detached at reap)`);
