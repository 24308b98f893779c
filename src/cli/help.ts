// What the command says about itself: the version text (`rvtrace --version`, `-V`) and the examples
// at the end of each command's --help. The examples are commands to run from the top of a checkout
// (its guests/ and examples/); test/cli/examples.test.ts runs every one of them as --help prints it,
// expecting status 0 unless the example's comment says "(status N)".
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SYSCALLS } from "../kernel/syscalls/table.js";

/** One example: the command line and what it shows. */
export interface Example {
  readonly command: string;
  readonly comment: string;
}

export const RUN_EXAMPLES: readonly Example[] = [
  { command: "rvtrace run guests/bin/hello", comment: "prints Hello, world!" },
  { command: "rvtrace run --clear-env --env RVTRACE_TEST=hi guests/bin/env", comment: "an environment of one variable" },
  { command: "rvtrace run --mount guests/data:/data:ro guests/bin/cat /data/poem.txt", comment: "a directory shown read-only at /data" },
  { command: "rvtrace run --stats guests/bin/hello", comment: "the instruction count and speed on stderr" },
  { command: "rvtrace run guests/bin/deadlock pipe-cycle", comment: "two processes wait for each other: a line for each (status 122)" },
];

export const TRACE_EXAMPLES: readonly Example[] = [
  { command: "rvtrace trace guests/bin/hello", comment: "every syscall, as strace prints it" },
  { command: "rvtrace trace -e trace=%file guests/bin/cat guests/data/poem.txt", comment: "only the file calls" },
  { command: "rvtrace trace -c guests/bin/hello", comment: "the summary table" },
  { command: "rvtrace trace -f -e trace=%process guests/bin/fork-pipe", comment: "follow the child" },
  {
    command: "rvtrace trace -e inject=openat:error=ENOENT:path='*.csv' guests/bin/cat guests/data/inventory.csv",
    comment: "fail the open; cat reports it (status 1)",
  },
  { command: "rvtrace trace --allow %default-startup,write guests/bin/hello", comment: "a policy: only these calls run" },
  {
    command: "rvtrace trace --engine examples/engines/count-writes.mjs:stdout-only guests/bin/hello",
    comment: "your own engine (docs/engines.md)",
  },
];

export const TOP_EXAMPLES: readonly Example[] = [
  { command: "rvtrace run guests/bin/hello", comment: "run a program" },
  { command: "rvtrace trace -y guests/bin/hello", comment: "trace it, with the paths of its descriptors" },
  { command: "rvtrace help trace", comment: "every option of trace" },
  { command: "rvtrace completion bash", comment: "a completion script: source <(rvtrace completion bash)" },
];

export const COMPLETION_EXAMPLES: readonly Example[] = [
  { command: "rvtrace completion bash", comment: "use it: source <(rvtrace completion bash), in ~/.bashrc" },
  { command: "rvtrace completion zsh", comment: "use it: source <(rvtrace completion zsh), in ~/.zshrc after compinit" },
];

/** The "Examples:" paragraph that ends a command's --help. */
export function examplesText(examples: readonly Example[]): string {
  // Comments line up after the commands, except after a long command, where they take a line.
  const LONG = 64;
  const width = Math.max(...examples.map((e) => e.command.length).filter((n) => n <= LONG));
  const lines = examples.map((e) => e.command.length <= LONG
    ? `  ${e.command.padEnd(width)}  # ${e.comment}`
    : `  ${e.command}\n  ${"".padEnd(width)}  # ${e.comment}`);
  return `\nExamples (from the top of a checkout):\n${lines.join("\n")}\n`;
}

/** rvtrace's package.json version: the nearest package.json named rvtrace above this module. */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "rvtrace" && pkg.version) return pkg.version;
    } catch {
      // No package.json here (or not ours): look further up.
    }
    const up = path.dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}

/** `rvtrace --version`: the version, the ISA the interpreter runs and how many syscalls the kernel has. */
export function versionText(): string {
  const count = (level: string) => SYSCALLS.filter((r) => r.support === level).length;
  return `rvtrace ${packageVersion()}\nISA: RV64GC (riscv64 Linux ELF programs, static or dynamic)\n`
    + `syscalls: ${SYSCALLS.length} implemented (${count("full")} fully, ${count("partial")} in part, ${count("stub")} as stubs)\n`;
}
