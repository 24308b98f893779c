// The swaps of escape-races.test.ts, made to land exactly in the window a path-string lookup
// leaves: node:fs is wrapped so that right after rvtrace's own lstat of the name, the name is
// replaced by a symlink to a secret outside every mount. A lookup that hands host path strings to
// the host then follows the symlink; one that goes through held descriptors cannot.
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** Set by a test: called after each lstat of a path ending in `/${name}` (once). */
const trap: { name: string; swap: (() => void) | null } = { name: "", swap: null };

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const lstatSync = ((p: import("node:fs").PathLike, options?: unknown) => {
    const result = (real.lstatSync as (p: unknown, o?: unknown) => unknown)(p, options);
    if (trap.swap && String(p).endsWith(`/${trap.name}`)) {
      const swap = trap.swap;
      trap.swap = null;
      swap();
    }
    return result;
  }) as typeof real.lstatSync;
  return { ...real, default: { ...real, lstatSync }, lstatSync };
});

const fs = await import("node:fs");
const { Vfs } = await import("../../src/kernel/vfs/vfs.js");
const { O } = await import("../../src/abi/fs.js");

// errno.h: the lookup reports a swapped node as a name that has gone.
const ENOENT = 2;
const SECRET_TEXT = "the host's secret\n";
let tmp: string;
let work: string;
let secretDir: string;
const ctx = { cwd: "/w", exe: "/w/prog" };

function newVfs(): InstanceType<typeof Vfs> {
  return new Vfs({ mounts: [{ host: work, guest: "/w", readOnly: false }], exeHostPath: "", exeGuestPath: "", hostHasTty: false });
}

/** Replaces DIR/name (a file or directory) by a symlink to `target`. */
function swapToLink(name: string, target: string): () => void {
  return () => {
    fs.rmSync(path.join(work, name), { recursive: true, force: true });
    fs.symlinkSync(target, path.join(work, name));
  };
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-swap-"));
  work = path.join(tmp, "work");
  secretDir = path.join(tmp, "secret");
  fs.mkdirSync(path.join(secretDir, "d"), { recursive: true });
  fs.writeFileSync(path.join(secretDir, "f"), SECRET_TEXT);
  fs.writeFileSync(path.join(secretDir, "d", "f"), SECRET_TEXT);
  fs.chmodSync(path.join(secretDir, "f"), 0o644);
  fs.mkdirSync(path.join(work, "sub"), { recursive: true });
  fs.writeFileSync(path.join(work, "sub", "f"), "decoy\n");
  fs.writeFileSync(path.join(work, "x"), "decoy\n");
});

afterEach(() => {
  trap.swap = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("a symlink swapped in right after rvtrace looked", () => {
  it("a directory on the way: the open fails, the secret is not read", () => {
    const vfs = newVfs();
    trap.name = "sub";
    trap.swap = swapToLink("sub", path.join(secretDir, "d"));
    const f = vfs.open(ctx, "/w/sub/f", O.RDONLY, 0, 0);
    expect(trap.swap).toBeNull(); // the swap happened inside the lookup
    if (typeof f !== "number") {
      const buf = new Uint8Array(64);
      const n = f.read(buf) as number;
      expect(Buffer.from(buf.subarray(0, n)).toString()).not.toBe(SECRET_TEXT);
    }
  });

  it("a directory on the way: the lookup fails as if the name had gone (ENOENT)", () => {
    const vfs = newVfs();
    trap.name = "sub";
    trap.swap = swapToLink("sub", path.join(secretDir, "d"));
    expect(vfs.open(ctx, "/w/sub/f", O.RDONLY, 0, 0)).toBe(-ENOENT);
    expect(trap.swap).toBeNull();
  });

  it.each([
    ["chmod", (vfs: InstanceType<typeof Vfs>) => vfs.chmod(ctx, "/w/x", 0o600)],
    ["truncate", (vfs: InstanceType<typeof Vfs>) => vfs.truncate(ctx, "/w/x", 0)],
    ["utimes", (vfs: InstanceType<typeof Vfs>) => vfs.utimes(ctx, "/w/x", { sec: 5n, nsec: 0 }, { sec: 5n, nsec: 0 }, true)],
    ["access", (vfs: InstanceType<typeof Vfs>) => vfs.access(ctx, "/w/x", 2, true)],
  ])("the last name, for %s: the call does not reach the secret", (_name, op) => {
    const vfs = newVfs();
    const secret = path.join(secretDir, "f");
    const before = fs.statSync(secret);
    trap.name = "x";
    trap.swap = swapToLink("x", secret);
    const result = op(vfs);
    expect(trap.swap).toBeNull();
    const after = fs.statSync(secret);
    expect(fs.readFileSync(secret, "latin1")).toBe(SECRET_TEXT);
    expect(after.mode).toBe(before.mode);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    // What was looked up is gone: the call fails as if the name had gone (access included).
    expect(result).toBeLessThan(0);
  });
});
