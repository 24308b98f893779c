// Input that arrives from the host asynchronously (stdin, /dev/tty): a buffer filled only while the
// guest wants data. A read finding the buffer empty starts one host read (or asks the Node stream
// for more) and returns Blocked on the input's queue; the queue wakes when data, EOF or an error
// arrives and the read is re-run. Nothing is read ahead of the guest's demand, so the event loop is
// not kept busy by input nobody asked for.
//
// Also the tty ioctls shared by stdio and /dev/tty, and a synchronous write-everything to a host fd.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import type * as net from "node:net";
import type { Readable } from "node:stream";
import { E } from "../../abi/gen/errno.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import { IOCTL, POLL, SIZEOF } from "../../abi/fs.js";
import { guestTermios, setGuestTermios } from "../host/termios.js";
import { hostErrno } from "./errors.js";
import type { IoResult, PollState } from "./open-file.js";

const HOST_READ_SIZE = 65536;
/** Retry delay when a host fd turned out to be non-blocking and had nothing (EAGAIN). */
const EAGAIN_RETRY_MS = 10;

abstract class AsyncInput {
  readonly queue = new WaitQueue();
  /**
   * Deterministic reads (--deterministic, for pipes and streams, not terminals): a read waits
   * until it can return its whole count or the input has ended, so the counts a guest's reads
   * return never depend on how the host happened to deliver the bytes; poll always reports the
   * input readable, since a read always completes.
   */
  wholeReads = false;
  private chunks: Uint8Array[] = [];
  private headOffset = 0;
  buffered = 0;
  /** EOF seen and not yet reported (a tty's ^D is one read returning 0, not a permanent end). */
  protected eofPending = false;
  /** The source has ended for good (a stream's 'end'). */
  protected ended = false;
  protected error = 0;
  protected disposed = false;

  /** Ask the source for more; results arrive through push / setEof / setError. */
  protected abstract pump(): void;

  protected push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.buffered += data.length;
  }

  read(buf: Uint8Array, nonblock: boolean): IoResult {
    if (buf.length === 0) return 0;
    if (this.wholeReads) return this.readWhole(buf);
    if (this.buffered === 0 && !this.eofPending && !this.ended && this.error === 0) this.pump();
    if (this.buffered > 0) return this.take(buf);
    if (this.ended) return 0;
    if (this.eofPending) {
      this.eofPending = false;
      return 0;
    }
    if (this.error !== 0) {
      const e = this.error;
      this.error = 0;
      return -e;
    }
    return nonblock ? -E.EAGAIN : this.waitForHost();
  }

  /** Blocked on the input's queue, marked as a wait for the host. */
  private waitForHost(): Blocked {
    const b = new Blocked(this.queue);
    b.waitsOnHost = true;
    return b;
  }

  /** A read that returns its whole count, unless the input ends or fails first (wholeReads). */
  private readWhole(buf: Uint8Array): IoResult {
    // A stream may hold more than one chunk: pull until enough is here or nothing more comes now.
    while (this.buffered < buf.length && !this.ended && this.error === 0) {
      const before = this.buffered;
      this.pump();
      if (this.buffered === before) break;
    }
    if (this.buffered < buf.length && !this.ended && this.error === 0) return this.waitForHost();
    if (this.buffered > 0) return this.take(buf);
    if (this.error !== 0) {
      const e = this.error;
      this.error = 0;
      return -e;
    }
    return 0;
  }

  private take(buf: Uint8Array): number {
    let done = 0;
    while (done < buf.length && this.chunks.length > 0) {
      const c = this.chunks[0];
      const n = Math.min(buf.length - done, c.length - this.headOffset);
      buf.set(c.subarray(this.headOffset, this.headOffset + n), done);
      done += n;
      this.headOffset += n;
      if (this.headOffset === c.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    this.buffered -= done;
    return done;
  }

  poll(): PollState {
    if (this.wholeReads) return { events: POLL.IN | POLL.RDNORM, queue: this.queue };
    if (this.buffered === 0 && !this.eofPending && !this.ended && this.error === 0) this.pump();
    const ready = this.buffered > 0 || this.eofPending || this.ended || this.error !== 0;
    return {
      events: (ready ? POLL.IN | POLL.RDNORM : 0) | (this.ended ? POLL.HUP : 0),
      queue: this.queue,
    };
  }

  /** Stop caring about results still in flight. */
  dispose(): void {
    this.disposed = true;
  }
}

/** Host reads of FdInputs in flight (on libuv's thread pool), for hostReadsInFlight. */
let readsInFlight = 0;
/** StreamInputs waiting for their stream's next 'readable', and EAGAIN retries not yet due. */
let streamsAwaited = 0;
let retriesPending = 0;

/**
 * Host input asked for and not yet arrived, of every kind: while there is some, a guest waiting for
 * it is not blocked for good (the scheduler's deadlock check, kernel/deadlock.ts).
 */
export function hostInputsAwaited(): number {
  return readsInFlight + streamsAwaited + retriesPending;
}

/**
 * How many asynchronous host reads for guest input (a terminal on stdin, /dev/tty) are in flight on
 * libuv's thread pool. Such a read cannot be called off and holds Node's exit until the host's next
 * line of input: rvtrace's exit (src/cli/exit.ts) then ends by the guest's fatal signal instead.
 */
export function hostReadsInFlight(): number {
  return readsInFlight;
}

/**
 * Reads a host fd with asynchronous fs.read, one request at a time, only on demand. On a terminal
 * an EOF (^D) ends one read only; on anything else it is final.
 */
export class FdInput extends AsyncInput {
  private pending = false;
  private readonly stickyEof: boolean;

  /** @param terminal whether fd is a terminal */
  constructor(private readonly fd: number, terminal: boolean) {
    super();
    this.stickyEof = !terminal;
  }

  protected pump(): void {
    if (this.pending || this.disposed) return;
    this.pending = true;
    readsInFlight++;
    const chunk = Buffer.allocUnsafe(HOST_READ_SIZE);
    fs.read(this.fd, chunk, 0, HOST_READ_SIZE, null, (err, n) => {
      this.pending = false;
      readsInFlight--;
      if (this.disposed) return;
      if (err) {
        const errno = hostErrno(err);
        if (errno === E.EAGAIN) {
          // Someone made the host fd non-blocking: try again shortly, if a reader is still parked.
          retriesPending++;
          setTimeout(() => {
            retriesPending--;
            this.queue.wakeAll();
          }, EAGAIN_RETRY_MS);
          return;
        }
        this.error = errno;
      } else if (n === 0) {
        if (this.stickyEof) this.ended = true;
        else this.eofPending = true;
      } else {
        this.push(chunk.subarray(0, n));
      }
      this.queue.wakeAll();
    });
  }
}

/** Pulls from a Node Readable with read() and 'readable' events (never flowing mode). */
export class StreamInput extends AsyncInput {
  private listening = false;
  private hooked = false;

  constructor(protected readonly stream: Readable) {
    super();
  }

  /** Whether the stream should keep Node's event loop alive: only while the guest waits for it. */
  protected keepAlive(_wanted: boolean): void {}

  private readonly onReadable = (): void => {
    this.listening = false;
    streamsAwaited--;
    this.keepAlive(false);
    this.queue.wakeAll();
  };

  protected pump(): void {
    if (this.disposed) return;
    if (!this.hooked) {
      this.hooked = true;
      this.stream.once("end", () => {
        this.ended = true;
        this.queue.wakeAll();
      });
      this.stream.once("error", (err: unknown) => {
        this.error = typeof err === "object" && err !== null && "code" in err ? hostErrnoOr(err, E.EIO) : E.EIO;
        this.queue.wakeAll();
      });
    }
    if (this.stream.readableEnded) {
      this.ended = true;
      return;
    }
    // An object-mode stream may hand out empty chunks: skip them (one would wake nobody).
    for (let chunk: unknown = this.stream.read(); chunk !== null; chunk = this.stream.read()) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Uint8Array);
      if (bytes.length === 0) continue;
      this.push(bytes);
      return;
    }
    if (!this.listening) {
      this.listening = true;
      streamsAwaited++;
      this.keepAlive(true);
      this.stream.once("readable", this.onReadable);
    }
  }

  override dispose(): void {
    super.dispose();
    if (this.listening) {
      this.listening = false;
      streamsAwaited--;
    }
    this.stream.off("readable", this.onReadable);
    this.keepAlive(false);
  }
}

/**
 * The host's stdin when it is a pipe or a socket, read through a libuv stream (net.Socket on the
 * fd: epoll, not the thread pool). A read on the thread pool cannot be called off: when the guest
 * that asked for input is killed, Node's exit would wait for that read to finish, that is for the
 * next line the host writes. The socket holds the event loop only while the guest waits for input.
 * (libuv makes the pipe non-blocking, as Node's process.stdin does; Node puts it back at exit.)
 */
export class HostPipeInput extends StreamInput {
  constructor(fd: number) {
    // node:net is loaded only for a guest that reads a piped stdin (it costs start-up time).
    const { Socket } = createRequire(import.meta.url)("node:net") as typeof net;
    const socket = new Socket({ fd, readable: true, writable: false });
    socket.unref();
    super(socket);
  }

  protected override keepAlive(wanted: boolean): void {
    const socket = this.stream as net.Socket;
    if (wanted) socket.ref();
    else socket.unref();
  }
}

function hostErrnoOr(err: unknown, fallback: number): number {
  try {
    return hostErrno(err);
  } catch {
    return fallback;
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of buf to a host fd synchronously, retrying partial writes and EAGAIN (a host fd left
 * non-blocking by someone else). Returns the count, or -errno if nothing was written.
 */
export function writeAllToHostFd(fd: number, buf: Uint8Array): number {
  let done = 0;
  while (done < buf.length) {
    try {
      done += fs.writeSync(fd, buf, done, buf.length - done);
    } catch (err) {
      const errno = hostErrno(err);
      if (errno === E.EAGAIN) {
        Atomics.wait(sleepCell, 0, 0, 1);
        continue;
      }
      return done > 0 ? done : -errno;
    }
  }
  return done;
}

/**
 * The tty ioctls rvtrace answers for a host terminal: TCGETS gives the termios the guest last set
 * (a cooked-mode default before that), TCSETS* keep it and mirror it on the host's own terminal
 * (hostFd; host/termios.ts), TIOCGWINSZ gives the host terminal's size, TIOCSWINSZ is accepted.
 * Anything else: ENOTTY.
 */
export function ttyIoctl(
  request: number,
  arg: bigint,
  mem: AddressSpace,
  winsize: () => { cols: number; rows: number },
  hostFd: number | null,
): number {
  switch (request) {
    case IOCTL.TCGETS:
      mem.write(guestPtr(arg), guestTermios());
      return 0;
    case IOCTL.TCSETS:
    case IOCTL.TCSETSW:
    case IOCTL.TCSETSF:
      setGuestTermios(mem.read(guestPtr(arg), SIZEOF.termios), hostFd);
      return 0;
    case IOCTL.TIOCGWINSZ: {
      const { cols, rows } = winsize();
      const w = new Uint8Array(SIZEOF.winsize);
      const v = new DataView(w.buffer);
      v.setUint16(0, rows, true);
      v.setUint16(2, cols, true);
      mem.write(guestPtr(arg), w);
      return 0;
    }
    case IOCTL.TIOCSWINSZ:
      mem.read(guestPtr(arg), SIZEOF.winsize);
      return 0;
    default:
      return -E.ENOTTY;
  }
}

/** An ioctl argument used as a pointer; pointers at or above 4 GiB can never be valid. */
export function guestPtr(arg: bigint): number {
  return arg >= 0n && arg < 0x1_0000_0000n ? Number(arg) : -1;
}
