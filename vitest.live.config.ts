import { defineConfig } from "vitest/config";

// `npm run test:live`: only the live differential tests, which compare rvtrace with qemu-riscv64.
export default defineConfig({
  test: {
    include: ["test/**/*-live.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 120000,
    // Set-up hooks build the host's versions of guests with gcc (guests-live: about 40 programs),
    // which took over vitest's default 10 s on the shared 2-core machine under load. A hook only
    // prepares; no behaviour is judged by its time.
    hookTimeout: 600000,
  },
});
