#!/usr/bin/env node
// (b) An asynchronous argument rewriter, and a tracer that re-examines on UTRACE_SYSCALL_RESUMED.
//
// The guest (guests/bin/utc-write) calls write(1, "hello, world\n", 13). Three engines:
//   careful  attached 1st  the utrace idiom: when the action it is given says STOP (an engine
//                          nearer to user mode stopped the task and may change the registers),
//                          it returns UTRACE_REPORT and logs at the RESUMED pass instead
//   redactor attached 2nd  stops the task at the write, asks an asynchronous "policy" (a timer
//                          standing in for a server or a person), rewrites "world" to "*****" in
//                          guest memory, then resumes the task with utrace.control(RESUME)
//   original attached 3rd  wants the call as the guest made it: ignores RESUMED callbacks (which
//                          show the registers after other engines' rewrites)
// At syscall entry engines are called newest first: original, redactor, careful. The guest's
// output shows the rewrite; "original" logged the guest's own call, "careful" the one that ran.
//
//   node examples/engines/rewrite-and-trace.mjs
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import {
  Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_STOP, UTRACE_REPORT, UTRACE_RESUME,
  UTRACE_SYSCALL_RESUMED, utraceResumeAction, utraceSyscallAction,
} from "../../dist/index.js";

const guests = fileURLToPath(new URL("../../guests/", import.meta.url));
const SYS_WRITE = 64n;

/** Collects what the guest writes, to print it at the end. */
function capture() {
  const chunks = [];
  const stream = new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
  return { stream, text: () => Buffer.concat(chunks).toString("latin1") };
}

const describeWrite = (task, regs) =>
  `write(${regs.arg(0)}, ${JSON.stringify(Buffer.from(task.readBytes(regs.arg(1), Number(regs.arg(2)))).toString("latin1"))}, ${regs.arg(2)})`;

/** The asynchronous policy: resolves to the text to write instead. */
async function askPolicy(text) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return text.replaceAll("world", "*****");
}

const kernel = new Kernel({ cwd: guests });
const out = capture();
const proc = kernel.spawn("bin/utc-write", ["utc-write"], { env: {}, stdout: out.stream });
const task = proc.leader;
const { utrace } = kernel;

const careful = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "careful",
  reportSyscallEntry(action, engine, regs) {
    if (regs.syscallNumber !== SYS_WRITE) return UTRACE_RESUME;
    if (utraceResumeAction(action) === UTRACE_STOP) {
      console.log("careful:  the task is being stopped; asking for another look (UTRACE_REPORT)");
      return utraceSyscallAction(action) | UTRACE_REPORT;
    }
    const again = action & UTRACE_SYSCALL_RESUMED ? " (RESUMED pass)" : "";
    console.log(`careful:  ${describeWrite(engine.task, regs)}${again}`);
    return utraceSyscallAction(action) | UTRACE_RESUME;
  },
  reportSyscallExit(action, engine, regs) {
    if (regs.syscallNumber === SYS_WRITE) console.log(`careful:  = ${regs.returnValue}`);
    return UTRACE_RESUME;
  },
}, null);
utrace.setEvents(task, careful, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);

const redactor = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "redactor",
  reportSyscallEntry(action, engine, regs) {
    // Only the first look at a write: on the RESUMED pass the decision is made already.
    if (regs.syscallNumber !== SYS_WRITE || action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
    const t = engine.task;
    const addr = regs.arg(1);
    const text = Buffer.from(t.readBytes(addr, Number(regs.arg(2)))).toString("latin1");
    console.log(`redactor: stops the task at ${describeWrite(t, regs)} and asks the policy`);
    askPolicy(text).then((replacement) => {
      // The task is parked in the utrace stop: its registers and memory hold still.
      t.writeBytes(addr, Buffer.from(replacement, "latin1"));
      console.log(`redactor: policy says ${JSON.stringify(replacement)}; resuming: control(RESUME) = ${utrace.control(t, engine, UTRACE_RESUME)}`);
    });
    return UTRACE_STOP;
  },
}, null);
utrace.setEvents(task, redactor, UTRACE_EVENT.SYSCALL_ENTRY);

// Attached last, so it is called first at entry: it sees the call before any engine changes it.
const original = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "original",
  reportSyscallEntry(action, engine, regs) {
    if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;   // seen it already
    if (regs.syscallNumber === SYS_WRITE) console.log(`original: ${describeWrite(engine.task, regs)}`);
    return UTRACE_RESUME;
  },
}, null);
utrace.setEvents(task, original, UTRACE_EVENT.SYSCALL_ENTRY);

const status = await proc.wait();
console.log(`guest stdout: ${JSON.stringify(out.text())}`);
console.log(`guest exit code: ${status.exitCode}`);
