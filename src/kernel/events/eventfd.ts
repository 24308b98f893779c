// eventfd (fs/eventfd.c): a 64-bit counter. A write of 8 bytes adds to it, waiting while the sum
// would pass 0xfffffffffffffffe; a read of at least 8 bytes takes it all (or 1 in semaphore mode),
// waiting while it is 0. Every change wakes the one queue; woken syscalls re-run.
import { E } from "../../abi/gen/errno.js";
import { POLL } from "../../abi/fs.js";
import { Blocked, WaitQueue, type IoResult, type PollState } from "../vfs/open-file.js";
import type { Timespec } from "../vfs/stat.js";
import { AnonFile } from "./anon-file.js";

export const EFD_SEMAPHORE = 1;
const MAX = 0xffffffffffffffffn;

export class EventFdFile extends AnonFile {
  readonly queue = new WaitQueue();
  /** Wake-ups with EPOLLIN (writes) and EPOLLOUT (reads), for edge-triggered epolls. */
  private inSeq = 0;
  private outSeq = 0;

  constructor(
    public count: bigint,
    flags: number,
    readonly semaphore: boolean,
    time: Timespec,
  ) {
    super("eventfd", flags, time);
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < 8) return -E.EINVAL;
    if (this.count === 0n) return this.nonblock ? -E.EAGAIN : new Blocked(this.queue);
    const taken = this.semaphore ? 1n : this.count;
    this.count -= taken;
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, taken, true);
    this.outSeq++;
    this.queue.wakeAll();
    return 8;
  }

  override write(buf: Uint8Array): IoResult {
    if (buf.length < 8) return -E.EINVAL;
    const add = new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true);
    if (add === MAX) return -E.EINVAL;
    if (MAX - this.count <= add) return this.nonblock ? -E.EAGAIN : new Blocked(this.queue);
    this.count += add;
    // Even adding 0 wakes the readers (and edge-triggered epolls) as Linux does.
    this.inSeq++;
    this.queue.wakeAll();
    return 8;
  }

  override poll(): PollState {
    let events = 0;
    if (this.count > 0n) events |= POLL.IN | POLL.RDNORM;
    if (this.count === MAX) events |= POLL.ERR;
    if (MAX - 1n > this.count) events |= POLL.OUT | POLL.WRNORM;
    return { events, queue: this.queue, inSeq: this.inSeq, outSeq: this.outSeq };
  }
}
