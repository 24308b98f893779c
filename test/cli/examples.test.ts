// Every example a user is shown runs: each command of README.md's ```sh blocks, and each line of
// the "Examples" paragraph at the end of every command's --help, as printed. They run in bash from
// the top of the checkout, with `rvtrace` on PATH (a link to bin/rvtrace.js, which is what `npm link`
// makes), and must exit 0, or the status their comment gives as "(status N)", and print something.
// `npm install` and `npm test` are the exception: they are CI's own steps (.ci/run runs both), and
// running `npm test` inside the test suite would run this file again.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "bin", "rvtrace.js");
const binDir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-examples-"));
symlinkSync(cli, path.join(binDir, "rvtrace"));

interface Example {
  /** Where it was found, for the test's name. */
  readonly where: string;
  readonly command: string;
  readonly status: number;
}

/** "(status N)" in an example's comment, else 0. */
function documentedStatus(comment: string): number {
  const m = /\(status (\d+)\)/.exec(comment);
  return m ? Number(m[1]) : 0;
}

/** A shell line split at its comment: " # " outside quotes. */
function splitComment(line: string): { command: string; comment: string } {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return { command: line.slice(0, i).trim(), comment: line.slice(i + 1).trim() };
    }
  }
  return { command: line.trim(), comment: "" };
}

/** The commands of README.md's ```sh blocks, with the line numbers they are on. */
function readmeExamples(): Example[] {
  const lines = readFileSync(path.join(root, "README.md"), "utf8").split("\n");
  const out: Example[] = [];
  let inSh = false;
  lines.forEach((line, i) => {
    if (/^```/.test(line)) {
      inSh = !inSh && line.trim() === "```sh";
      return;
    }
    if (!inSh) return;
    const { command, comment } = splitComment(line);
    if (command === "" || /^npm (install|test|ci)\b/.test(command)) return;
    out.push({ where: `README.md:${i + 1}`, command, status: documentedStatus(comment) });
  });
  return out;
}

function rvtrace(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", input: "" });
}

/** The lines of the "Examples" paragraph that ends a --help text (a comment may take a line of its own). */
function helpExamples(args: string[]): Example[] {
  const text = rvtrace(args).stdout;
  const at = text.search(/^Examples\b.*:$/m);
  expect(at, `rvtrace ${args.join(" ")} has examples`).toBeGreaterThanOrEqual(0);
  const out: Example[] = [];
  for (const line of text.slice(at).split("\n").slice(1)) {
    if (!line.startsWith("  ")) break;
    const { command, comment } = splitComment(line);
    if (command === "") {
      // The comment of the example above it.
      const last = out.pop();
      if (last) out.push({ ...last, status: documentedStatus(comment) || last.status });
      continue;
    }
    out.push({ where: `rvtrace ${args.join(" ")}`, command, status: documentedStatus(comment) });
  }
  return out;
}

function runExample(e: Example) {
  const r = spawnSync("bash", ["-c", e.command], {
    cwd: root,
    encoding: "utf8",
    input: "",
    env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` },
  });
  return { status: r.status, output: (r.stdout ?? "") + (r.stderr ?? "") };
}

beforeAll(ensureBuilt, 120_000);

describe("README.md's commands", () => {
  const examples = readmeExamples();
  it("are found (the ```sh blocks hold commands)", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });
  for (const e of examples) {
    it(`${e.where}: ${e.command}`, () => {
      const r = runExample(e);
      expect(r.status, r.output).toBe(e.status);
      expect(r.output.trim()).not.toBe("");
      expect(r.output).not.toMatch(/internal error/);
    });
  }
});

describe("the examples in --help", () => {
  for (const args of [["--help"], ["run", "--help"], ["trace", "--help"], ["help", "completion"]]) {
    it(`rvtrace ${args.join(" ")}: every example runs`, () => {
      const examples = helpExamples(args);
      expect(examples.length).toBeGreaterThanOrEqual(2);
      for (const e of examples) {
        expect(e.command).toMatch(/^rvtrace /);
        const r = runExample(e);
        expect({ command: e.command, status: r.status }).toEqual({ command: e.command, status: e.status });
        expect(r.output.trim(), e.command).not.toBe("");
      }
    });
  }
});
