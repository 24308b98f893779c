// --verbose's report at the end of a run (`rvtrace run` and `rvtrace trace`): how the run was set up
// (the sysroot chosen without --sysroot), the syscalls the guest
// met that rvtrace does not implement, and, for a deterministic run, what of the host reached the
// guest in a way that can make another run differ (a host signal, a file changed meanwhile, ...).
import type { Kernel } from "../kernel/kernel.js";
import { syscallName } from "../kernel/syscalls/table.js";

export function reportVerbose(kernel: Kernel, out: (line: string) => void = (l) => process.stderr.write(l + "\n")): void {
  // How the run was set up first (which sysroot, and why): it explains what follows.
  for (const line of kernel.notes) out(`rvtrace: ${line}`);
  if (kernel.unimplemented.size > 0) {
    const list = [...kernel.unimplemented].map(([nr, n]) => `${syscallName(nr)} (${nr}) ×${n}`);
    out(`rvtrace: unimplemented syscalls met: ${list.join(", ")}`);
  }
  if (kernel.world.deterministic) {
    for (const what of kernel.world.hostInputs) out(`rvtrace: not repeatable: ${what}`);
  }
}
