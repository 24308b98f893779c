#!/usr/bin/env node
// The rvtrace command. `npm install` builds it (prepare): dist/ from the TypeScript sources, and
// the bundle that load.js loads.
"use strict";
const { loadBundle } = require("./load.js");

async function start() {
  const command = loadBundle()?.exports ?? (await import("../dist/cli/entry.js"));
  command.setModuleImporter((specifier) => import(specifier));
  command.exitWhenIdle(await command.main(process.argv.slice(2)));
}

start();
