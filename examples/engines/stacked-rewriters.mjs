#!/usr/bin/env node
// (c) Three stacked rewriting engines and an strace-like observer: how engines nest.
//
// The guest (guests/bin/utc-write) calls write(1, "hello, world\n", 13) and exits with the result.
// Attach order: vm1, vm2, vm3 (three "virtual machines", vm1 farthest from user mode), then
// strace. At syscall entry engines are called newest first (strace, vm3, vm2, vm1); at syscall
// exit oldest first (vm1, vm2, vm3, strace). Each vm, at the write's entry:
//   - if the action it is given says STOP (a vm nearer to user mode is still deciding), it returns
//     UTRACE_REPORT: "call me again after the stop" (a RESUMED pass);
//   - else it stops the task, rewrites one thing asynchronously, and resumes with
//     utrace.control(REPORT), which gives every engine a RESUMED look (REPORT needs QUIESCE).
// vm3 shortens the write to 5 bytes, vm2 sends it to fd 2, vm1 uppercases the buffer; at exit
// vm3 reports the full 13 bytes back, as a virtualizer that hides its rewrite would.
// strace ignores RESUMED callbacks: it prints the call as the guest made it and the result as the
// guest gets it, while the bytes that reach stderr are vm1's.
//
//   node examples/engines/stacked-rewriters.mjs
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import {
  Kernel, UTRACE_ATTACH_CREATE, UTRACE_EVENT, UTRACE_STOP, UTRACE_REPORT, UTRACE_RESUME,
  UTRACE_SYSCALL_RESUMED, utraceResumeAction, utraceSyscallAction,
} from "../../dist/index.js";

const guests = fileURLToPath(new URL("../../guests/", import.meta.url));
const SYS_WRITE = 64n;

function capture() {
  const chunks = [];
  const stream = new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } });
  return { stream, text: () => Buffer.concat(chunks).toString("latin1") };
}

function describeCall(task, regs) {
  if (regs.syscallNumber === 94n) return `exit_group(${regs.arg(0)})`;
  if (regs.syscallNumber !== SYS_WRITE) return `syscall ${regs.syscallNumber}(${regs.arg(0)})`;
  const text = Buffer.from(task.readBytes(regs.arg(1), Number(regs.arg(2)))).toString("latin1");
  return `write(${regs.arg(0)}, ${JSON.stringify(text)}, ${regs.arg(2)})`;
}

const kernel = new Kernel({ cwd: guests });
const out = capture();
const err = capture();
const proc = kernel.spawn("bin/utc-write", ["utc-write"], { env: {}, stdout: out.stream, stderr: err.stream });
const task = proc.leader;
const { utrace } = kernel;

/**
 * A vm: `rewrite(task, regs)` changes the call and returns what it did; `atExit(regs)`, if given,
 * rewrites the result (synchronously: a STOP at syscall exit would only take effect after every
 * exit callback, including strace's, had run).
 */
function vm(name, rewrite, atExit) {
  let state = "idle"; // idle -> deciding -> done
  const ops = {
    name,
    reportQuiesce: () => UTRACE_RESUME,
    reportSyscallEntry(action, engine, regs) {
      if (regs.syscallNumber !== SYS_WRITE || state === "done") return utraceSyscallAction(action) | UTRACE_RESUME;
      const pass = action & UTRACE_SYSCALL_RESUMED ? "RESUMED pass" : "first pass";
      if (utraceResumeAction(action) === UTRACE_STOP) {
        console.log(`${name}: ${pass}, sees ${describeCall(engine.task, regs)}, but a vm nearer to user mode stopped the task: REPORT`);
        return utraceSyscallAction(action) | UTRACE_REPORT;
      }
      console.log(`${name}: ${pass}, sees ${describeCall(engine.task, regs)}: STOP and decide`);
      state = "deciding";
      setTimeout(() => {
        const what = rewrite(engine.task, regs);
        state = "done";
        console.log(`${name}: ${what}; control(REPORT) = ${utrace.control(engine.task, engine, UTRACE_REPORT)}`);
      }, 10);
      return utraceSyscallAction(action) | UTRACE_STOP;
    },
    reportSyscallExit(action, engine, regs) {
      if (regs.syscallNumber !== SYS_WRITE) return UTRACE_RESUME;
      const seen = regs.returnValue;
      console.log(`${name}: exit, result ${seen}${atExit ? `: ${atExit(regs)}` : ""}`);
      return UTRACE_RESUME;
    },
  };
  const engine = utrace.attachTask(task, UTRACE_ATTACH_CREATE, ops, null);
  utrace.setEvents(task, engine, UTRACE_EVENT.QUIESCE | UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);
}

vm("vm1", (t, regs) => {
  const len = Number(regs.arg(2));
  const text = Buffer.from(t.readBytes(regs.arg(1), len)).toString("latin1");
  t.writeBytes(regs.arg(1), Buffer.from(text.toUpperCase(), "latin1"));
  return "uppercased the buffer";
});
vm("vm2", (t, regs) => {
  regs.setArg(0, 2n);
  return "fd 1 -> 2";
});
vm("vm3", (t, regs) => {
  regs.setArg(2, 5n);
  return "length 13 -> 5";
}, (regs) => {
  regs.returnValue = 13n;
  return "reports 13 to the guest";
});

const strace = utrace.attachTask(task, UTRACE_ATTACH_CREATE, {
  name: "strace",
  reportSyscallEntry(action, engine, regs) {
    if (action & UTRACE_SYSCALL_RESUMED) return utraceSyscallAction(action) | UTRACE_RESUME;
    console.log(`strace: ${describeCall(engine.task, regs)}`);
    return UTRACE_RESUME;
  },
  reportSyscallExit(action, engine, regs) {
    console.log(`strace: = ${regs.returnValue}`);
    return UTRACE_RESUME;
  },
}, null);
utrace.setEvents(task, strace, UTRACE_EVENT.SYSCALL_ENTRY | UTRACE_EVENT.SYSCALL_EXIT);

const status = await proc.wait();
console.log(`guest stdout: ${JSON.stringify(out.text())}`);
console.log(`guest stderr: ${JSON.stringify(err.text())}`);
console.log(`guest exit code (what write returned to it): ${status.exitCode}`);
