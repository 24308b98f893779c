// The `rvtrace` command line: `rvtrace run [options] <program> [args...]`, and `rvtrace trace`
// (strace's options, parsed its way: src/cli/trace.ts).
// rvtrace prints nothing of its own on success; it exits with the guest's status, or 128+N when
// signal N killed the guest. Its own errors are one line on stderr and a status of 2 (usage) or
// 126/127 (a program that cannot run / cannot be found), as a shell would give.
import { Command, CommanderError, Option } from "commander";
import path from "node:path";
import { Kernel, SpawnError, type Mount } from "../kernel/kernel.js";
import { forwardHostSignals } from "./host-signals.js";
import { restoreHostTerminal } from "../kernel/host/termios.js";
import { syscallName } from "../kernel/syscalls/table.js";

const USAGE_ERROR = 2;

/** Thrown by option parsers: a bad option value, reported as one line. */
export class UsageError extends Error {}

function parseEnv(value: string, previous: string[]): string[] {
  if (!/^[^=]+=/.test(value)) throw new UsageError(`--env expects KEY=VALUE, got '${value}'`);
  return [...previous, value];
}

export function parseMount(value: string, previous: Mount[]): Mount[] {
  const parts = value.split(":");
  const readOnly = parts.length === 3 && parts[2] === "ro";
  if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !readOnly) || !parts[0] || !parts[1]) {
    throw new UsageError(`--mount expects HOST:GUEST or HOST:GUEST:ro, got '${value}'`);
  }
  if (!parts[1].startsWith("/")) throw new UsageError(`--mount: the guest path must be absolute, got '${parts[1]}'`);
  return [...previous, { host: path.resolve(parts[0]), guest: path.posix.normalize(parts[1]), readOnly }];
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--max-insns expects a positive integer, got '${value}'`);
  }
  return Number(value);
}

interface RunOptions {
  env: string[];
  clearEnv?: boolean;
  mount: Mount[];
  maxInsns?: number;
  verbose?: boolean;
  stats?: boolean;
}

async function run(program: string, args: string[], opts: RunOptions): Promise<number> {
  const env: Record<string, string> = {};
  if (!opts.clearEnv) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  }
  for (const kv of opts.env) {
    const eq = kv.indexOf("=");
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const kernel = new Kernel({ mounts: opts.mount, maxInsns: opts.maxInsns });
  let proc;
  try {
    proc = kernel.spawn(program, [program, ...args], { env });
  } catch (e) {
    if (e instanceof SpawnError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return e.message.endsWith("No such file or directory") ? 127 : 126;
    }
    throw e;
  }
  const started = process.hrtime.bigint();
  const stopForwarding = forwardHostSignals(kernel);
  const status = await proc.wait();
  restoreHostTerminal();
  stopForwarding();
  if (opts.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mips = kernel.instructions / seconds / 1e6;
    process.stderr.write(`rvtrace: ${kernel.instructions} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} M/s)\n`);
  }
  if (opts.verbose && kernel.unimplemented.size > 0) {
    const list = [...kernel.unimplemented].map(([nr, n]) => `${syscallName(nr)} (${nr}) ×${n}`);
    process.stderr.write(`rvtrace: unimplemented syscalls met: ${list.join(", ")}\n`);
  }
  return status.signal !== null ? 128 + status.signal : (status.exitCode ?? 0);
}

/** Runs the command line; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const cli = new Command("rvtrace")
    .description("Run riscv64 Linux programs in a TypeScript emulator")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  let status = 0;
  cli
    .command("run")
    .description("run a static riscv64 Linux program")
    .argument("<program>", "the riscv64 ELF executable")
    .argument("[args...]", "arguments for the program")
    .passThroughOptions()
    .option("--env <KEY=VALUE>", "add a variable to the guest's environment (repeatable)", parseEnv, [])
    .option("--clear-env", "start from an empty environment instead of rvtrace's own")
    .option("--mount <HOST:GUEST[:ro]>", "show a host directory or file to the guest (repeatable)", parseMount, [])
    .addOption(new Option("--max-insns <N>", "kill the guest with SIGXCPU after N instructions").argParser(parseCount))
    .option("--verbose", "list the unimplemented syscalls the guest met")
    .option("--stats", "print the instruction count and speed on stderr at the end")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} })
    .action(async (program: string, args: string[], opts: RunOptions) => {
      status = await run(program, args, opts);
    });
  if (argv.length === 0) {
    process.stderr.write("rvtrace: missing command; usage: rvtrace run|trace [options] <program> [args...]\n");
    return USAGE_ERROR;
  }
  if (argv[0] === "trace") {
    const { traceMain } = await import("./trace.js");
    return traceMain(argv.slice(1));
  }
  try {
    await cli.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version") return 0;
      if (e.code === "commander.executeSubCommandAsync") return status;
      const msg = e.message.replace(/^error: /, "");
      process.stderr.write(`rvtrace: ${msg}\n`);
      return USAGE_ERROR;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rvtrace: internal error: ${msg}\n`);
    return 70;
  }
  return status;
}
