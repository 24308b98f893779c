// Every constant in rvtrace's tables (src/abi/xlat, the signal numbers, the errno table) against
// Debian's riscv64 headers, through the snapshot test/abi/xlat-header-values.json that
// tools/xlat-values.mjs writes from them (test/abi/xlat-headers-live.test.ts checks the snapshot
// against the installed headers). A wrong value, a new name missing from the snapshot, or a name
// the headers lack that is not listed in xlat-unverifiable.ts with its reason fails here.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODULES, collectChecks, mismatches, namesOf, readSnapshot, sameValue } from "../../tools/xlat-values.mjs";
import { xlat } from "../../src/abi/xlat/types.js";
import { ABSENT_FROM_HEADERS, DIFFERENT_ON_PURPOSE } from "./xlat-unverifiable.js";
import { loadChecks } from "./xlat-modules.js";

const checks = await loadChecks();
const names = namesOf(checks);
const snapshot = readSnapshot();
const absent = new Set(ABSENT_FROM_HEADERS.flatMap((g) => g.names));
const onPurpose = new Set(Object.keys(DIFFERENT_ON_PURPOSE));

describe("constant tables against the riscv64 headers", () => {
  it("covers every module of src/abi/xlat", () => {
    const files = readdirSync(new URL("../../src/abi/xlat/", import.meta.url)).filter((f) => f.endsWith(".ts"));
    const missing = files.map((f) => `abi/xlat/${f.replace(/\.ts$/, "")}`).filter((m) => !MODULES.includes(m));
    expect(missing).toEqual([]);
  });

  it("finds the table values equal to the headers' values", () => {
    expect(mismatches(checks, snapshot, onPurpose)).toEqual([]);
  });

  it("has every name in the snapshot, or listed with the reason the headers lack it", () => {
    const unaccounted = names.filter((n) => !snapshot.has(n) && !absent.has(n));
    expect(unaccounted, "a new name: run `npm run build && node tools/xlat-values.mjs`, or list it").toEqual([]);
  });

  it("lists no name that the headers do define", () => {
    expect([...absent].filter((n) => snapshot.has(n))).toEqual([]);
  });

  it("lists only names some table still uses", () => {
    const used = new Set(names);
    const labels = new Set(checks.map((c) => c.label));
    expect([...absent].filter((n) => !used.has(n))).toEqual([]);
    expect([...onPurpose].filter((n) => !labels.has(n))).toEqual([]);
  });

  it("keeps only the purposely different values out of the comparison, and they do differ", () => {
    const different = checks.filter((c) => onPurpose.has(c.label));
    expect(different.map((c) => c.label).sort()).toEqual([...onPurpose].sort());
    expect(mismatches(different, snapshot)).toHaveLength(different.length);
  });

  it("holds no snapshot entry that no table uses", () => {
    const used = new Set(names);
    expect([...snapshot.keys()].filter((n) => !used.has(n))).toEqual([]);
  });
});

describe("the comparison", () => {
  const one = (exports: Record<string, unknown>) => collectChecks([["abi/xlat/misc", exports]]);

  it("names both constants of a table with EPOLLPRI and EPOLLOUT swapped", () => {
    const swapped = one({ EPOLL_EVENTS: xlat([["EPOLLIN", 0x1], ["EPOLLPRI", 0x4], ["EPOLLOUT", 0x2]]) });
    expect(mismatches(swapped, snapshot)).toEqual([
      "misc.ts EPOLL_EVENTS EPOLLPRI: table 0x4, headers 0x2 (uapi)",
      "misc.ts EPOLL_EVENTS EPOLLOUT: table 0x2, headers 0x4 (uapi)",
    ]);
  });

  it("checks each name of \"A or B\", and \"A|B\" as the union of A and B", () => {
    const t = one({
      T: xlat([
        ["SNDCTL_TMR_START or TCSETS", 0x5402],
        ["SNDCTL_TMR_STOP or TCGETS", 0x5403],
        ["FUTEX_FD|FUTEX_PRIVATE_FLAG", 0x82],
        ["FUTEX_WAKE|FUTEX_PRIVATE_FLAG", 0x82],
      ]),
    });
    expect(mismatches(t, snapshot)).toEqual([
      "misc.ts T TCGETS: table 0x5403, headers 0x5401 (uapi)",
      "misc.ts T FUTEX_WAKE|FUTEX_PRIVATE_FLAG: table 0x82, headers 0x81 (uapi|uapi)",
    ]);
  });

  it("reads a header constant at its own width, zero- or sign-extended, and nothing else", () => {
    // MS_NOUSER is (1<<31): an int, 0xffffffff80000000 once widened; the table holds the bit.
    const msNoUser = { value: 0xffffffff80000000n, size: 4 };
    expect(sameValue(0x80000000n, msNoUser)).toBe(true);
    expect(sameValue(0xffffffff80000000n, msNoUser)).toBe(true);
    expect(sameValue(0x180000000n, msNoUser)).toBe(false);
    expect(sameValue(0x40000000n, msNoUser)).toBe(false);
    // A 64-bit constant has no narrower reading.
    expect(sameValue(0x1n, { value: 0x100000001n, size: 8 })).toBe(false);
  });

  it("refuses an export it has no rule for, rather than skipping it", () => {
    expect(() => one({ ODD: { key: "text" } })).toThrow(/misc\.ts ODD: no rule/);
  });
});
