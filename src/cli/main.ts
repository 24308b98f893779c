// The `rvtrace` command line: `rvtrace run [options] <program> [args...]`, `rvtrace trace` (strace's
// options, parsed its way: src/cli/trace.ts), `rvtrace help [command]`, `rvtrace completion bash|zsh`
// and `rvtrace --version`. commander parses all but trace's options; each command's --help lists
// every option and ends with examples (src/cli/help.ts).
// rvtrace prints nothing of its own on success; it exits with the guest's status, or 128+N when
// signal N killed the guest. Its own errors are one line on stderr and a status of 2 (usage) or
// 126/127 (a program that cannot run / cannot be found), as a shell would give.
import { Command, CommanderError } from "commander";
import { Kernel, SpawnError, type KernelOptions } from "../kernel/kernel.js";
import { writeAll } from "./write-all.js";
import { SANDBOX_OPTIONS, UsageError, commanderFlags, withDefaultSysroot } from "./sandbox-options.js";
import { forwardHostSignals } from "./host-signals.js";
import { restoreHostTerminal } from "../kernel/host/termios.js";
import { readFileSync } from "node:fs";
import { writeAllToHostFd } from "../kernel/vfs/input.js";
import { verify } from "./verify.js";
import { reportVerbose } from "./verbose.js";
import { gdbSettings, parseGdbPort } from "./gdb-port.js";
import { COMPLETION_EXAMPLES, RUN_EXAMPLES, TOP_EXAMPLES, examplesText, versionText } from "./help.js";
import { didYouMean } from "./hints.js";
import { noteGuestSignal } from "./exit.js";
import { runStatus, withDeadlockEnd } from "./deadlock.js";
import type { CompletionCommand } from "./completion.js";

const USAGE_ERROR = 2;

function parseEnv(value: string, previous: string[] = []): string[] {
  if (!/^[^=]+=/.test(value)) throw new UsageError(`--env expects KEY=VALUE, got '${value}'`);
  return [...previous, value];
}

interface RunOptions {
  env?: string[];
  clearEnv?: boolean;
  verbose?: boolean;
  stats?: boolean;
  verify?: boolean;
  gdb?: number;
  gdbWait?: number;
}

/** The exit status of `run --verify` when the two runs differ (0 when they agree). */
export const VERIFY_DIFFERS = 1;

async function run(program: string, args: string[], opts: RunOptions, given: KernelOptions): Promise<number> {
  const sandbox = withDefaultSysroot(given);
  const env: Record<string, string> = {};
  // A deterministic run starts from an empty environment: rvtrace's own is the host's.
  if (!opts.clearEnv && !sandbox.deterministic && !opts.verify) {
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  }
  for (const kv of opts.env ?? []) {
    const eq = kv.indexOf("=");
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (opts.verify) return runVerify(program, args, env, sandbox);
  const kernel = new Kernel(withDeadlockEnd(sandbox));
  const gdbWith = gdbSettings(opts.gdb, opts.gdbWait);
  const gdb = gdbWith ? await import("./gdb.js") : null;
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
  // The stub listens before the first guest instruction (and, with --gdb-wait, holds the program).
  const debug = gdb && gdbWith ? await gdb.debugWithGdb(kernel, proc, gdbWith.port, gdbWith.wait) : null;
  const started = process.hrtime.bigint();
  const stopForwarding = forwardHostSignals(kernel);
  const status = await proc.wait();
  await debug?.end(status);
  restoreHostTerminal();
  stopForwarding();
  if (opts.stats) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mips = kernel.instructions / seconds / 1e6;
    // Host work in syscalls, in instruction-equivalents, counts against --max-insns too (host-work.ts).
    const memory = kernel.memory ? `, memory peak ${kernel.memory.peak} bytes` : "";
    process.stderr.write(
      `rvtrace: ${kernel.instructions} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} M/s), host work ${Math.round(kernel.hostWork)}${memory}\n`,
    );
  }
  if (opts.verbose) reportVerbose(kernel);
  noteGuestSignal(status.signal);
  return runStatus(kernel, status);
}

/** --verify: two deterministic runs; the first's output is shown, then whether they agree. */
async function runVerify(program: string, args: string[], env: Record<string, string>, sandbox: KernelOptions): Promise<number> {
  let stdin: Uint8Array;
  try {
    stdin = readFileSync(0);
  } catch {
    stdin = new Uint8Array(0); // no stdin at all (closed): as /dev/null
  }
  let result;
  try {
    result = await verify(program, [program, ...args], env, sandbox, stdin);
  } catch (e) {
    if (e instanceof SpawnError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return e.message.endsWith("No such file or directory") ? 127 : 126;
    }
    throw e;
  }
  writeAllToHostFd(1, result.first.stdout);
  writeAllToHostFd(2, result.first.stderr);
  const { first } = result;
  if (result.same) {
    process.stderr.write(`rvtrace: --verify: both runs agree (exit status ${first.status}, ${first.syscalls} syscalls, ${first.instructions} instructions)\n`);
    return 0;
  }
  for (const line of result.differences) process.stderr.write(`rvtrace: --verify: ${line}\n`);
  return VERIFY_DIFFERS;
}

/** What the command line's parse leaves behind: the status of the command that ran. */
interface CliState {
  status: number;
  sandbox: KernelOptions;
}

/** trace's line in --help (main() hands `trace ...` to trace.ts, which parses its options). */
const TRACE_DESCRIPTION = "run a program under an strace built on engines (rvtrace trace --help)";

/**
 * The commander program: its commands are what --help lists and `completion` completes (a command
 * added here appears in both), all parsed by commander but trace.
 */
function buildProgram(state: CliState): Command {
  // Help goes out whole and synchronously; a reader that leaves early (| head -1) is no error.
  const quiet = { writeOut: (text: string) => writeAll(1, text), writeErr: () => {}, outputError: () => {} };
  const cli = new Command("rvtrace")
    .description("Run riscv64 Linux programs in a TypeScript emulator, and trace and steer them")
    .usage("<command> [options]")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(quiet)
    .helpOption("-h, --help", "print this help and exit")
    // One line per option, as trace's help, whatever the terminal's width (subcommands inherit it).
    .configureHelp({ helpWidth: 200 })
    // commander's .version() wants the text up front; it reads package.json, which every run would pay for.
    .option("-V, --version", "print the version, the ISA and the syscall count, and exit")
    .on("option:version", () => {
      writeAll(1, versionText());
      throw new CommanderError(0, "commander.version", "");
    })
    .helpCommand(false)
    .addHelpText("after", examplesText(TOP_EXAMPLES));
  const runCommand = cli
    .command("run")
    .description("run a riscv64 Linux program (static, or dynamic with its loader from --sysroot)")
    .argument("<program>", "the riscv64 ELF executable (or #! script)")
    .argument("[args...]", "arguments for the program (options after <program> are the program's)")
    .passThroughOptions()
    .helpOption("-h, --help", "print this help and exit")
    .option("--env <KEY=VALUE>", "add a variable to the guest's environment (repeatable)", parseEnv)
    .option("--clear-env", "start from an empty environment instead of rvtrace's own")
    .option("--verbose", "at the end, say which sysroot a run chose, list the unimplemented syscalls met and what made a deterministic run not repeatable")
    .option("--stats", "at the end, print the instruction count and speed on stderr")
    .option("--verify", `run the program twice, deterministically, and report the first difference (exit status 0 if none, ${VERIFY_DIFFERS} if any)`)
    .option("--gdb <PORT>", "let gdb attach on 127.0.0.1:PORT at any moment: the program runs at once and stops when gdb connects (0: any free port)", (v: string) => parseGdbPort(v))
    .option("--gdb-wait <PORT>", "as --gdb, but hold the program before its first instruction until gdb connects", (v: string) => parseGdbPort(v, "--gdb-wait"))
    .exitOverride()
    .configureOutput(quiet)
    .addHelpText("after", examplesText(RUN_EXAMPLES))
    .action(async (program: string, args: string[], opts: RunOptions) => {
      state.status = await run(program, args, opts, state.sandbox);
    });
  for (const o of SANDBOX_OPTIONS) {
    const flags = commanderFlags(o);
    // The rows apply themselves to `sandbox`; commander only delivers the values in order.
    runCommand.option(flags, o.help, (value: string | boolean) => o.apply(state.sandbox, typeof value === "string" ? value : undefined));
  }
  // Listed for --help and completion; main() hands `trace ...` to trace.ts before commander parses.
  cli.command("trace").description(TRACE_DESCRIPTION).usage("[options] <program> [args...]")
    .argument("<program>").argument("[args...]");
  cli.command("help").description("print the help of a command (rvtrace help trace)").argument("[command]")
    .exitOverride().configureOutput(quiet)
    .action(async (name: string | undefined) => {
      state.status = await help(cli, name);
    });
  cli.command("completion").description("print a completion script for bash or zsh").argument("<shell>", "bash or zsh")
    .exitOverride().configureOutput(quiet)
    .addHelpText("after", examplesText(COMPLETION_EXAMPLES))
    .action(async (shell: string) => {
      state.status = await completion(cli, shell);
    });
  return cli;
}

/** `rvtrace help [command]`: that command's --help (trace's from trace.ts), or the program's. */
async function help(cli: Command, name: string | undefined): Promise<number> {
  if (name === "trace") {
    const { traceMain } = await import("./trace.js");
    return traceMain(["--help"]);
  }
  const command = name === undefined ? cli : cli.commands.find((c) => c.name() === name);
  if (!command) throw new UsageError(`help: unknown command '${name}'${didYouMean(name ?? "", cli.commands.map((c) => c.name()))}`);
  command.outputHelp();
  return 0;
}

/** The commands and their options, for completion scripts. */
async function completionCommands(cli: Command): Promise<CompletionCommand[]> {
  const { traceOptionList } = await import("./trace.js");
  const names = cli.commands.map((c) => c.name());
  return cli.commands.map((c) => {
    const options = c.name() === "trace"
      ? traceOptionList()
      : c.options.flatMap((o) => [o.short, o.long].filter((f): f is string => !!f).map((flag) => ({ flag, help: o.description })));
    const words = c.name() === "help" ? names : c.name() === "completion" ? ["bash", "zsh"] : undefined;
    return { name: c.name(), description: c.description(), options, words };
  });
}

async function completion(cli: Command, shell: string): Promise<number> {
  const { bashCompletion, zshCompletion } = await import("./completion.js");
  if (shell !== "bash" && shell !== "zsh") throw new UsageError(`completion: unknown shell '${shell}' (bash or zsh)`);
  const commands = await completionCommands(cli);
  writeAll(1, shell === "bash" ? bashCompletion(commands) : zshCompletion(commands));
  return 0;
}

/**
 * commander's error as one line, with a hint: an option of `rvtrace trace` given to run says where
 * it belongs; commander's own suggestion ("(Did you mean --verbose?)", a second line) joins the line.
 */
async function commanderMessage(e: CommanderError): Promise<string> {
  let msg = e.message.replace(/^error: /, "").replace(/\n\(Did you mean (.*)\?\)$/s, "; did you mean $1?");
  const unknown = /^unknown option '([^']+)'/.exec(msg)?.[1];
  if (e.code === "commander.unknownOption" && unknown !== undefined) {
    const { traceOptionList } = await import("./trace.js");
    const flag = unknown.replace(/=.*/, "");
    if (traceOptionList().some((o) => o.flag === flag)) {
      msg = flag === "--engine"
        ? `run has no option '--engine': engines attach under \`rvtrace trace\` (rvtrace trace --engine MODULE <program>)`
        : `run has no option '${flag}': it is an option of \`rvtrace trace\` (rvtrace trace ${flag} ... <program>)`;
    }
  }
  return msg.split("\n").join(" ");
}

/** Runs the command line; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write("rvtrace: missing command; usage: rvtrace run|trace|record [options] <program> [args...], rvtrace replay [options] <recording> (rvtrace --help)\n");
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
  const state: CliState = { status: 0, sandbox: {} };
  const cli = buildProgram(state);
  try {
    await cli.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rvtrace: ${e.message}\n`);
      return USAGE_ERROR;
    }
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version") return 0;
      if (e.code === "commander.executeSubCommandAsync") return state.status;
      process.stderr.write(`rvtrace: ${await commanderMessage(e)}\n`);
      return USAGE_ERROR;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rvtrace: internal error: ${msg}\n`);
    return 70;
  }
  return state.status;
}
