// The header snapshot (test/abi/xlat-header-values.json) against the headers installed now: the
// unit test xlat-headers.test.ts trusts the snapshot, and this is what earns it that trust. It
// compiles the name list with riscv64-linux-gnu-gcc (Debian gcc-riscv64-linux-gnu, with the headers
// of linux-libc-dev-riscv64-cross and libc6-dev-riscv64-cross), so it runs with `npm run test:live`.
// A failure here means the snapshot was edited by hand or the headers changed: rerun
// `npm run build && node tools/xlat-values.mjs` and review the diff.
import { describe, expect, it } from "vitest";
import { mismatches, namesOf, readHeaderValues, readSnapshot, type HeaderValue } from "../../tools/xlat-values.mjs";
import { ABSENT_FROM_HEADERS, DIFFERENT_ON_PURPOSE } from "./xlat-unverifiable.js";
import { loadChecks } from "./xlat-modules.js";

const checks = await loadChecks();
const names = namesOf(checks);
const installed = readHeaderValues(names);
const snapshot = readSnapshot();

const show = (v: HeaderValue | undefined) => (v === undefined ? "absent" : `0x${v.value.toString(16)}/${v.size} ${v.from}`);

describe("the header snapshot against the installed riscv64 headers", () => {
  it("holds exactly what the headers define for every name the tables use", () => {
    const differences = names
      .filter((n) => show(installed.get(n)) !== show(snapshot.get(n)))
      .map((n) => `${n}: headers ${show(installed.get(n))}, snapshot ${show(snapshot.get(n))}`);
    expect(differences).toEqual([]);
  });

  it("finds the table values equal to the installed headers' values", () => {
    expect(mismatches(checks, installed, new Set(Object.keys(DIFFERENT_ON_PURPOSE)))).toEqual([]);
  });

  it("still lacks every name listed as absent from the headers", () => {
    const listed = ABSENT_FROM_HEADERS.flatMap((g) => g.names);
    expect(listed.filter((n) => installed.has(n))).toEqual([]);
  });
});
