// A command line that explains itself: --help of every command lists every option (one line each),
// `rvtrace help CMD`, --version, one-line errors with hints, and shell completion scripts.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { OPTION_GROUPS } from "../../src/cli/trace.js";
import { SANDBOX_OPTIONS } from "../../src/cli/sandbox-options.js";
import { TRACE_SECTIONS } from "../../src/engines/strace/options.js";
import { SYSCALLS } from "../../src/kernel/syscalls/table.js";
import { didYouMean, editDistance } from "../../src/cli/hints.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "bin", "rvtrace.js");

function rvtrace(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** rvtrace's own error: one line, "rvtrace: ...". */
function expectOneLine(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(/^rvtrace: [^\n]*\n$/);
  expect(stderr).toMatch(pattern);
}

beforeAll(ensureBuilt, 120_000);

describe("rvtrace --help", () => {
  it("lists every command, with examples at the end", () => {
    const r = rvtrace(["--help"]);
    expect(r.status).toBe(0);
    for (const cmd of ["run", "trace", "help", "completion"]) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, "m"));
    expect(r.stdout).toMatch(/-V, --version/);
    expect(r.stdout).toMatch(/\nExamples[^\n]*:\n  rvtrace /);
  });

  it("run --help and help run list every option of run, the sandbox rows included", () => {
    const a = rvtrace(["run", "--help"]);
    const b = rvtrace(["help", "run"]);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const rows = SANDBOX_OPTIONS.map((o) => (o.short ? `-${o.short}, --${o.long}` : `--${o.long}`));
    for (const flag of ["--env", "--clear-env", "--verbose", "--stats", ...rows]) {
      expect(a.stdout).toMatch(new RegExp(`^  ${flag}\\b`, "m"));
    }
    expect(a.stdout).toMatch(/\nExamples[^\n]*:\n  rvtrace run /);
    // One line each: no description wrapped onto a line of its own.
    const options = a.stdout.slice(a.stdout.indexOf("\nOptions:\n"), a.stdout.indexOf("\nExamples"));
    for (const line of options.split("\n").slice(2)) if (line !== "") expect(line).toMatch(/^  -/);
  });

  it("trace --help and help trace list every trace option in strace's sections, examples last", () => {
    const a = rvtrace(["trace", "--help"]);
    const b = rvtrace(["help", "trace"]);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    for (const g of OPTION_GROUPS) {
      for (const o of g.options) {
        const spelling = o.short ? `-${o.short}` : `--${o.long?.[0] ?? o.qualifier?.[0]}`;
        expect(a.stdout, spelling).toMatch(new RegExp(`^  ${spelling.replace(/[-]/g, "\\-")}\\b`, "m"));
      }
    }
    // strace's sections, in strace's order.
    const found = TRACE_SECTIONS.map((t) => a.stdout.indexOf(`\n${t}:\n`));
    expect(found.every((i) => i > 0)).toBe(true);
    expect([...found].sort((x, y) => x - y)).toEqual(found);
    expect(a.stdout).toMatch(/\nFiltering:\n(  .*\n)*  --trace=SET, -e trace=SET/);
    expect(a.stdout).toMatch(/\nStatistics:\n  -c, --summary-only/);
    expect(a.stdout).toMatch(/\nTampering:\n(  .*\n)*  --inject=/);
    expect(a.stdout.lastIndexOf("\nExamples")).toBeGreaterThan(a.stdout.indexOf("\nMiscellaneous:"));
  });

  it("help with an unknown command: one line with a hint, status 2", () => {
    const r = rvtrace(["help", "trac"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /unknown command 'trac'; did you mean trace\?/);
  });
});

describe("rvtrace --version", () => {
  it("prints the version, the ISA and the number of syscalls, for -V, --version and trace -V", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    const expected = new RegExp(`^rvtrace ${pkg.version.replace(/\./g, "\\.")}\\nISA: RV64GC[^\\n]*\\nsyscalls: ${SYSCALLS.length} implemented`);
    for (const args of [["-V"], ["--version"], ["trace", "-V"]]) {
      const r = rvtrace(args);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stdout, args.join(" ")).toMatch(expected);
    }
  });

  it("the README's count of syscalls is the registry's", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    expect(readme).toMatch(new RegExp(`with ${SYSCALLS.length} syscalls`));
  });
});

describe("one-line errors with hints", () => {
  it("run --engine says engines attach under rvtrace trace", () => {
    const r = rvtrace(["run", "--engine", "x.mjs", "guests/bin/hello"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /engines attach under `rvtrace trace`/);
  });
  it("another trace option given to run says where it belongs", () => {
    const r = rvtrace(["run", "--deny", "write", "guests/bin/hello"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /'--deny'.*rvtrace trace/);
  });
  it("a mistyped option of run or trace, or a mistyped command: did you mean", () => {
    const run = rvtrace(["run", "--verbos", "guests/bin/hello"]);
    expect(run.status).toBe(2);
    expectOneLine(run.stderr, /unknown option '--verbos'; did you mean --verbose\?/);
    const trace = rvtrace(["trace", "--jsno", "guests/bin/hello"]);
    expect(trace.status).toBe(2);
    expectOneLine(trace.stderr, /unrecognized option '--jsno'; did you mean --json\?/);
    const cmd = rvtrace(["rnu", "guests/bin/hello"]);
    expect(cmd.status).toBe(2);
    expectOneLine(cmd.stderr, /unknown command 'rnu'; did you mean run\?/);
  });
  it("a missing mount source names the path: no such file or directory, status 2", () => {
    const r = rvtrace(["run", "--mount", "/nonexistent-rvtrace:/x", "guests/bin/hello"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /\/nonexistent-rvtrace: no such file or directory/);
  });
});

describe("hints", () => {
  it("edit distance counts a swap of neighbours as one", () => {
    expect(editDistance("verbose", "verbose")).toBe(0);
    expect(editDistance("jsno", "json")).toBe(1);
    expect(editDistance("rnu", "run")).toBe(1);
    expect(editDistance("abc", "")).toBe(3);
  });
  it("suggests only near spellings", () => {
    expect(didYouMean("--verbos", ["--verbose", "--stats"])).toBe("; did you mean --verbose?");
    expect(didYouMean("--zzzzzz", ["--verbose", "--stats"])).toBe("");
  });
});

describe("rvtrace completion", () => {
  it("bash: sourcing the script registers the completion of rvtrace", () => {
    const r = spawnSync("bash", ["-c", `source <("${process.execPath}" "${cli}" completion bash) && complete -p rvtrace`], {
      cwd: root, encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^complete .*-F _rvtrace rvtrace$/m);
  });

  it("bash: completes commands, run's and trace's options, and shells", () => {
    const complete = (words: string[]) => {
      const script = `source <("${process.execPath}" "${cli}" completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _rvtrace; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync("bash", ["-c", script], { cwd: root, encoding: "utf8" });
      expect(r.status).toBe(0);
      return r.stdout.split("\n").filter((l) => l !== "");
    };
    expect(complete(["rvtrace", "tr"])).toEqual(["trace"]);
    expect(complete(["rvtrace", "run", "--cl"])).toEqual(["--clear-env"]);
    expect(complete(["rvtrace", "trace", "--trace-i"])).toEqual(["--trace-inner"]);
    expect(complete(["rvtrace", "completion", "z"])).toEqual(["zsh"]);
  });

  it("zsh: a compdef script describing every command and option", () => {
    const r = rvtrace(["completion", "zsh"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^#compdef rvtrace\n/);
    expect(r.stdout).toMatch(/compdef _rvtrace rvtrace/);
    for (const cmd of ["run", "trace", "help", "completion"]) expect(r.stdout).toMatch(new RegExp(`'${cmd}:`));
    expect(r.stdout).toMatch(/'--mount:show a host directory/);
    expect(r.stdout).toMatch(/'--trace-inner:attach the printer first/);
  });

  it("zsh: after compinit, sourcing the script registers _rvtrace for rvtrace", () => {
    const script = `autoload -U compinit; compinit -u -D; source <("${process.execPath}" "${cli}" completion zsh); print -r -- \${_comps[rvtrace]}`;
    const r = spawnSync("zsh", ["-fc", script], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("_rvtrace\n");
  });

  it("an unknown shell: one line, status 2", () => {
    const r = rvtrace(["completion", "fish"]);
    expect(r.status).toBe(2);
    expectOneLine(r.stderr, /unknown shell 'fish'/);
  });
});

describe("help into a pipe whose reader has gone (rvtrace run --help | head -1)", () => {
  // A FIFO opened read-write then write-only, and the read-write end closed: the writer is left
  // with no reader at all before rvtrace starts, so its first write is EPIPE every time.
  const script = 'd=$(mktemp -d) && mkfifo "$d/f" && exec 3<>"$d/f" 4>"$d/f" && exec 3<&- && rm -r "$d" && exec "$@" >&4';
  for (const args of [["--help"], ["run", "--help"], ["trace", "--help"], ["record", "--help"], ["replay", "--help"], ["help", "run"], ["completion", "bash"]]) {
    it(`rvtrace ${args.join(" ")}: status 0, nothing on stderr`, () => {
      const r = spawnSync("bash", ["-c", script, "bash", process.execPath, cli, ...args], { cwd: root, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  }
});
