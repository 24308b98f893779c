import { defineConfig } from "vitest/config";

// The default suite: unit tests and the recorded-output guest tests. The live differential tests
// (*-live.test.ts, which need qemu-riscv64) run with vitest.live.config.ts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*-live.test.ts", "node_modules/**"],
    testTimeout: 60000,
  },
});
