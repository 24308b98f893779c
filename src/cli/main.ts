// The `rvtrace` command line: `rvtrace run [options] <program> [args...]`, and `rvtrace trace`
// (strace's options, parsed its way: src/cli/trace.ts).
// rvtrace prints nothing of its own on success; it exits with the guest's status, or 128+N when
// signal N killed the guest. Its own errors are one line on stderr and a status of 2 (usage) or
// 126/127 (a program that cannot run / cannot be found), as a shell would give.
import { Command, CommanderError } from "commander";
import { Kernel, SpawnError, type KernelOptions } from "../kernel/kernel.js";
import { SANDBOX_OPTIONS, UsageError } from "./sandbox-options.js";
import { forwardHostSignals } from "./host-signals.js";
import { restoreHostTerminal } from "../kernel/host/termios.js";
import { syscallName } from "../kernel/syscalls/table.js";

const USAGE_ERROR = 2;

function parseEnv(value: string, previous: string[]): string[] {
  if (!/^[^=]+=/.test(value)) throw new UsageError(`--env expects KEY=VALUE, got '${value}'`);
  return [...previous, value];
}

interface RunOptions {
  env: string[];
  clearEnv?: boolean;
  verbose?: boolean;
  stats?: boolean;
}

async function run(program: string, args: string[], opts: RunOptions, sandbox: KernelOptions): Promise<number> {
  const env: Record<string, string> = {};
  if (!opts.clearEnv) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  }
  for (const kv of opts.env) {
    const eq = kv.indexOf("=");
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const kernel = new Kernel(sandbox);
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
  const sandbox: KernelOptions = {};
  const runCommand = cli
    .command("run")
    .description("run a static riscv64 Linux program")
    .argument("<program>", "the riscv64 ELF executable")
    .argument("[args...]", "arguments for the program")
    .passThroughOptions()
    .option("--env <KEY=VALUE>", "add a variable to the guest's environment (repeatable)", parseEnv, [])
    .option("--clear-env", "start from an empty environment instead of rvtrace's own")
    .option("--verbose", "list the unimplemented syscalls the guest met")
    .option("--stats", "print the instruction count and speed on stderr at the end")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} })
    .action(async (program: string, args: string[], opts: RunOptions) => {
      status = await run(program, args, opts, sandbox);
    });
  for (const o of SANDBOX_OPTIONS) {
    const flags = o.valueName ? `--${o.long} <${o.valueName}>` : `--${o.long}`;
    // The rows apply themselves to `sandbox`; commander only delivers the values in order.
    runCommand.option(flags, o.help, (value: string | boolean) => o.apply(sandbox, typeof value === "string" ? value : undefined));
  }
  if (argv.length === 0) {
    process.stderr.write("rvtrace: missing command; usage: rvtrace run|trace|record [options] <program> [args...], rvtrace replay [options] <recording>\n");
    return USAGE_ERROR;
  }
  if (argv[0] === "trace") {
    const { traceMain } = await import("./trace.js");
    return traceMain(argv.slice(1));
  }
  if (argv[0] === "record") {
    const { recordMain } = await import("./record.js");
    return recordMain(argv.slice(1));
  }
  if (argv[0] === "replay") {
    const { replayMain } = await import("./replay.js");
    return replayMain(argv.slice(1));
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
