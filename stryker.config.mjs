// StrykerJS configuration for `npm run test:mutation` (stryker/run.mjs): one group of
// stryker/groups.mjs at a time, chosen by STRYKER_GROUP. Incremental: the results of the last run
// are kept in reports/mutation/GROUP.incremental.json (committed), so a run re-tests only the
// mutants whose code or covering tests changed since.
import { currentGroup } from "./stryker/groups.mjs";

const group = currentGroup();

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  plugins: ["@stryker-mutator/vitest-runner"],
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  mutate: group.mutate,
  coverageAnalysis: "perTest",
  // The machine has two cores shared with others.
  concurrency: 1,
  incremental: true,
  incrementalFile: `reports/mutation/${group.name}.incremental.json`,
  // The incremental file is also the full report (mutation-testing-report-schema); stryker/run.mjs
  // reads the score from it, and `node stryker/survivors.mjs GROUP` lists what survived.
  reporters: ["clear-text", "progress"],
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  // Under its floor a group fails the run, and with it .ci/run: 85% (issue 13's bar), or a lower
  // floor a group is given in groups.mjs while it is below the bar (docs/testing.md says why).
  thresholds: { high: 90, low: 85, break: group.floor ?? 85 },
  // What tools/fetch-*.sh put in guests/ for the live tests (Debian's shells, the sysroot of Debian
  // packages and its apt state, esbuild) is not copied into the sandbox: no group's tests use it, it
  // is large, and it holds symbolic links to directories, which Stryker's copy fails on.
  ignorePatterns: ["dist", "reports", "guests/shells", "guests/sysroot", "guests/sysroot.apt", "guests/esbuild"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // A mutant that makes a loop endless is detected as a timeout: the net time of its tests plus
  // this much (the tests of every group take well under a second each).
  timeoutMS: 5000,
  // A group may skip static mutants (code run once, at module load): each needs every test of the
  // group and a fresh test process, which the fpu group's tables and constants made take hours.
  ignoreStatic: group.ignoreStatic ?? false,
};
