// The kit's constants and lookups, from the package entry as an engine author imports them.
import { describe, it, expect, expectTypeOf } from "vitest";
import {
  E, SIG, SYS, errnoName, errnoNumber, signalName, signalNumber, syscallName, syscallNumber,
  type EngineFactory, type EngineFactoryContext, type EngineSpec, type Kernel, type Process,
} from "../../src/index.js";

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

  it("are typed as constants, and the --engine factory's types are exported", () => {
    expectTypeOf(E.EACCES).toEqualTypeOf<13>();
    expectTypeOf(SIG.SIGUSR1).toEqualTypeOf<10>();
    expectTypeOf(SYS.openat).toEqualTypeOf<56>();
    expectTypeOf<EngineFactoryContext["kernel"]>().toEqualTypeOf<Kernel>();
    expectTypeOf<EngineFactoryContext["process"]>().toEqualTypeOf<Process>();
    expectTypeOf<EngineFactoryContext["options"]>().toEqualTypeOf<string>();
    expectTypeOf<EngineFactory>().returns.toEqualTypeOf<EngineSpec | Promise<EngineSpec>>();
    const factory: EngineFactory = ({ api }) => ({ ops: { name: "x" }, events: api.UTRACE_EVENT.SYSCALL_ENTRY });
    expect(typeof factory).toBe("function");
  });
});
