// Pipes (pipe2): a 64 KiB ring shared by a read end and a write end. Readers park on the pipe's
// queue while it is empty and a writer exists (EOF once no writer is left); writers park while it
// is full. Writes of at most PIPE_BUF bytes are atomic (they wait for room for all of them); a
// longer write takes what fits and returns that count if the pipe fills (Linux would keep the
// writer waiting until everything is written; callers that loop on short writes — stdio, Rust,
// Go — see no difference). Writing with no reader left fails with EPIPE (the syscall layer raises
// SIGPIPE). Every state change wakes the one queue; woken syscalls simply re-run. Under a memory
// limit a pipe's buffer is charged from its creation until both ends are closed.
import { E } from "../../abi/gen/errno.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import { FS_MAGIC, O, PIPE_BUF, PIPE_CAPACITY, POLL, S } from "../../abi/fs.js";
import { FileBase, pseudoStatfs, type IoResult, type PollState } from "./open-file.js";
import { syntheticStat, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";
import type { MemoryBudget } from "../../mem/memory-budget.js";

/** st_dev of pipes (pipefs is an anonymous mount: major 0). */
export const PIPE_DEV = 0x0cn;

let nextPipeIno = 4096n;

export class Pipe {
  readonly queue = new WaitQueue();
  private ring: Uint8Array;
  private head = 0;
  count = 0;
  readers = 0;
  writers = 0;
  /** Writes so far: Linux wakes readers with EPOLLIN on each, which edge-triggered epolls report. */
  writes = 0;

  constructor(
    readonly created: Timespec,
    readonly uid: number,
    readonly gid: number,
    public capacity = PIPE_CAPACITY,
    /** The run's memory limit, charged the buffer's size (the caller has taken it). */
    readonly budget: MemoryBudget | null = null,
    readonly ino = nextPipeIno++,
  ) {
    this.ring = new Uint8Array(capacity);
  }

  /** Both ends closed: the buffer goes, and what it was charged comes back. */
  private released(): void {
    this.budget?.give(this.capacity);
    this.ring = new Uint8Array(0);
    this.capacity = 0;
  }

  /** An end was closed. */
  endClosed(isReadEnd: boolean): void {
    if (isReadEnd) this.readers--;
    else this.writers--;
    if (this.readers === 0 && this.writers === 0) this.released();
    this.queue.wakeAll();
  }

  /**
   * F_SETPIPE_SZ: the capacity becomes `size` rounded up to a power of two of at least a page;
   * -EBUSY if the data already in the pipe would not fit. Returns the new capacity.
   */
  resize(size: number): number {
    let cap = 4096;
    while (cap < size) cap *= 2;
    if (this.count > cap) return -E.EBUSY;
    if (this.budget && cap > this.capacity && !this.budget.tryTake(cap - this.capacity)) return -E.ENOMEM;
    if (this.budget && cap < this.capacity) this.budget.give(this.capacity - cap);
    const ring = new Uint8Array(cap);
    const count = this.count;
    this.take(ring.subarray(0, count));
    this.ring = ring;
    this.capacity = cap;
    this.head = 0;
    this.count = count;
    this.queue.wakeAll();
    return cap;
  }

  get space(): number {
    return this.capacity - this.count;
  }

  /** Copies up to buf.length bytes out; the caller has checked count > 0. */
  take(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.count);
    const first = Math.min(n, this.capacity - this.head);
    buf.set(this.ring.subarray(this.head, this.head + first), 0);
    if (n > first) buf.set(this.ring.subarray(0, n - first), first);
    this.head = (this.head + n) % this.capacity;
    this.count -= n;
    return n;
  }

  /** Copies up to `space` bytes in. */
  put(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.space);
    const tail = (this.head + this.count) % this.capacity;
    const first = Math.min(n, this.capacity - tail);
    this.ring.set(buf.subarray(0, first), tail);
    if (n > first) this.ring.set(buf.subarray(first, n), 0);
    this.count += n;
    return n;
  }

  stat(): StatInfo {
    return syntheticStat({
      dev: PIPE_DEV,
      ino: this.ino,
      mode: S.IFIFO | 0o600,
      uid: this.uid,
      gid: this.gid,
      time: this.created,
    });
  }
}

export class PipeEnd extends FileBase {
  readonly kind = "pipe";

  constructor(
    readonly pipe: Pipe,
    readonly isReadEnd: boolean,
    flags: number,
  ) {
    super(flags, `pipe:[${pipe.ino}]`);
    if (isReadEnd) pipe.readers++;
    else pipe.writers++;
  }

  private get nonblock(): boolean {
    return (this.flags & O.NONBLOCK) !== 0;
  }

  override read(buf: Uint8Array): IoResult {
    const p = this.pipe;
    if (!this.isReadEnd) return -E.EBADF;
    if (buf.length === 0) return 0;
    if (p.count === 0) {
      if (p.writers === 0) return 0;
      return this.nonblock ? -E.EAGAIN : new Blocked(p.queue);
    }
    const n = p.take(buf);
    p.queue.wakeAll();
    return n;
  }

  override write(buf: Uint8Array): IoResult {
    const p = this.pipe;
    if (this.isReadEnd) return -E.EBADF;
    if (buf.length === 0) return 0;
    if (p.readers === 0) return -E.EPIPE;
    if (p.space === 0 || (buf.length <= PIPE_BUF && p.space < buf.length)) {
      return this.nonblock ? -E.EAGAIN : new Blocked(p.queue);
    }
    const n = p.put(buf);
    p.writes++;
    p.queue.wakeAll();
    return n;
  }

  stat(): StatInfo {
    return this.pipe.stat();
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(FS_MAGIC.PIPEFS);
  }

  override available(): number {
    return this.isReadEnd ? this.pipe.count : -E.ENOTTY;
  }

  override chmod(_mode: number): number {
    return 0;
  }

  override poll(): PollState {
    const p = this.pipe;
    let events = 0;
    if (this.isReadEnd) {
      if (p.count > 0) events |= POLL.IN | POLL.RDNORM;
      if (p.writers === 0) events |= POLL.HUP;
    } else {
      if (p.space >= PIPE_BUF) events |= POLL.OUT | POLL.WRNORM;
      if (p.readers === 0) events |= POLL.ERR;
    }
    return { events, queue: p.queue, inSeq: this.isReadEnd ? p.writes : undefined };
  }

  override close(): void {
    this.pipe.endClosed(this.isReadEnd);
  }
}

/**
 * A new pipe's two ends: [read end, write end], with O_NONBLOCK from `flags` when given; -ENOMEM
 * when its buffer does not fit in `budget`. `ino` is the pipe's inode number (by default the next
 * of a counter shared by every caller).
 */
export function createPipe(flags: number, created: Timespec, uid: number, gid: number): [PipeEnd, PipeEnd];
export function createPipe(flags: number, created: Timespec, uid: number, gid: number, budget: MemoryBudget | null, ino?: bigint): [PipeEnd, PipeEnd] | number;
export function createPipe(flags: number, created: Timespec, uid: number, gid: number, budget: MemoryBudget | null = null, ino?: bigint): [PipeEnd, PipeEnd] | number {
  if (budget && !budget.tryTake(PIPE_CAPACITY)) return -E.ENOMEM;
  const pipe = new Pipe(created, uid, gid, PIPE_CAPACITY, budget, ino);
  const status = flags & (O.NONBLOCK | O.DIRECT);
  return [new PipeEnd(pipe, true, O.RDONLY | status), new PipeEnd(pipe, false, O.WRONLY | status)];
}
