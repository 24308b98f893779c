import { defineConfig } from "vitest/config";

// `npm run test:live`: only the live differential tests, which compare rvtrace with qemu-riscv64.
export default defineConfig({
  test: {
    include: ["test/**/*-live.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 120000,
  },
});
