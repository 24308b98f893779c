// The modules under mutation testing (issue 13, item 5), one group per module: the source files
// Stryker mutates and the only test files run against them. A group's tests are the ones written
// to check that module with expected values; the long differential and guest-program suites are
// left out on purpose: they compare the interpreter with its compiled tier (both use the mutated
// code, so they agree), and one run of them costs more than a whole group's mutants.
// `exclude` (optional) takes test files back out of `tests`; `ignoreStatic` (optional) skips the
// module-load mutants (stryker.config.mjs).
// Both stryker.config.mjs and vitest.mutation.config.ts read this table, by the group name in
// STRYKER_GROUP (stryker/run.mjs sets it).
export const GROUPS = {
  "mem-address-space": {
    mutate: ["src/mem/address-space.ts"],
    // With the memory syscalls' checks of hostile arguments, shared mappings (of host and in-memory
    // files) and the limits that charge memory and host work, which the address space carries out.
    tests: [
      "test/mem/*.test.ts", "test/kernel/mm-hostile.test.ts", "test/kernel/mmap-shared.test.ts",
      "test/kernel/limits.test.ts", "test/kernel/memfs.test.ts",
    ],
  },
  "mem-shared-segments": {
    mutate: ["src/mem/shared-segments.ts"],
    tests: ["test/mem/*.test.ts"],
  },
  alu: {
    mutate: ["src/cpu/alu.ts"],
    tests: ["test/cpu/alu-mutation*.test.ts"],
  },
  "signal-delivery": {
    // signals.ts holds the order signals are dequeued in (next_signal), which delivery uses.
    mutate: ["src/kernel/signal-delivery.ts", "src/kernel/signals.ts"],
    // Guest programs under engines: the signal reports, job control, restarts and waits.
    tests: [
      "test/utrace/signals.test.ts", "test/utrace/stops.test.ts", "test/utrace/control.test.ts",
      "test/utrace/events.test.ts", "test/utrace/scenarios.test.ts", "test/utrace/passes.test.ts",
      "test/utrace/repeat-pass.test.ts", "test/kernel/restart.test.ts", "test/kernel/waits.test.ts",
      "test/kernel/processes.test.ts", "test/utrace/processes.test.ts", "test/utrace/signal*-mutation*.test.ts",
      "test/kernel/signal-delivery-*.test.ts", "test/kernel/signals.test.ts",
    ],
  },
  utrace: {
    mutate: ["src/utrace/*.ts", "!src/utrace/types.ts"],
    tests: ["test/utrace/*.test.ts"],
    // The example engines run as users run them, against the built package in dist/.
    exclude: ["test/utrace/examples.test.ts"],
  },
  fpu: {
    mutate: ["src/cpu/fpu.ts", "src/cpu/fpu/*.ts"],
    // Expected values from the RISC-V spec and IEEE 754, and single instructions against
    // qemu-riscv64 (recorded vectors, and tools/fp-vectors.mjs's at the edges), through the
    // interpreter's code and through softfloat alone. The fp guests (fpu-guests.test.ts) are left
    // out: under Stryker's instrumentation each runs millions of FP instructions, which made a run
    // of this group take over two hours on the shared machine.
    tests: ["test/cpu/fpu*.test.ts"],
    exclude: ["test/cpu/fpu-guests.test.ts"],
    // Its static mutants (the op tables, format descriptions and constants, mutated at module load)
    // are not run: each one needs all of the group's tests in a fresh process.
    ignoreStatic: true,
  },
  namespace: {
    mutate: ["src/kernel/vfs/namespace.ts"],
    // With the node kinds other files fill: in-memory files (memfs) and generated ones (procfs), and
    // the swaps of the escape tests.
    tests: [
      "test/kernel/vfs.test.ts", "test/kernel/fs-syscalls.test.ts", "test/kernel/namespace*.test.ts",
      "test/kernel/memfs.test.ts", "test/kernel/procfs/*.test.ts", "test/kernel/escape-swap.test.ts",
    ],
  },
};

/** The group named by STRYKER_GROUP; throws on a missing or unknown name. */
export function currentGroup() {
  const name = process.env.STRYKER_GROUP;
  const group = name ? GROUPS[name] : undefined;
  if (!group) throw new Error(`STRYKER_GROUP must be one of ${Object.keys(GROUPS).join(", ")} (got ${name})`);
  return { name, ...group };
}
