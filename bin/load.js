// Loads the rvtrace command from its bundle, dist/rvtrace.cjs: the whole command as one script
// (tools/build-cli.mjs makes it from dist/cli/entry.js), compiled with V8's code cache,
// dist/rvtrace.cjs.cache (or .trace.cache for `rvtrace trace`), made at build time by a run of
// the command.
//
// Why: as ~120 ES modules the command took ~100 ms to load on the development machine; one script
// compiled from the cache takes a fraction of that (figures in the README). vm.Script is the way to
// give V8 a code cache in Node 20; it also means import() is unavailable inside the script, so the
// launcher hands its own in (src/engines/import-module.ts). This file and the launcher are
// CommonJS (bin/package.json says so) so that a plain run never starts Node's ES module loader.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { createRequire } = require("node:module");

const dist = path.join(__dirname, "..", "dist");
const BUNDLE = path.join(dist, "rvtrace.cjs");

/** Where the build puts the code caches (see cacheFor). */
const CACHE_FILES = { run: `${BUNDLE}.cache`, trace: `${BUNDLE}.trace.cache` };

/** Rewritten by every tsc build: a bundle older than it is stale. */
const ENTRY = path.join(dist, "cli", "entry.js");

/**
 * The code cache for a command line: `rvtrace trace` has one of its own, as the tracer's code is
 * not worth deserialising for a plain run. The npm package leaves the tracer's out (it would take a
 * quarter of the tarball), and `trace` then starts from the run's, which V8 accepts for the same
 * bundle; the tracer's own functions are compiled as they are first called.
 */
function cacheFor(argv) {
  return argv[0] === "trace" && mtimeOf(CACHE_FILES.trace) >= 0 ? CACHE_FILES.trace : CACHE_FILES.run;
}

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Compiles and runs the bundle, with the code cache for the command line argv; returns its exports
 * and the vm.Script (for making a cache), or null when there is no bundle as new as the compiled
 * modules (the caller then imports those). A cache is used only when it was made after the bundle:
 * V8 checks a cache's V8 version and flags, but of the source only its length.
 */
function loadBundle({ useCache = true, argv = process.argv.slice(2) } = {}) {
  const bundleTime = mtimeOf(BUNDLE);
  if (bundleTime < 0 || bundleTime < mtimeOf(ENTRY)) return null;
  // The bundle is ASCII (escaped at build time), which latin1 reads fastest.
  const source = fs.readFileSync(BUNDLE, "latin1");
  let cachedData;
  const cache = cacheFor(argv);
  if (useCache && mtimeOf(cache) >= bundleTime) {
    try {
      cachedData = fs.readFileSync(cache);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dist);
  return { exports: module.exports, script };
}

module.exports = { loadBundle, cacheFor, CACHE_FILES };
