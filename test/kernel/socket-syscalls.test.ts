// Socket, xattr and inotify syscalls on a fake task (a real Hart, AddressSpace, FdTable and Vfs),
// for what the unix-sockets guest cannot show because the host that recorded its golden differs
// from the sandbox on purpose (network families, bind, xattr writes, inotify), or cannot see
// (references held by descriptors in flight, the send buffer filling).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AddressSpace } from "../../src/mem/address-space.js";
import { E } from "../../src/abi/gen/errno.js";
import type { SyscallName } from "../../src/abi/gen/syscall-numbers.js";
import type { FdTable } from "../../src/kernel/fd-table.js";
import { SYSCALLS } from "../../src/kernel/syscalls/table.js";
import { FS_MAGIC, O } from "../../src/abi/fs.js";
import { Vfs } from "../../src/kernel/vfs/vfs.js";
import { Blocked } from "../../src/kernel/wait-queue.js";
import { UnixSocket, createSocketPair } from "../../src/kernel/vfs/unix-socket.js";
import { MemoryBudget } from "../../src/mem/memory-budget.js";
import { FakeTask } from "./fake-task.js";

let tmp: string;
let vfs: Vfs;
let rig: FakeTask;
let mem: AddressSpace;
let fds: FdTable;

const sys = (name: SyscallName, ...args: (number | bigint)[]) => rig.sys(name, ...args);
const alloc = (size: number, content?: Uint8Array) => rig.alloc(size, content);
const cstr = (s: string) => rig.cstr(s);

/** socketpair(AF_UNIX, type, 0): the two descriptors. */
function pair(type: number): [number, number] {
  const sv = alloc(8);
  expect(sys("socketpair", 1, type, 0, sv)).toBe(0);
  return [mem.readU32(sv), mem.readU32(sv + 4)];
}

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rvtrace-sock-")));
  fs.writeFileSync(path.join(tmp, "f"), "x");
  fs.mkdirSync(path.join(tmp, "ro"));
  fs.writeFileSync(path.join(tmp, "ro", "g"), "y");
  fs.symlinkSync("f", path.join(tmp, "ln"));
  vfs = new Vfs({
    mounts: [
      { host: tmp, guest: "/w", readOnly: false },
      { host: path.join(tmp, "ro"), guest: "/ro", readOnly: true },
    ],
    exeHostPath: "",
    exeGuestPath: "",
    hostHasTty: false,
  });
  rig = new FakeTask(vfs, SYSCALLS);
  mem = rig.mem;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeEach(() => {
  rig.reset();
  fds = rig.proc.fds;
});

describe("the sandbox's refusals", () => {
  it("network families are EACCES, unknown ones EAFNOSUPPORT, AF_UNIX works", () => {
    expect(sys("socket", 2 /* AF_INET */, 1, 0)).toBe(-E.EACCES);
    expect(sys("socket", 10 /* AF_INET6 */, 2, 0)).toBe(-E.EACCES);
    expect(sys("socket", 16 /* AF_NETLINK */, 3, 0)).toBe(-E.EACCES);
    expect(sys("socketpair", 2, 1, 0, alloc(8))).toBe(-E.EACCES);
    expect(sys("socket", 0, 1, 0)).toBe(-E.EAFNOSUPPORT);
    expect(sys("socket", 46, 1, 0)).toBe(-E.EAFNOSUPPORT);
    const fd = sys("socket", 1, 1, 0) as number;
    expect(fds.get(fd)).toBeInstanceOf(UnixSocket);
  });

  it("bind checks the address, then refuses: nothing is ever bound", () => {
    const fd = sys("socket", 1, 1, 0) as number;
    const addr = alloc(110, Buffer.from("\x01\x00/w/sock\0", "latin1"));
    expect(sys("bind", fd, addr, 110)).toBe(-E.EACCES);
    expect(sys("bind", fd, addr, 1)).toBe(-E.EINVAL);
    expect(sys("bind", fd, addr, 200)).toBe(-E.EINVAL);
    expect(fs.existsSync(path.join(tmp, "sock"))).toBe(false);
    expect(sys("listen", fd, 5)).toBe(-E.EINVAL);
  });

  it("connect to an existing file is ECONNREFUSED, to a missing one ENOENT", () => {
    const fd = sys("socket", 1, 1, 0) as number;
    expect(sys("connect", fd, alloc(16, Buffer.from("\x01\x00/w/f\0", "latin1")), 16)).toBe(-E.ECONNREFUSED);
    expect(sys("connect", fd, alloc(16, Buffer.from("\x01\x00/w/nope\0", "latin1")), 16)).toBe(-E.ENOENT);
  });
});

describe("data in flight", () => {
  it("a descriptor in flight keeps its file open until the socket holding it goes", () => {
    const [a, b] = pair(1);
    const p = alloc(8);
    expect(sys("pipe2", p, 0)).toBe(0);
    const [r, w] = [mem.readU32(p), mem.readU32(p + 4)];
    const writeEnd = fds.get(w)!;
    const ctl = alloc(24);
    mem.write(ctl, new Uint8Array(24));
    const dv = new DataView(new ArrayBuffer(24));
    dv.setBigUint64(0, 20n, true);
    dv.setInt32(8, 1, true);
    dv.setInt32(12, 1, true);
    dv.setInt32(16, w, true);
    mem.write(ctl, new Uint8Array(dv.buffer));
    const iov = alloc(16);
    const iovd = new DataView(new ArrayBuffer(16));
    iovd.setBigUint64(0, BigInt(cstr("x")), true);
    iovd.setBigUint64(8, 1n, true);
    mem.write(iov, new Uint8Array(iovd.buffer));
    const msg = alloc(56);
    const md = new DataView(new ArrayBuffer(56));
    md.setBigUint64(16, BigInt(iov), true);
    md.setBigUint64(24, 1n, true);
    md.setBigUint64(32, BigInt(ctl), true);
    md.setBigUint64(40, 24n, true);
    mem.write(msg, new Uint8Array(md.buffer));
    expect(sys("sendmsg", a, msg, 0)).toBe(1);
    expect(sys("close", w)).toBe(0);
    expect(writeEnd.refs).toBe(1); // the queue's reference
    const buf = alloc(4);
    expect(sys("read", r, buf, 4)).toBeInstanceOf(Blocked); // a writer still exists
    expect(sys("close", b)).toBe(0); // unread: the message and its descriptor go
    expect(writeEnd.refs).toBe(0);
    expect(sys("read", r, buf, 4)).toBe(0); // EOF: no writer is left
  });

  it("a nonblocking stream send fills the buffer, then EAGAIN; a datagram too big is EMSGSIZE", () => {
    const [a] = pair(1 | 0o4000);
    const big = alloc(300000);
    const n = sys("sendto", a, big, 300000, 0, 0, 0) as number;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(300000);
    expect(sys("sendto", a, big, 10, 0, 0, 0)).toBe(-E.EAGAIN);
    const [d] = pair(2);
    expect(sys("sendto", d, big, 212992, 0, 0, 0)).toBe(-E.EMSGSIZE);
  });

  it("queued bytes are charged to the memory limit: a send past it is ENOBUFS, reading gives them back", () => {
    const budget = new MemoryBudget(100);
    const cred = { pid: 1, uid: 0, gid: 0 };
    const [a, b] = createSocketPair(1, 0, { sec: 0n, nsec: 0 }, cred, [1n, 2n], budget);
    const send = (n: number) => a.send({ data: new Uint8Array(n), fds: null, cred, flags: 0, named: 0 });
    expect(send(60)).toBe(60);
    expect(budget.used).toBe(60);
    expect(send(60)).toBe(-E.ENOBUFS);
    expect(b.read(new Uint8Array(50))).toBe(50);
    expect(budget.used).toBe(10);
    expect(send(60)).toBe(60);
    b.close();
    expect(budget.used).toBe(0);
  });

  it("a control buffer over optmem_max is ENOBUFS; a stream send queues at most its send buffer", () => {
    const [a, b] = pair(1 | 0o4000);
    const msg = alloc(56);
    const md = new DataView(new ArrayBuffer(56));
    md.setBigUint64(32, BigInt(alloc(16)), true);
    md.setBigUint64(40, 200000n, true);
    mem.write(msg, new Uint8Array(md.buffer));
    expect(sys("sendmsg", a, msg, 0)).toBe(-E.ENOBUFS);
    // A send of 256 KiB to an empty socket: the first 212992 bytes (its send buffer) are read and queued.
    const big = alloc(0x40000);
    expect(sys("sendto", a, big, 0x40000, 0, 0, 0)).toBe(212992);
    expect((fds.get(b) as UnixSocket).available()).toBe(212992);
  });

  it("fstatfs of a socket is sockfs, of a pipe pipefs", () => {
    const [a] = pair(1);
    const f = fds.get(a)!.statfs();
    expect(typeof f === "number" ? f : f.type).toBe(FS_MAGIC.SOCKFS);
    const p = alloc(8);
    sys("pipe2", p, 0);
    const g = fds.get(mem.readU32(p))!.statfs();
    expect(typeof g === "number" ? g : g.type).toBe(FS_MAGIC.PIPEFS);
  });
});

describe("extended attributes", () => {
  const buf = () => alloc(64);
  it("get is ENODATA, list empty, remove ENODATA, set ENOTSUP, after the lookup", () => {
    expect(sys("getxattr", cstr("f"), cstr("user.a"), buf(), 64)).toBe(-E.ENODATA);
    expect(sys("getxattr", cstr("nope"), cstr("user.a"), buf(), 64)).toBe(-E.ENOENT);
    expect(sys("getxattr", cstr("nope"), cstr(""), buf(), 64)).toBe(-E.ERANGE);
    expect(sys("getxattr", cstr("f"), cstr("foo"), buf(), 64)).toBe(-E.EOPNOTSUPP);
    expect(sys("listxattr", cstr("f"), buf(), 64)).toBe(0);
    expect(sys("llistxattr", cstr("nope"), buf(), 64)).toBe(-E.ENOENT);
    expect(sys("removexattr", cstr("f"), cstr("user.a"))).toBe(-E.ENODATA);
    expect(sys("setxattr", cstr("f"), cstr("user.a"), cstr("v"), 1, 0)).toBe(-E.EOPNOTSUPP);
    expect(sys("setxattr", cstr("f"), cstr("user.a"), cstr("v"), 1, 8)).toBe(-E.EINVAL);
    expect(sys("setxattr", cstr("f"), cstr("user.a"), cstr("v"), 70000, 0)).toBe(-E.E2BIG);
  });

  it("EROFS on a read-only mount, EPERM for user.* on a symlink or socket", () => {
    expect(sys("setxattr", cstr("/ro/g"), cstr("user.a"), cstr("v"), 1, 0)).toBe(-E.EROFS);
    expect(sys("removexattr", cstr("/ro/g"), cstr("user.a"))).toBe(-E.EROFS);
    expect(sys("getxattr", cstr("/ro/g"), cstr("user.a"), buf(), 64)).toBe(-E.ENODATA);
    expect(sys("lsetxattr", cstr("ln"), cstr("user.a"), cstr("v"), 1, 0)).toBe(-E.EPERM);
    expect(sys("setxattr", cstr("ln"), cstr("user.a"), cstr("v"), 1, 0)).toBe(-E.EOPNOTSUPP);
    const [a] = pair(1);
    expect(sys("fsetxattr", a, cstr("user.a"), cstr("v"), 1, 0)).toBe(-E.EPERM);
    expect(sys("fgetxattr", a, cstr("user.a"), buf(), 64)).toBe(-E.ENODATA);
    expect(sys("fgetxattr", 99, cstr("user.a"), buf(), 64)).toBe(-E.EBADF);
  });
});

describe("inotify", () => {
  it("no instance can be made (EMFILE); watches fail as on any other descriptor", () => {
    expect(sys("inotify_init1", 0)).toBe(-E.EMFILE);
    expect(sys("inotify_init1", O.CLOEXEC | O.NONBLOCK)).toBe(-E.EMFILE);
    expect(sys("inotify_init1", 0x10)).toBe(-E.EINVAL);
    const [a] = pair(1);
    expect(sys("inotify_add_watch", a, cstr("."), 0x100)).toBe(-E.EINVAL);
    expect(sys("inotify_add_watch", 99, cstr("."), 0x100)).toBe(-E.EBADF);
    expect(sys("inotify_add_watch", 99, cstr("."), 0)).toBe(-E.EINVAL);
    expect(sys("inotify_rm_watch", a, 1)).toBe(-E.EINVAL);
    expect(sys("inotify_rm_watch", 99, 1)).toBe(-E.EBADF);
  });
});
