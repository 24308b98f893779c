// A read-only file system policy: every call that would change the file system fails with EROFS
// (or the errno given as an option) before it runs; reading goes on as usual.
//
//   rvtrace trace --engine examples/kit/read-only-fs.mjs guests/bin/fs-copy
//   rvtrace trace --engine examples/kit/read-only-fs.mjs:EACCES guests/bin/fs-copy
//
// The rule covers every task, so the policy engine follows each clone itself.
export default function readOnlyFs({ kernel, options, api }) {
  const { SYS, E, deny } = api;
  const errno = options === "" ? E.EROFS : api.errnoNumber(options);
  if (errno === undefined) throw new Error(`unknown errno ${options}`);
  // open flags that write: O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND (asm-generic values)
  const WRITING = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000;
  const CHANGES = new Set([
    SYS.mkdirat, SYS.mknodat, SYS.unlinkat, SYS.symlinkat, SYS.linkat, SYS.renameat, SYS.renameat2,
    SYS.truncate, SYS.fchmodat, SYS.fchownat, SYS.utimensat, SYS.setxattr, SYS.lsetxattr, SYS.removexattr,
    SYS.lremovexattr,
  ]);
  const EVENTS = api.UTRACE_EVENT.SYSCALL_ENTRY | api.UTRACE_EVENT.CLONE;
  const ops = {
    name: "read-only-fs",
    reportSyscallEntry(action, engine, regs) {
      const nr = Number(regs.syscallNumber);
      const writes = (nr === SYS.openat && (Number(regs.arg(2)) & WRITING) !== 0) || CHANGES.has(nr);
      if (writes) return deny(regs, errno) | api.UTRACE_RESUME;
      return api.utraceSyscallAction(action) | api.UTRACE_RESUME;
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
