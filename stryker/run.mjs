// `npm run test:mutation [-- [--force] GROUP...]`: mutation testing of the groups in
// stryker/groups.mjs (all of them when none is named), one Stryker run per group, each in a child
// process of its own (the config is read once per process). Prints each group's score and wall
// time at the end.
//
// Without --force the run is incremental: only mutants whose code or covering tests changed since
// reports/mutation/GROUP.incremental.json are tested again. Stryker cannot tell which tests cover
// a static mutant (one in code run at module load, such as a top-level constant), so a static
// mutant that survived keeps its old result even when a new test would now kill it: --force
// tests every mutant again, and the scores in docs/testing.md come from such runs.
//
// Stryker is started through its API rather than its CLI: Stryker 10 declares node >= 22, and
// its CLI module (which the package's main entry also loads) throws on Node 20, the project's
// Node, on which the API itself runs. So the Stryker class is loaded from its own file.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GROUPS } from "./groups.mjs";

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === "--child") {
  const { Stryker } = await import(new URL("../node_modules/@stryker-mutator/core/dist/src/stryker.js", import.meta.url).href);
  await new Stryker({ configFile: "stryker.config.mjs", force: process.argv[3] === "--force" }).runMutationTest();
} else {
  const force = process.argv.includes("--force");
  const names = process.argv.slice(2).filter((a) => a !== "--force");
  for (const n of names) if (!GROUPS[n]) throw new Error(`unknown group ${n}; groups: ${Object.keys(GROUPS).join(", ")}`);
  const summary = [];
  let failed = false;
  for (const name of names.length ? names : Object.keys(GROUPS)) {
    const start = Date.now();
    const r = spawnSync(process.execPath, [self, "--child", ...(force ? ["--force"] : [])], { stdio: "inherit", env: { ...process.env, STRYKER_GROUP: name } });
    const seconds = Math.round((Date.now() - start) / 1000);
    if (r.status !== 0) failed = true;
    summary.push(`${name}: ${r.status === 0 ? score(name) : `failed (exit ${r.status})`}, ${seconds} s`);
  }
  console.log(["", "mutation score per group:", ...summary].join("\n  "));
  process.exitCode = failed ? 1 : 0;
}

/** The mutation score of the last report of a group: killed + timed out over all valid mutants. */
function score(name) {
  const report = JSON.parse(readFileSync(`reports/mutation/${name}.incremental.json`, "utf8"));
  const count = {};
  for (const file of Object.values(report.files)) for (const m of file.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  const pct = (100 * detected) / Math.max(1, detected + undetected);
  return `${pct.toFixed(2)}% (${detected} detected, ${count.Survived ?? 0} survived, ${count.NoCoverage ?? 0} no coverage)`;
}
