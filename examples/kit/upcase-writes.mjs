// An upper-casing write rewriter: what the program writes to stdout (or to the descriptors given,
// `:1,2`) comes out in capitals. The guest's buffer is left alone: the call gets a copy in
// scratch memory the guest never sees (api.replaceBuffer), for this call only.
//
//   rvtrace trace -o /dev/null --engine examples/kit/upcase-writes.mjs guests/bin/hello
//   rvtrace trace -o /dev/null --engine examples/kit/upcase-writes.mjs:1,2 guests/bin/cat guests/data/poem.txt
export default function upcaseWrites({ kernel, options, api }) {
  const fds = new Set((options || "1").split(",").map((x) => BigInt(x)));
  const WRITE = BigInt(api.SYS.write);
  const EVENTS = api.UTRACE_EVENT.SYSCALL_ENTRY | api.UTRACE_EVENT.CLONE;
  const ops = {
    name: "upcase-writes",
    reportSyscallEntry(action, engine, regs) {
      const keep = api.utraceSyscallAction(action) | api.UTRACE_RESUME;
      // the guest's own call once: a RESUMED pass would find the argument already replaced
      if (action & api.UTRACE_SYSCALL_RESUMED || regs.syscallNumber !== WRITE || !fds.has(regs.arg(0))) return keep;
      const len = Number(regs.arg(2));
      let bytes;
      try {
        bytes = engine.task.readBytes(regs.arg(1), len);
      } catch {
        return keep; // a bad pointer: let the call fail with EFAULT as it would
      }
      const upper = bytes.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b));
      api.replaceBuffer(engine.task, 1, upper);
      return keep;
    },
    reportClone(action, engine, flags, child) {
      const e = kernel.utrace.attachTask(child, api.UTRACE_ATTACH_CREATE, ops, null);
      kernel.utrace.setEvents(child, e, EVENTS);
      e.put();
      return api.UTRACE_RESUME;
    },
  };
  return { ops, events: EVENTS, data: null };
}
