// The compiled tier's back end comes from the environment when jit.ts is loaded:
// RVTRACE_JIT_BACKEND=js selects the JavaScript one; unset, empty or anything else is the shipped
// WebAssembly one (a typo must not quietly switch a run to the other compiler).
import { afterEach, describe, expect, it, vi } from "vitest";

async function backendWith(value: string | undefined): Promise<string> {
  vi.resetModules();
  vi.stubEnv("RVTRACE_JIT_BACKEND", value);
  const { jitConfig } = await import("../../src/cpu/jit.js");
  return jitConfig.backend;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the compiled tier's back end", () => {
  it("is WebAssembly when RVTRACE_JIT_BACKEND is unset", async () => {
    expect(await backendWith(undefined)).toBe("wasm");
  });

  it("is JavaScript for RVTRACE_JIT_BACKEND=js", async () => {
    expect(await backendWith("js")).toBe("js");
  });

  it("is WebAssembly for any other value", async () => {
    for (const other of ["", "wasm", "JS", "js ", "javascript", "1", "0"]) {
      expect(await backendWith(other), JSON.stringify(other)).toBe("wasm");
    }
  });
});
