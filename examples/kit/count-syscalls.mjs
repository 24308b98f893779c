// A syscall counter: how many times the program (and every thread and child it makes) called each
// syscall, printed on stderr when the program ends, most frequent first.
//
//   rvtrace trace -o /dev/null --engine examples/kit/count-syscalls.mjs guests/bin/hello
//   rvtrace trace -o /dev/null --engine examples/kit/count-syscalls.mjs:top=3 guests/bin/hello
//
// It only observes: at entry it echoes the decision it was given (utraceSyscallAction), and it
// counts the guest's own calls, not the repeat passes other engines may ask for (RESUMED).
export default function countSyscalls({ kernel, process, options, api }) {
  const top = /^top=(\d+)$/.exec(options)?.[1];
  const counts = new Map();
  const ops = {
    name: "count-syscalls",
    reportSyscallEntry(action, engine, regs) {
      if (!(action & api.UTRACE_SYSCALL_RESUMED)) {
        const name = api.syscallName(Number(regs.syscallNumber));
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      return api.utraceSyscallAction(action) | api.UTRACE_RESUME;
    },
    reportClone(action, engine, flags, child) {
      // follow threads and children: the same ops on the new task, before it runs
      const e = kernel.utrace.attachTask(child, api.UTRACE_ATTACH_CREATE, ops, null);
      kernel.utrace.setEvents(child, e, EVENTS);
      e.put();
      return api.UTRACE_RESUME;
    },
  };
  const EVENTS = api.UTRACE_EVENT.SYSCALL_ENTRY | api.UTRACE_EVENT.CLONE;
  process.wait().then(() => {
    const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = rows.reduce((n, [, c]) => n + c, 0);
    const shown = top === undefined ? rows : rows.slice(0, Number(top));
    const lines = shown.map(([name, c]) => `${String(c).padStart(7)}  ${name}\n`).join("");
    globalThis.process.stderr.write(`count-syscalls: ${total} calls\n${lines}`);
  });
  return { ops, events: EVENTS, data: null };
}
