// An --engine module (docs/engines.md, "Loading your engine with --engine"): counts the guest's
// write calls, or with the option "stdout-only" those to fd 1, and prints the count on stderr when
// the process ends. It needs no import: the factory gets rvtrace's API as `api`.
//
//   rvtrace trace -qq -e trace=none --engine examples/engines/count-writes.mjs:stdout-only guests/bin/hello
const WRITE = 64n; // write's number on riscv64

export default function ({ options, api }) {
  let writes = 0;
  return {
    ops: {
      name: "count-writes",
      reportSyscallEntry(action, _engine, regs) {
        if (regs.syscallNumber === WRITE && (options !== "stdout-only" || regs.arg(0) === 1n)) writes++;
        return api.utraceSyscallAction(action) | api.UTRACE_RESUME;
      },
      reportDeath(_engine, groupDead) {
        if (groupDead) console.error(`count-writes: ${writes} writes`);
        return api.UTRACE_RESUME;
      },
    },
    events: api.UTRACE_EVENT.SYSCALL_ENTRY | api.UTRACE_EVENT.DEATH,
    data: null,
  };
}
