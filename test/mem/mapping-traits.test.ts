// What a mapping carries besides range, protection and name (Mapping's traits: maxProt, growsDown,
// shared, file, advice): map records those set and drops what says nothing (a maxProt allowing all
// of read, write and execute is no limit), neighbours join only when every trait agrees (as Linux
// merges VMAs only with equal flags and the same file), and madvise's bits add to those already
// set. Also the two small queries the memory syscalls use: mappingsIn and mappingCount.
import { beforeEach, describe, expect, it } from "vitest";
import {
  ADDRESS_LIMIT, ADVICE, AddressSpace, PAGE_CODE, PROT_EXEC, PROT_READ, PROT_WRITE, type MappingTraits,
} from "../../src/mem/address-space.js";

const PAGE = 4096;
const RW = PROT_READ | PROT_WRITE;
const RWX = RW | PROT_EXEC;
const BASE = 0x60000;

let mem: AddressSpace;
beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmap(0, ADDRESS_LIMIT);
});

describe("map records the traits that are set", () => {
  it("each trait appears in the mapping list as given", () => {
    const cases: [MappingTraits, MappingTraits][] = [
      [{ maxProt: PROT_READ }, { maxProt: PROT_READ }],
      [{ growsDown: true }, { growsDown: true }],
      [{ shared: 3 }, { shared: 3 }],
      [{ file: true }, { file: true }],
      [{ advice: ADVICE.DONTDUMP }, { advice: ADVICE.DONTDUMP }],
    ];
    for (const [given, shown] of cases) {
      mem.map(BASE, PAGE, RW, "m", given);
      expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + PAGE, prot: RW, name: "m", ...shown }]);
    }
  });

  it("maxProt keeps only PROT_* bits, and one allowing all of them is left out", () => {
    mem.map(BASE, PAGE, RW, "m", { maxProt: PROT_READ | PAGE_CODE });
    expect(mem.listMappings()[0].maxProt).toBe(PROT_READ);
    mem.map(BASE, PAGE, RW, "m", { maxProt: RWX });
    expect(mem.listMappings()[0]).not.toHaveProperty("maxProt");
    mem.map(BASE, PAGE, RW, "m", { maxProt: RWX | PAGE_CODE });
    expect(mem.listMappings()[0]).not.toHaveProperty("maxProt");
  });

  it("traits that are off are not recorded at all (so the mapping equals a plain one)", () => {
    mem.map(BASE, PAGE, RW, "m", { growsDown: false, file: false, advice: 0, shared: 0 });
    expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + PAGE, prot: RW, name: "m" }]);
  });
});

describe("neighbours join only with the same traits", () => {
  const differing: [string, MappingTraits, MappingTraits][] = [
    ["maxProt", { maxProt: PROT_READ }, {}],
    ["maxProt values", { maxProt: PROT_READ }, { maxProt: RW }],
    ["growsDown", { growsDown: true }, {}],
    ["shared object", { shared: 1 }, { shared: 2 }],
    ["file", { file: true }, {}],
    ["advice", { advice: ADVICE.RANDOM }, { advice: ADVICE.SEQUENTIAL }],
  ];
  for (const [what, left, right] of differing) {
    it(`two touching mappings differing in ${what} stay two`, () => {
      mem.map(BASE, PAGE, RW, "m", left);
      mem.map(BASE + PAGE, PAGE, RW, "m", right);
      expect(mem.mappingCount()).toBe(2);
    });
  }

  it("touching mappings with every trait equal join", () => {
    const all: MappingTraits = { maxProt: PROT_READ, growsDown: true, shared: 4, file: true, advice: ADVICE.DONTDUMP };
    mem.map(BASE, PAGE, RW, "m", all);
    mem.map(BASE + PAGE, PAGE, RW, "m", { ...all });
    expect(mem.listMappings()).toEqual([{ start: BASE, end: BASE + 2 * PAGE, prot: RW, name: "m", ...all }]);
  });
});

describe("advise", () => {
  it("adds the bits set to those already there, and clears only those asked", () => {
    mem.map(BASE, 2 * PAGE, RW, "m");
    mem.advise(BASE, BASE + 2 * PAGE, ADVICE.DONTFORK, 0);
    mem.advise(BASE, BASE + 2 * PAGE, ADVICE.DONTDUMP, 0);
    expect(mem.listMappings()[0].advice).toBe(ADVICE.DONTFORK | ADVICE.DONTDUMP);
    mem.advise(BASE, BASE + 2 * PAGE, 0, ADVICE.DONTFORK);
    expect(mem.listMappings()[0].advice).toBe(ADVICE.DONTDUMP);
  });
});

describe("mappingsIn", () => {
  it("gives the mappings overlapping the range, not those touching it from outside", () => {
    mem.map(BASE, PAGE, RW, "below");
    mem.map(BASE + PAGE, 2 * PAGE, RW, "in");
    mem.map(BASE + 3 * PAGE, PAGE, RW, "above");
    mem.map(BASE + 10 * PAGE, PAGE, RW, "far");
    expect(mem.mappingsIn(BASE + PAGE, BASE + 3 * PAGE).map((m) => m.name)).toEqual(["in"]);
    expect(mem.mappingsIn(BASE + 3 * PAGE - 1, BASE + 3 * PAGE + 1).map((m) => m.name)).toEqual(["in", "above"]);
  });
});

describe("mappingCount", () => {
  it("counts the mappings (what vm.max_map_count limits)", () => {
    expect(mem.mappingCount()).toBe(0);
    mem.map(BASE, PAGE, RW, "a");
    mem.map(BASE + 2 * PAGE, PAGE, RW, "b");
    mem.map(BASE + 4 * PAGE, PAGE, RW, "c");
    expect(mem.mappingCount()).toBe(3);
    mem.unmap(BASE + 2 * PAGE, PAGE);
    expect(mem.mappingCount()).toBe(2);
  });
});
