// Syscall handlers called directly on a fake task: a real Hart, AddressSpace, FdTable and Vfs, and
// the least of Process and Kernel the handlers ask for (a working directory and umask, the pid,
// aliveness and atExit that record locks ask of their owner). Guest memory is a bump allocator
// over one read-write mapping; `reset` gives a fresh process and an empty heap for each test.
import { Hart } from "../../src/cpu/hart.js";
import { AddressSpace, PROT_READ, PROT_WRITE } from "../../src/mem/address-space.js";
import type { SyscallName } from "../../src/abi/gen/syscall-numbers.js";
import { FdTable } from "../../src/kernel/fd-table.js";
import { FsState } from "../../src/kernel/process.js";
import type { SyscallResult, SyscallRow } from "../../src/kernel/syscalls/types.js";
import type { Task } from "../../src/kernel/task.js";
import type { Vfs } from "../../src/kernel/vfs/vfs.js";
import { HostWorld } from "../../src/kernel/world/host-world.js";

/** The process a fake task belongs to. */
export interface FakeProcess {
  fds: FdTable;
  fs: FsState;
  cwd: string;
  umask: number;
  exePath: string;
  exeHostPath: string;
  mem: AddressSpace;
  pid: number;
  alive: boolean;
  atExit(fn: () => void): void;
}

export class FakeTask {
  readonly mem = new AddressSpace();
  proc!: FakeProcess;
  task!: Task;
  private heap: number;

  constructor(
    private readonly vfs: Vfs,
    private readonly rows: readonly SyscallRow[],
    private readonly base = 0x10000,
    size = 0x80000,
  ) {
    this.heap = base;
    this.mem.map(base, size, PROT_READ | PROT_WRITE, "test");
  }

  /** A fresh process (no descriptors, working directory `cwd`) and task, and an empty heap. */
  reset(cwd = "/w"): void {
    this.heap = this.base;
    const fs = new FsState();
    fs.cwd = cwd;
    this.proc = {
      fds: new FdTable(), fs, exePath: "/w/prog", exeHostPath: "", mem: this.mem, pid: 42, alive: true, atExit() {},
      get cwd() { return fs.cwd; },
      set cwd(path: string) { fs.cwd = path; },
      get umask() { return fs.umask; },
      set umask(mask: number) { fs.umask = mask; },
    };
    const kernel = { vfs: this.vfs, world: new HostWorld(), charge() {} };
    this.task = { hart: new Hart(), process: this.proc, kernel, mem: this.mem } as unknown as Task;
  }

  /** Calls the handler of syscall `name` with `args` in a0..a5. */
  sys(name: SyscallName, ...args: (number | bigint)[]): SyscallResult {
    const row = this.rows.find((r) => r.name === name);
    if (!row) throw new Error(`no row for ${name}`);
    args.forEach((a, i) => (this.task.hart.x64[10 + i] = BigInt(a)));
    return row.handler(this.task);
  }

  /** Allocates guest memory, 16-byte aligned, optionally filled. */
  alloc(size: number, content?: Uint8Array): number {
    const p = this.heap;
    this.heap += (size + 15) & ~15;
    if (content) this.mem.write(p, content);
    return p;
  }

  /** A NUL-terminated string in guest memory. */
  cstr(s: string): number {
    const b = Buffer.from(s + "\0", "latin1");
    return this.alloc(b.length, b);
  }

  /** n bytes of guest memory at p, as a latin1 string. */
  str(p: number, n: number): string {
    return Buffer.from(this.mem.read(p, n)).toString("latin1");
  }
}
