// String printing as strace does it: C escapes, octal for other bytes (three digits only before an
// octal digit), -s truncation with `"..."...`, -x and -xx, paths never truncated, unreadable memory.
// Expected texts were checked against strace 6.1 (`strace -s`, `-x`, `-xx` on write(2) and openat(2)).
import { describe, expect, test } from "vitest";
import { FakeMemory, trace, AT_FDCWD } from "./decode-helpers.js";
import { quote, printStrN, printCStr, printPath, readCString } from "../../src/engines/strace/decode/strings.js";
import { DEFAULT_DECODE_OPTIONS } from "../../src/engines/strace/decode.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe("quote", () => {
  test("C escapes for quote, backslash and whitespace", () => {
    expect(quote(enc('a"b\\c'), { hex: 0 })).toBe('"a\\"b\\\\c"');
    expect(quote(enc("a\tb\nc\rd\ve\ff"), { hex: 0 })).toBe('"a\\tb\\nc\\rd\\ve\\ff"');
  });

  test("BEL and BS are octal, not \\a \\b", () => {
    expect(quote(bytes(13, 11, 12, 7, 8), { hex: 0 })).toBe('"\\r\\v\\f\\7\\10"');
  });

  test("octal uses three digits only before an octal digit", () => {
    expect(quote(bytes(1, 0x7f, 0x80, 0xff), { hex: 0 })).toBe('"\\1\\177\\200\\377"');
    expect(quote(enc("\u00001"), { hex: 0 })).toBe('"\\0001"');
    expect(quote(bytes(1, 0x32), { hex: 0 })).toBe('"\\0012"');
    expect(quote(bytes(1, 0x38), { hex: 0 })).toBe('"\\18"');
    expect(quote(enc("a\u0000b"), { hex: 0 })).toBe('"a\\0b"');
  });

  test("-x hex-quotes a whole string that holds a non-printable, non-space byte", () => {
    expect(quote(enc("abc\tdef\n"), { hex: 1 })).toBe('"abc\\tdef\\n"');
    expect(quote(bytes(0x61, 0x62, 0x63, 1, 0x64), { hex: 1 })).toBe('"\\x61\\x62\\x63\\x01\\x64"');
    expect(quote(bytes(0x61, 0x80), { hex: 1 })).toBe('"\\x61\\x80"');
    expect(quote(bytes(13, 11, 12, 7, 8), { hex: 1 })).toBe('"\\x0d\\x0b\\x0c\\x07\\x08"');
  });

  test("-xx hex-quotes everything", () => {
    expect(quote(enc('a"b\\c'), { hex: 2 })).toBe('"\\x61\\x22\\x62\\x5c\\x63"');
    expect(quote(enc(""), { hex: 2 })).toBe('""');
  });
});

describe("buffers and strings in guest memory", () => {
  const o = DEFAULT_DECODE_OPTIONS;

  test("a buffer longer than -s is cut and marked", () => {
    const m = new FakeMemory();
    const data = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1";
    const p = m.alloc(data);
    expect(printStrN(m, p, 100n, o)).toBe('"root:x:0:0:root:/root:/bin/bash\\n"...');
    expect(printStrN(m, p, 32n, o)).toBe('"root:x:0:0:root:/root:/bin/bash\\n"');
    expect(printStrN(m, p, 5n, { ...o, stringLimit: 5 })).toBe('"root:"');
    expect(printStrN(m, p, 10n, { ...o, stringLimit: 5 })).toBe('"root:"...');
    expect(printStrN(m, p, 0n, o)).toBe('""');
  });

  test("NULL and unreadable buffers", () => {
    const m = new FakeMemory();
    expect(printStrN(m, 0n, 10n, o)).toBe("NULL");
    expect(printStrN(m, 0x8n, 10n, o)).toBe("0x8");
    expect(printCStr(m, 0xdead0n, o)).toBe("0xdead0");
  });

  test("C strings: exactly -s bytes print whole, one more is cut", () => {
    const m = new FakeMemory();
    expect(printCStr(m, m.str("abcde"), { ...o, stringLimit: 5 })).toBe('"abcde"');
    expect(printCStr(m, m.str("abcdef"), { ...o, stringLimit: 5 })).toBe('"abcde"...');
  });

  test("file names are never truncated", () => {
    const m = new FakeMemory();
    const long = "/tmp/p/0123456789012345678901234567890123456789/xxxxxxxxxxxxxxxxxxxx";
    expect(printPath(m, m.str(long), { ...o, stringLimit: 4 })).toBe(`"${long}"`);
  });

  test("a string ending right before unmapped memory is read", () => {
    const m = new FakeMemory();
    const at = m.put(0x40ff0n, enc("hello world!!!\u0000\u0000"));
    expect(readCString(m, at, 100)?.bytes).toEqual(enc("hello world!!!"));
    const unterminated = m.put(0x50000n, enc("abc"));
    expect(readCString(m, unterminated, 100)).toBeNull();
  });
});

describe("strings in call lines", () => {
  const m = new FakeMemory();
  const weird = m.alloc(bytes(0x61, 9, 0x62, 10, 0x63, 0x5c, 0x64, 0x22, 0x65, 1, 0x7f, 0x80, 0xff));
  const path = m.str("/tmp/p/with\ttab\u0001");

  test("write with escapes (default, -x, -xx, -s5)", () => {
    expect(trace(m, "write", [4, weird, 13], 13)).toBe('write(4, "a\\tb\\nc\\\\d\\"e\\1\\177\\200\\377", 13) = 13');
    expect(trace(m, "write", [4, weird, 13], 13, { o: { hexStrings: 1 } }))
      .toBe('write(4, "\\x61\\x09\\x62\\x0a\\x63\\x5c\\x64\\x22\\x65\\x01\\x7f\\x80\\xff", 13) = 13');
    expect(trace(m, "write", [4, weird, 13], 13, { o: { stringLimit: 5 } })).toBe('write(4, "a\\tb\\nc"..., 13) = 13');
  });

  test("paths follow -x and -xx but not -s", () => {
    expect(trace(m, "openat", [AT_FDCWD, path, 0], -2)).toBe(
      'openat(AT_FDCWD, "/tmp/p/with\\ttab\\1", O_RDONLY) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "openat", [AT_FDCWD, path, 0], -2, { o: { hexStrings: 1 } })).toBe(
      'openat(AT_FDCWD, "\\x2f\\x74\\x6d\\x70\\x2f\\x70\\x2f\\x77\\x69\\x74\\x68\\x09\\x74\\x61\\x62\\x01", O_RDONLY) = -1 ENOENT (No such file or directory)');
    expect(trace(m, "chdir", [m.str("/x")], 0, { o: { hexStrings: 2 } })).toBe('chdir("\\x2f\\x78") = 0');
    expect(trace(m, "chdir", [path], 0, { o: { stringLimit: 3 } })).toBe('chdir("/tmp/p/with\\ttab\\1") = 0');
  });
});
