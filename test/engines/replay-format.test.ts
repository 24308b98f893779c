// The recording file (docs/record-format.md): what RecordWriter writes, readRecording reads back
// exactly, with 64-bit values at their limits; and a damaged file is a RecordFormatError.
import { describe, expect, it } from "vitest";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  FORMAT_VERSION, MAGIC, Mode, RecordFormatError, RecordWriter, WRITER, readRecording,
  type RecordHeader, type SyscallRecord,
} from "../../src/engines/replay/format.js";

const header = (): RecordHeader => ({
  writer: WRITER,
  execfn: Uint8Array.from([0x62, 0x69, 0x6e, 0xff]),
  exePath: "/home/ü/bin/prog",
  cwd: "/home/ü",
  argv: [Uint8Array.from([0x61]), new Uint8Array(0), Uint8Array.from([0xc3, 0x28])],
  envp: [Uint8Array.from([0x41, 0x3d, 0x31])],
  random: Uint8Array.from({ length: 16 }, (_, i) => 255 - i),
  maxInsns: 2 ** 40,
  program: Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff),
});

const syscall = (over: Partial<SyscallRecord>): SyscallRecord => ({
  tid: 1000, nr: 63, args: [0n, 0n, 0n, 0n, 0n, 0n], mode: Mode.Run, result: 0n, writes: [], writesHash: null,
  dataHash: null, resumeSlice: 0, path: null, execFiles: null, execRandom: null, output: null, ...over,
});

describe("a recording read back", () => {
  it("has every field of every item as written", () => {
    const h = header();
    const w = new RecordWriter(h);
    const again = w.blob(h.program); // the header's program is blob 0
    const other = w.blob(Uint8Array.of(1, 2, 3));
    const calls = [
      syscall({ args: [-1n, 2n ** 63n - 1n, -(2n ** 63n), 0xffff_ffffn, -100n, 1n], result: -9223372036854775808n, writesHash: 0xffff_ffff }),
      syscall({ nr: 56, mode: Mode.Inject, result: 3n, path: "/d\xe9j\xe0", writes: [{ addr: 0, bytes: Uint8Array.of(9) }, { addr: 2 ** 32 - 1, bytes: new Uint8Array(0) }], resumeSlice: 77 }),
      syscall({ nr: 64, mode: Mode.Stdout, result: 5n, dataHash: 0 }),
      syscall({ nr: 71, mode: Mode.Stderr, result: 2n, output: Uint8Array.of(0x68, 0x69) }),
      syscall({ nr: 221, result: 0n, execFiles: [{ guestPath: "/bin/sh", blob: other }, { guestPath: "/p", blob: again }], execRandom: new Uint8Array(16).fill(7) }),
      syscall({ tid: 1001, nr: 94, result: null, mode: Mode.RunWrites }),
      syscall({ nr: -1 }),
    ];
    for (const c of calls) w.syscall(c);
    w.event({ slice: 3, insns: 123456789, kind: "signal", signo: 2 });
    w.event({ slice: 4, insns: 2 ** 50, kind: "timer", pid: 1002, which: 0 });
    const r = readRecording(w.finish(137, 42));
    expect(r.header).toEqual(h);
    expect(r.blobs).toEqual([h.program, Uint8Array.of(1, 2, 3)]);
    expect(r.syscalls.all()).toEqual(calls);
    expect(calls.map((_, i) => r.syscalls.tid(i))).toEqual(calls.map((c) => c.tid));
    expect(r.events).toEqual([
      { slice: 3, insns: 123456789, kind: "signal", signo: 2 },
      { slice: 4, insns: 2 ** 50, kind: "timer", pid: 1002, which: 0 },
    ]);
    expect(r.end).toEqual({ status: 137, syscalls: calls.length, events: 2, insns: 42 });
  });

  it("starts with the magic line and the version, then a gzip stream", () => {
    const file = new RecordWriter(header()).finish(0, 0);
    expect(file.subarray(0, MAGIC.length)).toEqual(MAGIC);
    expect(file[MAGIC.length]).toBe(FORMAT_VERSION);
    expect([file[MAGIC.length + 1], file[MAGIC.length + 2]]).toEqual([0x1f, 0x8b]);
  });
});

describe("a damaged recording", () => {
  const body = (items: number[]) => Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION]), gzipSync(Buffer.from(items))]);
  /** The items of a good recording, unpacked again. */
  const good = (): number[] => {
    const f = new RecordWriter(header()).finish(0, 0);
    return [...gunzipSync(f.subarray(MAGIC.length + 1))];
  };
  it.each<[string, () => number[], RegExp]>([
    ["no items at all", () => [], /empty/],
    ["an item before the header", () => [5, 0], /no header/],
    ["an unknown item type", () => [...good().slice(0, -6), 9, 0], /unknown item type 9/],
    ["no end item", () => good().slice(0, -6), /cut short/],
    ["an end item that counts a syscall there is not", () => [...good().slice(0, -6), 5, 4, 0, 1, 0, 0], /counts other items/],
    ["an item longer than the file", () => [1, 0x7f, 0], /cut short/],
    ["a number of more than 53 bits", () => [...good().slice(0, -6), 5, 9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], /too large/],
  ])("%s", (_what, items, message) => {
    expect(() => readRecording(body(items()))).toThrow(RecordFormatError);
    expect(() => readRecording(body(items()))).toThrow(message);
  });
});
