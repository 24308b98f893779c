// The kit's constants and lookups, from the package entry as an engine author imports them.
import { describe, it, expect, beforeAll } from "vitest";
import { ensureBuilt } from "../build.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  E, SIG, SYS, errnoName, errnoNumber, signalName, signalNumber, syscallName, syscallNumber,
} from "../../src/index.js";

const ROOT = path.resolve(__dirname, "../..");
// The published declarations (dist/index.d.ts), as a consumer of the package gets them.
const INDEX = path.join(ROOT, "dist", "index.js");

beforeAll(ensureBuilt, 120_000);

/** Type-checks one strict TypeScript file against the package's sources; returns tsc's errors. */
function tsc(source: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-kit-types-"));
  try {
    const file = path.join(dir, "consumer.ts");
    writeFileSync(file, source);
    const r = spawnSync(process.execPath, [
      path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck",
      "--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022",
      "--typeRoots", path.join(ROOT, "node_modules", "@types"), "--types", "node", file,
    ], { encoding: "utf8" });
    return r.stdout.split("\n").filter((l) => l.includes("consumer.ts")).join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("errno, signal and syscall constants", () => {
  it("have Linux's riscv64 values", () => {
    expect(E.EPERM).toBe(1);
    expect(E.ENOENT).toBe(2);
    expect(E.EACCES).toBe(13);
    expect(E.EROFS).toBe(30);
    expect(E.ENOSYS).toBe(38);
    expect(SIG.SIGUSR1).toBe(10);
    expect(SIG.SIGSEGV).toBe(11);
    expect(SIG.SIGCHLD).toBe(17);
    expect(SIG.SIGSYS).toBe(31);
    expect(SIG.SIGRTMIN).toBe(32);
    expect(SIG.SIGRTMAX).toBe(64);
    expect(SYS.openat).toBe(56);
    expect(SYS.write).toBe(64);
    expect(SYS.exit_group).toBe(94);
    expect(SYS.clone3).toBe(435);
  });

  it("look up both ways", () => {
    expect(errnoName(13)).toBe("EACCES");
    expect(errnoName(-2)).toBe("ENOENT"); // a syscall's negative result
    expect(errnoName(-2n)).toBe("ENOENT");
    expect(errnoName(11)).toBe("EAGAIN"); // an alias (EWOULDBLOCK) gives the first name
    expect(errnoName(9999)).toBeUndefined();
    expect(errnoNumber("EACCES")).toBe(13);
    expect(errnoNumber("EWOULDBLOCK")).toBe(11);
    expect(errnoNumber("ENOPE")).toBeUndefined();
    expect(signalName(10)).toBe("SIGUSR1");
    expect(signalName(40)).toBe("SIGRT8");
    expect(signalNumber("SIGUSR1")).toBe(10);
    expect(signalNumber("USR2")).toBe(12);
    expect(signalNumber("SIGRT8")).toBe(40);
    expect(signalNumber("SIGNOPE")).toBeUndefined();
    expect(syscallNumber("openat")).toBe(56);
    expect(syscallName(56)).toBe("openat");
    // every syscall number names itself back
    for (const [name, nr] of Object.entries(SYS)) expect(syscallName(nr)).toBe(name);
    for (const [name, n] of Object.entries(E)) expect(errnoNumber(name)).toBe(n);
  });

  it("are typed for a strict TypeScript consumer, with the --engine factory's types (checked by tsc)", () => {
    // one file (one tsc run): everything type-checks but the two lines marked, which must fail
    const source = `
      import { E, SIG, SYS, deny, readStruct, type EngineFactory, type EngineFactoryContext, type Kernel, type Process, type Task } from ${JSON.stringify(INDEX)};
      const eacces: 13 = E.EACCES;
      const usr1: 10 = SIG.SIGUSR1;
      const openat: 56 = SYS.openat;
      const k: Kernel = null as unknown as EngineFactoryContext["kernel"];
      const p: Process = null as unknown as EngineFactoryContext["process"];
      const factory: EngineFactory = ({ api, options }) => ({
        ops: {
          name: options,
          reportSyscallEntry(action, engine, regs) {
            const ts = readStruct(engine.task, regs.arg(1), { tv_sec: "i64", tv_nsec: "u32" });
            const sec: bigint | undefined = ts?.tv_sec;
            const nsec: number | undefined = ts?.tv_nsec;
            void sec; void nsec; void action;
            return regs.syscallNumber === BigInt(api.SYS.unlinkat) ? deny(regs, api.E.EPERM) | api.UTRACE_RESUME : api.UTRACE_RESUME;
          },
        },
        events: api.UTRACE_EVENT.SYSCALL_ENTRY,
      });
      const wrong: 14 = E.EACCES; // BAD
      const n: number | undefined = readStruct(null as unknown as Task, 0n, { a: "u64" })?.a; // BAD
      export { eacces, usr1, openat, k, p, factory, wrong, n };
    `;
    const lines = source.split("\n");
    const bad = lines.map((l, i) => (l.includes("// BAD") ? i + 1 : 0)).filter((x) => x > 0);
    const errors = tsc(source).split("\n").filter((l) => l !== "");
    expect(errors.map((e) => Number(/consumer\.ts\((\d+),/.exec(e)![1]))).toEqual(bad);
    expect(errors[0]).toMatch(/error TS2322: Type '13' is not assignable to type '14'/);
    expect(errors[1]).toMatch(/error TS2322: Type 'bigint \| undefined' is not assignable to type 'number \| undefined'/);
  }, 120_000);
});
