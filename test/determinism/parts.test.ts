// The parts of --deterministic, one by one: the ChaCha20 generator, virtual timers, the date and
// seed options, and the stat view's identities, times and outside-change notes.
import { describe, expect, it } from "vitest";
import { chachaBlock, SeededRandom } from "../../src/kernel/host/seeded-random.js";
import { VirtualTimers } from "../../src/kernel/world/virtual-timers.js";
import { parseDate, parseSeed, UsageError } from "../../src/cli/sandbox-options.js";
import { StatView } from "../../src/kernel/vfs/stat-view.js";
import { S, makedev } from "../../src/abi/fs.js";
import type { StatInfo, Timespec } from "../../src/kernel/vfs/stat.js";

describe("ChaCha20", () => {
  it("gives RFC 8439's test vector of §2.3.2", () => {
    const state = new Uint32Array(16);
    state.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
    const key = new DataView(new Uint8Array(Array.from({ length: 32 }, (_, i) => i)).buffer);
    for (let i = 0; i < 8; i++) state[4 + i] = key.getUint32(i * 4, true);
    state.set([1, 0x09000000, 0x4a000000, 0], 12);
    const out = new Uint8Array(64);
    chachaBlock(state, out);
    expect(Buffer.from(out).toString("hex")).toBe(
      "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
    );
  });

  it("is one stream whatever the sizes of the requests", () => {
    const whole = new Uint8Array(200);
    new SeededRandom(7n).fill(whole);
    const pieces = new SeededRandom(7n);
    const parts = [1, 63, 64, 0, 5, 67].map((n) => {
      const b = new Uint8Array(n);
      pieces.fill(b);
      return b;
    });
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
    const other = new Uint8Array(200);
    new SeededRandom(8n).fill(other);
    expect(other).not.toEqual(whole);
  });
});

describe("virtual timers", () => {
  it("fire in deadline order, ties in the order set, only once due", () => {
    const timers = new VirtualTimers();
    const fired: string[] = [];
    timers.add(30n, () => fired.push("c"));
    timers.add(10n, () => fired.push("a1"));
    const cancelled = timers.add(20n, () => fired.push("never"));
    timers.add(10n, () => fired.push("a2"));
    cancelled.cancel();
    expect(timers.next()).toBe(10n);
    timers.fireDue(9n);
    expect(fired).toEqual([]);
    timers.fireDue(25n);
    expect(fired).toEqual(["a1", "a2"]);
    expect(timers.next()).toBe(30n);
  });

  it("a timer set by a firing one fires in the same pass when due", () => {
    const timers = new VirtualTimers();
    const fired: bigint[] = [];
    timers.add(5n, () => {
      fired.push(5n);
      timers.add(6n, () => fired.push(6n));
      timers.add(50n, () => fired.push(50n));
    });
    timers.fireDue(10n);
    expect(fired).toEqual([5n, 6n]);
    expect(timers.size).toBe(1);
  });
});

describe("--date and --seed values", () => {
  const NS = 1_000_000_000n;
  it.each([
    ["0", 0n],
    ["1700000000.5", 1_700_000_000n * NS + 500_000_000n],
    ["2000-01-01", 946_684_800n * NS],
    ["2000-01-01T00:00:01Z", 946_684_801n * NS],
    ["2000-01-01 00:00:01", 946_684_801n * NS],
    ["2000-01-01T02:00:00+02:00", 946_684_800n * NS],
    ["1999-12-31T19:00:00-0500", 946_684_800n * NS],
    ["2000-01-01T00:00:00.000000001Z", 946_684_800n * NS + 1n],
  ])("%s", (text, ns) => {
    expect(parseDate(text)).toBe(ns);
  });

  it.each(["", "yesterday", "2000-02-30", "2000-13-01", "2000-01-01T24:00:00Z", "1969-12-31T23:59:59Z", "-5"])(
    "refuses %j",
    (text) => {
      expect(() => parseDate(text)).toThrow(UsageError);
    },
  );

  it("a seed is an integer of 64 bits", () => {
    expect(parseSeed("18446744073709551615")).toBe((1n << 64n) - 1n);
    expect(() => parseSeed("18446744073709551616")).toThrow(UsageError);
    expect(() => parseSeed("0x10")).toThrow(UsageError);
  });
});

describe("the stat view", () => {
  const start: Timespec = { sec: 946684800n, nsec: 0 };
  let now: Timespec = { sec: 946684900n, nsec: 123 };
  const view = () => new StatView(start, () => now, 1000, 1000);

  function hostStat(dev: bigint, ino: bigint, birth: bigint, extra: Partial<StatInfo> = {}): StatInfo {
    const t = { sec: 1_600_000_000n, nsec: 42 };
    return {
      dev, ino, mode: S.IFREG | 0o644, nlink: 1, uid: 0, gid: 0, rdev: 0n, size: 5000n, blksize: 512, blocks: 16n,
      atime: t, mtime: t, ctime: t, btime: t, mountRoot: false, hostKey: `${dev}:${ino}:${birth}`, ...extra,
    };
  }

  it("numbers host files in the order first seen, per identity; devices likewise", () => {
    const v = view();
    const a = v.stat(hostStat(2049n, 900n, 1n));
    const b = v.stat(hostStat(2049n, 17n, 1n));
    const aAgain = v.stat(hostStat(2049n, 900n, 1n));
    const reused = v.stat(hostStat(2049n, 900n, 2n));
    const otherDisk = v.stat(hostStat(77n, 900n, 1n));
    expect([a.ino, b.ino, aAgain.ino, reused.ino, otherDisk.ino]).toEqual([2n, 3n, 2n, 4n, 5n]);
    expect(a.dev).toBe(makedev(8, 1));
    expect(otherDisk.dev).toBe(makedev(8, 2));
    expect(v.direntIno({ name: "b", ino: 17n, type: 8, hostKey: "2049:17:1" })).toBe(3n);
    // A synthetic entry keeps its own number.
    expect(v.direntIno({ name: "null", ino: 12345n, type: 2 })).toBe(12345n);
  });

  it("shows the start date, the guest's ids and sizes in 4 KiB blocks", () => {
    const s = view().stat(hostStat(1n, 1n, 1n));
    expect([s.atime, s.mtime, s.ctime]).toEqual([start, start, start]);
    expect([s.uid, s.gid, s.blksize, s.blocks, s.btime]).toEqual([1000, 1000, 4096, 16n, null]);
    const dir = view().stat(hostStat(1n, 1n, 1n, { mode: S.IFDIR | 0o755, nlink: 7, size: 123n }));
    expect([dir.nlink, dir.size, dir.blocks]).toEqual([1, 4096n, 8n]);
    const link = view().stat(hostStat(1n, 1n, 1n, { mode: S.IFLNK | 0o777, size: 5n }));
    expect(link.blocks).toBe(0n);
  });

  it("stamps the guest's changes with the virtual clock", () => {
    const v = view();
    const key = "1:1:1";
    now = { sec: 946684810n, nsec: 1 };
    v.changed(key, "created");
    now = { sec: 946684820n, nsec: 2 };
    v.changed(key, "data");
    now = { sec: 946684830n, nsec: 3 };
    v.changed(key, "meta");
    const s = v.stat(hostStat(1n, 1n, 1n));
    expect([s.atime, s.mtime, s.ctime]).toEqual([{ sec: 946684810n, nsec: 1 }, { sec: 946684820n, nsec: 2 }, { sec: 946684830n, nsec: 3 }]);
    v.timesSet(key, { sec: 5n, nsec: 6 }, null);
    const t = v.stat(hostStat(1n, 1n, 1n));
    expect([t.atime, t.mtime]).toEqual([{ sec: 5n, nsec: 6 }, { sec: 946684820n, nsec: 2 }]);
  });

  it("notes a host change the guest did not make, unless it maps the file shared", () => {
    const v = view();
    const outside: string[] = [];
    v.onOutsideChange = (k) => outside.push(k);
    v.stat(hostStat(1n, 1n, 1n));
    v.changed("1:1:1", "data");
    v.stat(hostStat(1n, 1n, 1n, { ctime: { sec: 1n, nsec: 1 } }));
    expect(outside).toEqual([]);
    const moved = v.stat(hostStat(1n, 1n, 1n, { ctime: { sec: 2n, nsec: 2 } }));
    expect(outside).toEqual(["1:1:1"]);
    expect(moved.mtime).toEqual(now);
    v.mappedShared("1:1:1");
    v.stat(hostStat(1n, 1n, 1n, { ctime: { sec: 3n, nsec: 3 } }));
    expect(outside).toEqual(["1:1:1"]);
  });

  it("statfs of a host mount is fixed; rvtrace's own file systems are left alone", () => {
    const v = view();
    const host = v.statfs({ type: 0x6969, bsize: 1024n, blocks: 99n, bfree: 9n, bavail: 8n, files: 7n, ffree: 6n, namelen: 255, flags: 32 });
    expect(host).toMatchObject({ type: 0xef53, bsize: 4096n, blocks: 1n << 24n, flags: 32 });
    const pipe = { type: 0x50495045, bsize: 4096n, blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n, namelen: 255, flags: 32 };
    expect(v.statfs(pipe)).toBe(pipe);
  });
});
