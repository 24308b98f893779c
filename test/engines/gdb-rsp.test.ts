// The gdb stub's pieces that need no program: packet framing and escaping, register encoding,
// signal numbering, and the target description's register list.
import { describe, it, expect } from "vitest";
import { RspDecoder, framePacket, leHex, fromLeHex, fromHex } from "../../src/engines/gdb/rsp.js";
import { gdbSignal, linuxSignal } from "../../src/engines/gdb/signals.js";
import { TARGET_XML, REGISTER_COUNT, registerSize } from "../../src/engines/gdb/registers.js";

describe("RSP framing", () => {
  it("frames with a modulo-256 checksum and escapes # $ } *", () => {
    expect(framePacket("OK").toString("latin1")).toBe("$OK#9a");
    const framed = framePacket(Buffer.from("a#b$c}d*e", "latin1")).toString("latin1");
    expect(framed.slice(0, framed.length - 3)).toBe("$a}\x03b}\x04c}]d}\x0ae");
    // the decoder gives the escaped payload back
    const [ev] = new RspDecoder().push(framePacket(Buffer.from("a#b$c}d*e", "latin1")));
    expect(ev).toEqual({ kind: "packet", data: Buffer.from("a#b$c}d*e", "latin1") });
  });

  it("decodes packets split anywhere, acks and noise dropped, interrupts and bad checksums reported", () => {
    const d = new RspDecoder();
    expect(d.push(Buffer.from("+$g#6"))).toEqual([]);
    expect(d.push(Buffer.from("7\x03$m0,4#00-"))).toEqual([
      { kind: "packet", data: Buffer.from("g") },
      { kind: "interrupt" },
      { kind: "bad-checksum" },
    ]);
    expect(d.push(Buffer.from("$?#3f"))).toEqual([{ kind: "packet", data: Buffer.from("?") }]);
  });

  it("registers travel little-endian, of their size", () => {
    expect(leHex(0x1122334455667788n, 8)).toBe("8877665544332211");
    expect(leHex(-1n, 4)).toBe("ffffffff");
    expect(fromLeHex("8877665544332211")).toBe(0x1122334455667788n);
    expect(() => fromHex("abc")).toThrow(/bad hex/);
    expect(() => fromHex("zz")).toThrow(/bad hex/);
  });
});

describe("signals and registers", () => {
  it("maps Linux signal numbers to gdb's and back", () => {
    const pairs: [number, number][] = [[2, 2], [5, 5], [7, 10], [10, 30], [11, 11], [12, 31], [17, 20], [18, 19], [19, 17], [20, 18], [23, 16], [29, 23], [30, 32], [31, 12], [34, 46], [64, 78]];
    for (const [linux, gdb] of pairs) {
      expect(gdbSignal(linux), `linux ${linux}`).toBe(gdb);
      expect(linuxSignal(gdb), `gdb ${gdb}`).toBe(linux);
    }
    expect(linuxSignal(7)).toBe(0); // GDB_SIGNAL_EMT: Linux has none
  });

  it("describes x0…x31, pc, 32 FP registers and the three FP CSRs, in packet order", () => {
    const names = [...TARGET_XML.matchAll(/<reg name="([^"]+)" bitsize="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(names).toHaveLength(REGISTER_COUNT);
    expect(names[0]).toEqual(["zero", 64]);
    expect(names[32]).toEqual(["pc", 64]);
    expect(names[33]).toEqual(["ft0", 64]);
    expect(names[64]).toEqual(["ft11", 64]);
    expect(names.slice(65)).toEqual([["fflags", 32], ["frm", 32], ["fcsr", 32]]);
    for (let n = 0; n < REGISTER_COUNT; n++) expect(registerSize(n) * 8).toBe(names[n][1]);
  });
});
