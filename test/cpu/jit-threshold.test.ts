// The compiled tier's threshold comes from the environment when it is read (jit.ts's module load):
// RVTRACE_JIT_THRESHOLD when it is a whole number the Uint16 heat counters can reach, else the
// back end's default: 10000 for WebAssembly regions, and for JavaScript ones (RVTRACE_JIT_BACKEND=js)
// well above the 2000 at which big programs lost time to V8's optimising compiler
// (docs/performance.md).
import { afterEach, describe, expect, it, vi } from "vitest";

async function thresholdWith(env: Record<string, string | undefined>): Promise<number> {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { jitConfig } = await import("../../src/cpu/jit.js");
  return jitConfig.threshold;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the compiled tier's threshold", () => {
  it("is 10000 block starts by default, 32000 with JavaScript regions", async () => {
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: undefined, RVTRACE_JIT_EAGER: undefined, RVTRACE_JIT_BACKEND: undefined })).toBe(10000);
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: undefined, RVTRACE_JIT_EAGER: undefined, RVTRACE_JIT_BACKEND: "js" })).toBe(32000);
  });

  it("takes RVTRACE_JIT_THRESHOLD from 1 to 65535", async () => {
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: "2000", RVTRACE_JIT_EAGER: undefined })).toBe(2000);
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: "1", RVTRACE_JIT_EAGER: undefined })).toBe(1);
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: "65535", RVTRACE_JIT_EAGER: undefined })).toBe(65535);
  });

  it("ignores values a heat counter cannot reach or that are not whole numbers", async () => {
    for (const bad of ["0", "65536", "-5", "12.5", "abc", ""]) {
      expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: bad, RVTRACE_JIT_EAGER: undefined, RVTRACE_JIT_BACKEND: undefined }), bad).toBe(10000);
    }
  });

  it("is 1 under RVTRACE_JIT_EAGER, whatever RVTRACE_JIT_THRESHOLD says", async () => {
    expect(await thresholdWith({ RVTRACE_JIT_THRESHOLD: "5000", RVTRACE_JIT_EAGER: "1" })).toBe(1);
  });
});
