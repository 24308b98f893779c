// The syscall number is all 64 bits of a7, as Linux reads it (arch/riscv/kernel/traps.c): a value
// that is not a small number names no syscall (ENOSYS), whatever its low half says, and -1 leaves a0
// as it was. Found by the syscall fuzzer: a7 = 2^32 + 93 ran exit_group (93) and ended the guest.
// qemu-user reads only the low 32 bits, so there is no recording to compare with: the expected
// values are Linux's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Kernel } from "../../src/index.js";
// @ts-ignore -- a plain ES module without type declarations
import { buildElf } from "../../tools/fuzz/elf.mjs";
import { addi, ecall, words } from "../cpu/rv-encode.js";
import { Sink } from "../utrace/helpers-b.js";

const A0 = 10, A7 = 17, S0 = 8;
const slli = (rd: number, rs1: number, shamt: number) => ((shamt << 20) | (rs1 << 15) | (1 << 12) | (rd << 7) | 0x13) >>> 0;
const add = (rd: number, rs1: number, rs2: number) => ((rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33) >>> 0;

/** Runs code at 0x10000 as a whole program; returns its exit status. */
async function exitStatus(code: Uint8Array): Promise<number | null> {
  const dir = mkdtempSync(path.join(tmpdir(), "rvtrace-nr-"));
  try {
    writeFileSync(path.join(dir, "prog"), buildElf({ code, codeAddr: 0x10000 }), { mode: 0o755 });
    const out = new Sink();
    const p = new Kernel({ cwd: dir }).spawn(path.join(dir, "prog"), ["prog"], { env: {}, stdout: out, stderr: out });
    return (await p.wait()).exitCode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a7 is read whole", () => {
  it("2^32 + 93 is not exit_group but ENOSYS, and -1 returns a0 untouched", async () => {
    const code = words(
      addi(A7, 0, 1), slli(A7, A7, 32), addi(A7, A7, 93), addi(A0, 0, 7), ecall(), // ENOSYS, not exit_group(7)
      addi(S0, A0, 0),
      addi(A7, 0, -1), addi(A0, 0, 42), ecall(), // a0 stays 42
      add(A0, A0, S0), // 42 + -ENOSYS (-38) = 4
      addi(A7, 0, 94), ecall(),
    );
    expect(await exitStatus(code)).toBe(4);
  });
});
