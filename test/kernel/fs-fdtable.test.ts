// FdTable: lowest free descriptor, limits, dup2-style install, close-on-exec, sharing and
// reference counts across clone().
import { describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { FdTable, RLIMIT_NOFILE } from "../../src/kernel/fd-table.js";
import { FileBase } from "../../src/kernel/vfs/open-file.js";
import type { StatInfo } from "../../src/kernel/vfs/stat.js";

class Probe extends FileBase {
  readonly kind = "file";
  closed = 0;
  constructor(name = "probe") {
    super(0, name);
  }
  stat(): StatInfo | number {
    return -E.ENOSYS;
  }
  override close(): void {
    this.closed++;
  }
}

describe("FdTable", () => {
  it("finds the lowest free descriptor after closes below, above and between, and in a clone", () => {
    const t = new FdTable();
    const a = new Probe();
    for (let i = 0; i < 10; i++) expect(t.install(a)).toBe(i);
    expect(t.close(7)).toBe(0);
    expect(t.close(3)).toBe(0);
    expect(t.install(a)).toBe(3);
    expect(t.install(a)).toBe(7);
    expect(t.install(a)).toBe(10);
    expect(t.installAt(11, a)).toBe(11);
    expect(t.install(a)).toBe(12);
    expect(t.close(0)).toBe(0);
    const c = t.clone();
    expect(c.install(a)).toBe(0);
    expect(t.install(a, 4)).toBe(13);
    expect(t.install(a)).toBe(0);
  });

  it("installs at the lowest free descriptor at or above minFd", () => {
    const t = new FdTable();
    const a = new Probe();
    expect(t.install(a)).toBe(0);
    expect(t.install(a)).toBe(1);
    expect(t.install(a, 5)).toBe(5);
    expect(t.install(a, 5)).toBe(6);
    expect(t.close(1)).toBe(0);
    expect(t.install(a)).toBe(1);
    expect(t.fds()).toEqual([0, 1, 5, 6]);
    expect(a.refs).toBe(4);
  });

  it("runs the close hook when the last reference goes", () => {
    const t = new FdTable();
    const f = new Probe();
    t.install(f);
    t.install(f);
    t.close(0);
    expect(f.closed).toBe(0);
    t.close(1);
    expect(f.closed).toBe(1);
    expect(t.close(1)).toBe(-E.EBADF);
    expect(t.close(-1)).toBe(-E.EBADF);
    expect(t.get(1)).toBeUndefined();
  });

  it("gives EMFILE past RLIMIT_NOFILE and EINVAL for minFd past it, closing unreferenced files", () => {
    const t = new FdTable();
    const shared = new Probe();
    for (let i = 0; i < RLIMIT_NOFILE; i++) expect(t.install(shared)).toBe(i);
    const extra = new Probe();
    expect(t.install(extra)).toBe(-E.EMFILE);
    expect(extra.closed).toBe(1);
    const other = new Probe();
    expect(new FdTable().install(other, RLIMIT_NOFILE)).toBe(-E.EINVAL);
    // a file that is referenced elsewhere is not closed by a failed install
    expect(t.install(shared)).toBe(-E.EMFILE);
    expect(shared.closed).toBe(0);
  });

  it("installAt replaces (closing the old file) and rejects descriptors past the limit", () => {
    const t = new FdTable();
    const a = new Probe("a");
    const b = new Probe("b");
    t.install(a);
    expect(t.installAt(0, b, true)).toBe(0);
    expect(a.closed).toBe(1);
    expect(t.get(0)).toBe(b);
    expect(t.isCloexec(0)).toBe(true);
    // same file over itself keeps it open
    expect(t.installAt(0, b)).toBe(0);
    expect(b.closed).toBe(0);
    expect(b.refs).toBe(1);
    expect(t.installAt(RLIMIT_NOFILE, new Probe())).toBe(-E.EBADF);
  });

  it("shares files across clone() and closes close-on-exec descriptors on exec", () => {
    const parent = new FdTable();
    const f = new Probe();
    const g = new Probe();
    parent.install(f);
    parent.install(g, 0, true);
    const child = parent.clone();
    expect(child.get(0)).toBe(f);
    expect(child.isCloexec(1)).toBe(true);
    expect(f.refs).toBe(2);
    child.closeOnExec();
    expect(child.get(1)).toBeUndefined();
    expect(g.closed).toBe(0);
    parent.closeAll();
    expect(g.closed).toBe(1);
    expect(f.closed).toBe(0);
    child.closeAll();
    expect(f.closed).toBe(1);
  });

  it("sets and clears FD_CLOEXEC", () => {
    const t = new FdTable();
    t.install(new Probe());
    expect(t.setCloexec(0, true)).toBe(true);
    expect(t.isCloexec(0)).toBe(true);
    expect(t.setCloexec(0, false)).toBe(true);
    expect(t.isCloexec(0)).toBe(false);
    expect(t.setCloexec(3, true)).toBe(false);
  });
});
