import { defineConfig } from "vitest/config";
// @ts-ignore -- plain ES module without type declarations
import { currentGroup } from "./stryker/groups.mjs";

// The test files of one mutation-testing group (stryker/groups.mjs, chosen by STRYKER_GROUP): only
// these run in Stryker's dry run and against each mutant.
const group = currentGroup();

export default defineConfig({
  test: {
    include: group.tests,
    // Tests that run the built CLI (dist/) never see Stryker's mutants, which live in src/.
    exclude: ["test/**/*-live.test.ts", "test/mem/prot-guests.test.ts", "node_modules/**", ...(group.exclude ?? [])],
    testTimeout: 60000,
  },
});
