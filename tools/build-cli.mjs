#!/usr/bin/env node
// Builds the rvtrace command's bundle from the compiled modules (run after tsc; `npm run build`):
//   dist/rvtrace.cjs        the command (dist/cli/entry.js and everything it imports) as one script
//   dist/rvtrace.cjs.cache  V8's code cache for it, made by running `rvtrace run` once
//   dist/rvtrace.cjs.trace.cache  the same for `rvtrace trace`
// bin/load.js loads them. The library (dist/index.js) stays plain ES modules.
//
// The bundle is CommonJS because that is what vm.Script compiles (ES modules get no code cache in
// Node 20). It is only whitespace-minified: names stay, so profiles and stack traces still read, and
// the interpreter's code is the code that was measured. It is ASCII, which V8 scans fastest.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const bundle = path.join(dist, "rvtrace.cjs");

/**
 * Node modules that the command's dependencies require at load time but rarely use: commander
 * requires node:child_process (for external subcommands, which rvtrace has none of), elfy requires
 * node:assert (for one check), and rvtrace's gdb stub needs node:net only with `run --gdb`. Each costs
 * 5–7 ms to load, so the bundle gets a stand-in that
 * loads the real module on first use.
 */
const LAZY_BUILTINS = ["node:child_process", "child_process", "node:assert", "assert", "node:net", "net"];
const LAZY_PREFIX = "\0lazy-builtin:";

const lazyBuiltins = {
  name: "lazy-builtins",
  resolveId(source, importer) {
    // The stand-in's own require of the module is the real one.
    if (LAZY_BUILTINS.includes(source) && !importer?.startsWith(LAZY_PREFIX)) return LAZY_PREFIX + source;
    return null;
  },
  load(id) {
    if (!id.startsWith(LAZY_PREFIX)) return null;
    const name = JSON.stringify(id.slice(LAZY_PREFIX.length));
    // A function target, so that the stand-in for node:assert can be called as assert() itself.
    return `let real;
const load = () => (real ??= require(${name}));
module.exports = new Proxy(function () {}, {
  apply: (_target, self, args) => Reflect.apply(load(), self, args),
  get: (_target, key) => load()[key],
  has: (_target, key) => key in load(),
});
`;
  },
};

async function bundleCommand() {
  await build({
    input: path.join(dist, "cli", "entry.js"),
    platform: "node",
    // Loaded at run time, and only for --engine FILE.ts.
    external: ["typescript"],
    plugins: [lazyBuiltins],
    logLevel: "warn",
    output: {
      file: bundle,
      format: "cjs",
      codeSplitting: false,
      charset: "ascii",
      minify: { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } },
    },
  });
}

/**
 * Runs the command once from the bundle, without a cache, and saves what V8 compiled: one cache
 * for `rvtrace run` and one for `rvtrace trace` (bin/load.js picks by the command line), so that
 * neither deserialises the other's code.
 */
function makeCodeCache(command, cacheFile) {
  const hello = path.join(root, "guests", "bin", "hello");
  const argv = fs.existsSync(hello) ? [...command, hello] : command;
  const script = `
    import fs from "node:fs";
    import { createRequire } from "node:module";
    const { loadBundle } = createRequire(import.meta.url)("./bin/load.js");
    const loaded = loadBundle({ useCache: false });
    if (!loaded) throw new Error("no bundle to make a code cache for");
    const { exports: command, script } = loaded;
    command.setModuleImporter((specifier) => import(specifier));
    await command.main(${JSON.stringify(argv)});
    fs.writeFileSync(${JSON.stringify(cacheFile)}, script.createCachedData());
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`making the code cache failed: ${r.stderr.toString().trim()}`);
}

try {
  const { CACHE_FILES } = createRequire(import.meta.url)("../bin/load.js");
  for (const f of [CACHE_FILES.run, CACHE_FILES.trace]) fs.rmSync(f, { force: true });
  await bundleCommand();
  makeCodeCache(["run"], CACHE_FILES.run);
  makeCodeCache(["trace", "-o", "/dev/null"], CACHE_FILES.trace);
} catch (e) {
  console.error(`build-cli: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
