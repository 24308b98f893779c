// Pipes (blocking, EOF, EPIPE, atomicity, O_NONBLOCK) and the stdio files over Node streams.
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { E } from "../../src/abi/gen/errno.js";
import { Blocked } from "../../src/kernel/wait-queue.js";
import { O, PIPE_BUF, PIPE_CAPACITY, POLL, S } from "../../src/abi/fs.js";
import { createPipe } from "../../src/kernel/vfs/pipe.js";
import { makeStdioFiles } from "../../src/kernel/vfs/stdio.js";
import type { StatInfo } from "../../src/kernel/vfs/stat.js";

const T0 = { sec: 0n, nsec: 0 };

function bytes(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

describe("pipes", () => {
  it("passes bytes in order and reports EOF once the writer is gone", () => {
    const [r, w] = createPipe(0, T0, 1000, 1000);
    expect(w.write(bytes("hello "))).toBe(6);
    expect(w.write(bytes("world"))).toBe(5);
    const buf = new Uint8Array(8);
    expect(r.read(buf)).toBe(8);
    expect(Buffer.from(buf).toString()).toBe("hello wo");
    expect(r.read(buf)).toBe(3);
    w.close();
    expect(r.read(buf)).toBe(0);
    expect(r.read(buf)).toBe(0);
  });

  it("blocks a reader on an empty pipe and wakes it on write", () => {
    const [r, w] = createPipe(0, T0, 0, 0);
    const res = r.read(new Uint8Array(4));
    expect(res).toBeInstanceOf(Blocked);
    let woken = 0;
    (res as Blocked).queue.add(() => woken++);
    w.write(bytes("x"));
    expect(woken).toBe(1);
    expect(r.read(new Uint8Array(4))).toBe(1);
  });

  it("wakes a blocked reader when the last writer closes", () => {
    const [r, w] = createPipe(0, T0, 0, 0);
    const res = r.read(new Uint8Array(4)) as Blocked;
    let woken = false;
    res.queue.add(() => (woken = true));
    w.close();
    expect(woken).toBe(true);
    expect(r.read(new Uint8Array(4))).toBe(0);
  });

  it("fails writes without readers with EPIPE", () => {
    const [r, w] = createPipe(0, T0, 0, 0);
    r.close();
    expect(w.write(bytes("x"))).toBe(-E.EPIPE);
    expect(w.write(new Uint8Array(0))).toBe(0);
    expect(w.poll().events & POLL.ERR).toBe(POLL.ERR);
  });

  it("blocks writers when full, keeps small writes atomic, and makes big writes short", () => {
    const [r, w] = createPipe(0, T0, 0, 0);
    expect(w.write(new Uint8Array(PIPE_CAPACITY - 100))).toBe(PIPE_CAPACITY - 100);
    // 200 bytes do not fit in the 100 left: an atomic write waits rather than splitting
    expect(w.write(new Uint8Array(200))).toBeInstanceOf(Blocked);
    // a write bigger than PIPE_BUF takes what fits
    expect(w.write(new Uint8Array(PIPE_BUF + 1))).toBe(100);
    expect(w.write(new Uint8Array(1))).toBeInstanceOf(Blocked);
    expect(r.read(new Uint8Array(300))).toBe(300);
    expect(w.write(new Uint8Array(200))).toBe(200);
    expect(r.available()).toBe(PIPE_CAPACITY - 100);
  });

  it("keeps data intact across the ring's wrap-around", () => {
    const [r, w] = createPipe(0, T0, 0, 0);
    const chunk = new Uint8Array(40000).map((_, i) => i & 0xff);
    expect(w.write(chunk)).toBe(40000);
    expect(r.read(new Uint8Array(30000))).toBe(30000);
    const next = new Uint8Array(40000).map((_, i) => (i * 7) & 0xff);
    expect(w.write(next)).toBe(40000);
    const out = new Uint8Array(50000);
    expect(r.read(out)).toBe(50000);
    expect([...out.subarray(0, 10000)]).toEqual([...chunk.subarray(30000)]);
    expect([...out.subarray(10000)]).toEqual([...next]);
  });

  it("honours O_NONBLOCK with EAGAIN", () => {
    const [r, w] = createPipe(O.NONBLOCK, T0, 0, 0);
    expect(r.read(new Uint8Array(1))).toBe(-E.EAGAIN);
    w.write(new Uint8Array(PIPE_CAPACITY));
    expect(w.write(new Uint8Array(1))).toBe(-E.EAGAIN);
    expect(r.flags & O.ACCMODE).toBe(O.RDONLY);
    expect(w.flags & O.ACCMODE).toBe(O.WRONLY);
    expect(r.flags & O.NONBLOCK).toBe(O.NONBLOCK);
  });

  it("is a FIFO for fstat, not seekable, and resizable", () => {
    const [r, w] = createPipe(0, T0, 1000, 1000);
    const st = r.stat() as StatInfo;
    expect(st.mode & S.IFMT).toBe(S.IFIFO);
    expect(st.ino).toBe((w.stat() as StatInfo).ino);
    expect(r.seek(0, 0)).toBe(-E.ESPIPE);
    expect(r.pread(new Uint8Array(1), 0)).toBe(-E.ESPIPE);
    expect(r.path).toMatch(/^pipe:\[\d+\]$/);
    w.write(bytes("keep"));
    expect(r.pipe.resize(100)).toBe(4096);
    const out = new Uint8Array(4);
    expect(r.read(out)).toBe(4);
    expect(Buffer.from(out).toString()).toBe("keep");
  });
});

class Sink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
}

describe("stdio files", () => {
  it("writes copies to a Node Writable", () => {
    const out = new Sink();
    const [, stdout] = makeStdioFiles({ stdin: new PassThrough(), stdout: out, stderr: new Sink() }, T0);
    const buf = bytes("abc");
    expect(stdout.write(buf)).toBe(3);
    buf[0] = 0x7a; // the guest reuses its buffer: what was written must not change
    expect(Buffer.concat(out.chunks).toString()).toBe("abc");
    expect(stdout.flags & O.ACCMODE).toBe(O.WRONLY);
    expect(stdout.seek(0, 0)).toBe(-E.ESPIPE);
  });

  it("answers tty ioctls with ENOTTY when the stream is not a terminal", () => {
    const [stdin, stdout] = makeStdioFiles({ stdin: new PassThrough(), stdout: new Sink(), stderr: new Sink() }, T0);
    // mem is never touched on the ENOTTY path
    const mem = null as unknown as Parameters<typeof stdout.ioctl>[2];
    expect(stdout.ioctl(0x5401, 0n, mem)).toBe(-E.ENOTTY);
    expect(stdin.ioctl(0x5413, 0n, mem)).toBe(-E.ENOTTY);
    expect(((stdout.stat() as StatInfo).mode & S.IFMT)).toBe(S.IFIFO);
  });

  it("reads stdin lazily: blocks until data arrives, then EOF at the end", async () => {
    const src = new PassThrough();
    const [stdin] = makeStdioFiles({ stdin: src, stdout: new Sink(), stderr: new Sink() }, T0);
    const buf = new Uint8Array(16);
    const first = stdin.read(buf);
    expect(first).toBeInstanceOf(Blocked);
    const woke = new Promise<void>((resolve) => (first as Blocked).queue.add(resolve));
    src.write("line one\n");
    await woke;
    const n = stdin.read(buf);
    expect(n).toBe(9);
    expect(Buffer.from(buf.subarray(0, 9)).toString()).toBe("line one\n");
    const again = stdin.read(buf);
    expect(again).toBeInstanceOf(Blocked);
    const woke2 = new Promise<void>((resolve) => (again as Blocked).queue.add(resolve));
    src.end();
    await woke2;
    let r = stdin.read(buf);
    while (r instanceof Blocked) {
      await new Promise<void>((resolve) => (r as Blocked).queue.add(resolve));
      r = stdin.read(buf);
    }
    expect(r).toBe(0);
  });

  it("gives EAGAIN on a non-blocking stdin with no data", () => {
    const [stdin] = makeStdioFiles({ stdin: new PassThrough(), stdout: new Sink(), stderr: new Sink() }, T0);
    stdin.flags |= O.NONBLOCK;
    expect(stdin.read(new Uint8Array(4))).toBe(-E.EAGAIN);
  });

  it("does not consume a stream nobody reads", () => {
    const src = new PassThrough();
    makeStdioFiles({ stdin: src, stdout: new Sink(), stderr: new Sink() }, T0);
    src.write("untouched");
    expect(src.readableFlowing).toBe(null);
    expect(src.read()?.toString()).toBe("untouched");
  });
});
