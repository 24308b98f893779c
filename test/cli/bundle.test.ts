// The command's launcher: bin/load.js runs the bundle only when it is as new as the compiled modules,
// with a code cache only when that is newer than the bundle; and the fast exit's WebAssembly module.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { ensureBuilt } from "../build.js";
import { exitModule } from "../../src/cli/exit.js";

const root = path.resolve(__dirname, "../..");

interface Loaded {
  exports: Record<string, unknown>;
  script: { cachedDataRejected?: boolean };
}
type LoadBundle = (opts?: { useCache?: boolean; argv?: string[] }) => Loaded | null;

/** bin/load.js from a copy of bin/ next to a dist/ of the test's making. */
function fakeInstall(): { dir: string; loadBundle: LoadBundle; touch: (rel: string, t: number) => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-bundle-"));
  cpSync(path.join(root, "bin"), path.join(dir, "bin"), { recursive: true });
  mkdirSync(path.join(dir, "dist", "cli"), { recursive: true });
  writeFileSync(path.join(dir, "dist", "cli", "entry.js"), "export const from = 'modules';\n");
  writeFileSync(path.join(dir, "dist", "rvtrace.cjs"), "exports.from = 'bundle';\n");
  const loadBundle = (createRequire(__filename)(path.join(dir, "bin", "load.js")) as { loadBundle: LoadBundle }).loadBundle;
  const touch = (rel: string, t: number) => utimesSync(path.join(dir, rel), t, t);
  return { dir, loadBundle, touch };
}

describe("bin/load.js", () => {
  beforeAll(ensureBuilt, 120_000);

  it("loads the built bundle, with code caches for run and for trace that V8 accepts", () => {
    // Each in a process of its own: V8 reuses code it compiled from the same source earlier in a
    // process without looking at the cache.
    for (const command of ["run", "trace"]) {
      const script = `
        const loaded = require(${JSON.stringify(path.join(root, "bin", "load.js"))}).loadBundle({ argv: [${JSON.stringify(command)}] });
        console.log(JSON.stringify({ exports: Object.keys(loaded.exports).sort(), rejected: loaded.script.cachedDataRejected }));`;
      const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
      expect(out, command).toEqual({ exports: ["exitWhenIdle", "main", "setModuleImporter"], rejected: false });
    }
  });

  it("runs a guest without loading the Node modules a plain run does not need", () => {
    // Each costs milliseconds of start-up: crypto (randomness comes from /dev/urandom), tty and
    // net (stdio is the host's fds), child_process and assert (commander's and elfy's, loaded
    // lazily by the bundle), perf_hooks.
    const script = `
      const command = require(${JSON.stringify(path.join(root, "bin", "load.js"))}).loadBundle({ argv: ["run"] }).exports;
      command.main(["run", ${JSON.stringify(path.join(root, "guests", "bin", "hello"))}]).then((status) => {
        const report = JSON.stringify({ status, modules: process.moduleLoadList }); // before stderr exists
        process.stderr.write(report);
      });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const { status, modules } = JSON.parse(r.stderr) as { status: number; modules: string[] };
    expect(status).toBe(0);
    expect(r.stdout).toBe("Hello, world!\n");
    const loaded = new Set(modules);
    for (const name of ["crypto", "tty", "net", "child_process", "assert", "perf_hooks"]) {
      expect(loaded.has(`NativeModule ${name}`), name).toBe(false);
    }
  });

  it("uses the bundle only when it is at least as new as the compiled modules", () => {
    const { dir, loadBundle, touch } = fakeInstall();
    try {
      touch("dist/cli/entry.js", 1000);
      touch("dist/rvtrace.cjs", 2000);
      expect(loadBundle({ argv: ["run"] })?.exports.from).toBe("bundle");
      touch("dist/cli/entry.js", 3000); // tsc ran after the bundle was made
      expect(loadBundle({ argv: ["run"] })).toBeNull();
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("ignores a cache older than the bundle, and survives one V8 rejects", () => {
    const { dir, loadBundle, touch } = fakeInstall();
    const bundle = path.join(dir, "dist", "rvtrace.cjs");
    try {
      writeFileSync(path.join(dir, "dist", "rvtrace.cjs.cache"), "not a code cache");
      touch("dist/cli/entry.js", 1000);
      touch("dist/rvtrace.cjs.cache", 1500);
      touch("dist/rvtrace.cjs", 2000);
      expect(loadBundle({ argv: ["run"] })!.script.cachedDataRejected).toBeUndefined(); // not offered to V8
      // A source not compiled before in this process: V8 would reuse that code without looking at
      // the cache.
      writeFileSync(bundle, "exports.from = 'another bundle';\n");
      touch("dist/rvtrace.cjs", 2000);
      touch("dist/rvtrace.cjs.cache", 2500);
      const loaded = loadBundle({ argv: ["run"] })!;
      expect(loaded.script.cachedDataRejected).toBe(true);
      expect(loaded.exports.from).toBe("another bundle");
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("bin/load.js's choice of code cache", () => {
  /** Whether loading for argv offered V8 a cache (a bad one here, so V8 says it rejected it). */
  function offered(loadBundle: LoadBundle, argv: string[]): boolean {
    return loadBundle({ argv })!.script.cachedDataRejected === true;
  }

  it("gives trace the tracer's cache when there is one, and the run's when there is none (the npm package)", () => {
    const { dir, loadBundle, touch } = fakeInstall();
    const dist = (f: string) => path.join(dir, "dist", f);
    try {
      touch("dist/cli/entry.js", 1000);
      touch("dist/rvtrace.cjs", 2000);
      writeFileSync(dist("rvtrace.cjs.cache"), "not a code cache");
      touch("dist/rvtrace.cjs.cache", 2500);
      // No tracer's cache: trace is offered the run's (each load compiles a source of its own, or
      // V8 would reuse code from the load before without looking at a cache).
      writeFileSync(dist("rvtrace.cjs"), "exports.from = 'bundle 1';\n");
      touch("dist/rvtrace.cjs", 2000);
      expect(offered(loadBundle, ["trace"])).toBe(true);
      // A tracer's cache older than the bundle: trace takes it, finds it stale, and offers none,
      // even though the run's is fresh.
      writeFileSync(dist("rvtrace.cjs.trace.cache"), "not a code cache");
      touch("dist/rvtrace.cjs.trace.cache", 1500);
      writeFileSync(dist("rvtrace.cjs"), "exports.from = 'bundle 2';\n");
      touch("dist/rvtrace.cjs", 2000);
      expect(offered(loadBundle, ["trace"])).toBe(false);
      // run never takes the tracer's: with the run's gone, it offers none.
      touch("dist/rvtrace.cjs.trace.cache", 2500);
      rmSync(dist("rvtrace.cjs.cache"));
      writeFileSync(dist("rvtrace.cjs"), "exports.from = 'bundle 3';\n");
      touch("dist/rvtrace.cjs", 2000);
      expect(offered(loadBundle, ["run"])).toBe(false);
      writeFileSync(dist("rvtrace.cjs"), "exports.from = 'bundle 4';\n");
      touch("dist/rvtrace.cjs", 2000);
      expect(offered(loadBundle, ["trace"])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("the fast exit", () => {
  it("builds a valid WASI module for every exit status", () => {
    for (let status = 0; status < 256; status++) {
      const bytes = exitModule(status);
      expect(WebAssembly.validate(bytes), String(status)).toBe(true);
      const mod = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(mod)).toEqual([{ module: "wasi_snapshot_preview1", name: "proc_exit", kind: "function" }]);
    }
  });

  it("ends the command with the guest's status, whatever it is", async () => {
    // Through a stand-in for proc_exit: the status the module passes is the one asked for.
    for (const status of [0, 1, 63, 64, 127, 128, 134, 139, 255]) {
      let got = -1;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(exitModule(status)), {
        wasi_snapshot_preview1: { proc_exit: (s: number) => void (got = s) },
      });
      (instance.exports._start as () => void)();
      expect(got).toBe(status);
    }
  });
});
