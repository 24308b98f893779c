// --seed chooses the random bytes, --date the clock's start, and stdin's chunking by the host
// never shows: run in this process through `rvtrace trace`'s option parsing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { Readable } from "node:stream";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { traceMain } from "../../src/cli/trace.js";
import { Collector, GUESTS_DIR, traceInProcess } from "./helpers.js";

const PROBE = path.join(GUESTS_DIR, "bin", "det-probe");

async function randomLine(options: string[]): Promise<string> {
  const r = await traceInProcess(GUESTS_DIR, options, PROBE, ["--random"]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^getrandom [0-9a-f]{32}\n$/);
  return r.stdout;
}

describe("--seed", () => {
  it("the same seed gives the same bytes, another seed other bytes", async () => {
    const one = await randomLine(["--seed", "1"]);
    const two = await randomLine(["--seed", "2"]);
    expect(two).not.toBe(one);
    expect(await randomLine(["--seed", "1"])).toBe(one);
    // The default seed is 0, and --deterministic alone uses it.
    expect(await randomLine(["--deterministic"])).toBe(await randomLine(["--seed", "0"]));
  });

  it("refuses what is not an integer of 64 bits", async () => {
    const stderr: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await traceMain(["--seed", "18446744073709551616", PROBE])).toBe(2);
      expect(await traceMain(["--seed", "-1", PROBE])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join("")).toContain("--seed expects an integer from 0 to 18446744073709551615");
  });
});

describe("--date", () => {
  it.each([
    ["2024-02-29T12:34:56Z", "time 1709210096 2024-02-29 12:34:56 UTC"],
    ["2024-02-29T14:34:56+02:00", "time 1709210096 2024-02-29 12:34:56 UTC"],
    ["2024-02-29", "time 1709164800 2024-02-29 00:00:00 UTC"],
    ["86400", "time 86400 1970-01-02 00:00:00 UTC"],
  ])("--date %s: time() starts there", async (date, line) => {
    const r = await traceInProcess(GUESTS_DIR, ["--date", date], PROBE, ["--time"]);
    expect(r.stdout).toBe(line + "\n");
  });

  it("without --date a deterministic run starts at 2000-01-01T00:00:00Z", async () => {
    const r = await traceInProcess(GUESTS_DIR, ["--deterministic"], PROBE, ["--time"]);
    expect(r.stdout).toBe("time 946684800 2000-01-01 00:00:00 UTC\n");
  });
});

/** A stream that hands out `text` a few bytes at a time, each after a host timer. */
function trickle(text: string): Readable {
  const bytes = Buffer.from(text, "utf8");
  let at = 0;
  return new Readable({
    read() {
      setTimeout(() => {
        const n = 1 + (at % 3);
        this.push(at < bytes.length ? bytes.subarray(at, at + n) : null);
        at += n;
      }, 1);
    },
  });
}

describe("stdin in a deterministic run", () => {
  it("reads return the same counts however the host delivers the bytes", async () => {
    const text = "one two three\nfour five\n".repeat(40);
    const runs = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-det-stdin-"));
    try {
      for (const stdin of [Readable.from([Buffer.from(text)]), trickle(text)]) {
        const stdout = new Collector();
        const stderr = new Collector();
        const log = path.join(dir, `trace${runs.length}`);
        const status = await traceMain(["--deterministic", "-e", "trace=read", "-o", log, "bin/wc", "five"], undefined, {
          cwd: GUESTS_DIR, stdin, stdout, stderr,
        });
        runs.push({ status, stdout: stdout.text(), trace: readFileSync(log, "latin1") });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(runs[0].status).toBe(0);
    // The trickle comes in pieces of 1 to 3 bytes: reads that returned what had come would show it.
    expect(runs[0].trace).toMatch(/read\(0, .*\) = \d{3,}/);
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe("stdin given as a Node stream", () => {
  it("an empty chunk in object mode is skipped, and the end still comes (with or without --deterministic)", async () => {
    for (const options of [[], ["--deterministic"]]) {
      const r = await traceInProcess(GUESTS_DIR, options, "bin/wc", [], "");
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("      0       0       0\n");
    }
  });
});

