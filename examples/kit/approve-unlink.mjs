// An asynchronous approver: before any unlink (unlink, unlinkat, rmdir via unlinkat), it asks on
// the terminal, and a "no" makes the call fail with EACCES. While it waits, the task is stopped
// (UTRACE_STOP); everything else, the event loop included, goes on.
//
//   rvtrace trace -o /dev/null --engine examples/kit/approve-unlink.mjs guests/bin/fs-copy
//   rvtrace trace -o /dev/null --engine examples/kit/approve-unlink.mjs:answers=FILE PROG   (one y/n a line)
//
// The utrace idiom for deciding later: stop at entry, decide asynchronously, then resume with
// UTRACE_REPORT (which needs QUIESCE in the event mask) so the entry pass runs again with
// UTRACE_SYSCALL_RESUMED; the decision is returned there (a syscall action such as ABORT can
// only be given by a callback's return value).
import fs from "node:fs";
import readline from "node:readline";

export default function approveUnlink({ kernel, process, options, api }) {
  const answersFile = /^answers=(.+)$/.exec(options)?.[1];
  const source = answersFile ?? "/dev/tty";
  let lines = null;
  const ask = (question) => {
    lines ??= lineReader(source);
    // with an answers file the question goes to stderr; on the terminal it goes to the terminal
    if (answersFile) globalThis.process.stderr.write(question);
    else fs.writeSync(lines.fd, question);
    return lines.next();
  };
  process.wait().then(() => lines?.close());

  const { SYS } = api;
  const EVENTS = api.UTRACE_EVENT.SYSCALL_ENTRY | api.UTRACE_EVENT.QUIESCE | api.UTRACE_EVENT.CLONE;
  const ops = {
    name: "approve-unlink",
    reportSyscallEntry(action, engine, regs) {
      const state = engine.data;
      if (action & api.UTRACE_SYSCALL_RESUMED && state.decision !== null) {
        const allowed = state.decision;
        state.decision = null;
        return allowed ? api.UTRACE_SYSCALL_RUN | api.UTRACE_RESUME : api.deny(regs, api.E.EACCES) | api.UTRACE_RESUME;
      }
      const nr = Number(regs.syscallNumber);
      if (action & api.UTRACE_SYSCALL_RESUMED || nr !== SYS.unlinkat) return api.utraceSyscallAction(action) | api.UTRACE_RESUME;
      const path = api.readString(engine.task, regs.arg(1)) ?? "?";
      const what = Number(regs.arg(2)) & 0x200 /* AT_REMOVEDIR */ ? "remove directory" : "unlink";
      const task = engine.task;
      ask(`approve-unlink: ${what} "${path}" (pid ${task.tid})? [y/N] `).then((answer) => {
        state.decision = /^y(es)?$/i.test((answer ?? "").trim());
        kernel.utrace.control(task, engine, api.UTRACE_REPORT);
      });
      return api.UTRACE_STOP;
    },
    reportClone(action, engine, flags, child) {
      const e = kernel.utrace.attachTask(child, api.UTRACE_ATTACH_CREATE, ops, { decision: null });
      kernel.utrace.setEvents(child, e, EVENTS);
      e.put();
      return api.UTRACE_RESUME;
    },
  };
  return { ops, events: EVENTS, data: { decision: null } };
}

/** Lines from a file or terminal, one per call of next() (null at the end). */
function lineReader(path) {
  const fd = fs.openSync(path, path === "/dev/tty" ? "r+" : "r");
  const input = fs.createReadStream(null, { fd });
  const rl = readline.createInterface({ input });
  const ready = [];
  const waiting = [];
  let ended = false;
  rl.on("line", (line) => (waiting.length ? waiting.shift()(line) : ready.push(line)));
  rl.on("close", () => {
    ended = true;
    while (waiting.length) waiting.shift()(null);
  });
  return {
    fd,
    next: () => (ready.length ? Promise.resolve(ready.shift()) : ended ? Promise.resolve(null) : new Promise((r) => waiting.push(r))),
    close() {
      rl.close();
      input.destroy(); // closes fd
    },
  };
}
