// timerfd (fs/timerfd.c): a timer on CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME whose
// expiries are counted and read as a u64. The count is derived from the clock on every access
// (every expiry at or before now counts once, as Linux's hrtimer_forward_now makes it), so it is
// the same whenever the world's timer callback runs; that callback only wakes waiters. Timers are
// the kernel world's (world/: host timers, or virtual ones under --deterministic), so a
// deterministic run stays deterministic.
import { E } from "../../abi/gen/errno.js";
import { POLL } from "../../abi/fs.js";
import { Blocked, WaitQueue, type IoResult, type PollState } from "../vfs/open-file.js";
import type { Timespec } from "../vfs/stat.js";
import type { TimerHandle, World } from "../world/world.js";
import { AnonFile } from "./anon-file.js";
import { CLOCK_REALTIME } from "../../abi/clocks.js";


/** The state timerfd_gettime and the old value of timerfd_settime show, in ns. */
export interface TimerValue {
  value: bigint;
  interval: bigint;
}

export class TimerFdFile extends AnonFile {
  readonly queue = new WaitQueue();
  /** Expiries not yet read. */
  private ticks = 0n;
  /** The next expiry on the timer's clock, or null when disarmed. */
  private expires: bigint | null = null;
  private interval = 0n;
  private handle: TimerHandle | null = null;
  /** Every expiry counted so far: each is a wake-up with EPOLLIN, for edge-triggered epolls. */
  private expiries = 0;
  /** The world's timer callback is waking the queue. */
  private firing = false;

  constructor(
    private readonly world: World,
    /** CLOCK_REALTIME, or a clock that reads as the monotonic one (MONOTONIC, BOOTTIME). */
    readonly clockId: number,
    flags: number,
    time: Timespec,
  ) {
    super("timerfd", flags, time);
  }

  private now(): bigint {
    return this.clockId === CLOCK_REALTIME ? this.world.realtimeNs() : this.world.monotonicNs();
  }

  /** Counts the expiries up to now and moves `expires` past now (or disarms a one-shot timer). */
  private catchUp(): void {
    const now = this.now();
    if (this.expires === null || now < this.expires) return;
    if (this.interval > 0n) {
      const n = 1n + (now - this.expires) / this.interval;
      this.ticks += n;
      this.expiries += Number(n);
      this.expires += n * this.interval;
    } else {
      this.ticks += 1n;
      this.expiries++;
      this.expires = null;
    }
  }

  /**
   * Makes sure the world wakes the queue at the next expiry. Called on every access, since a wait
   * always follows one; the callback does not re-arm itself unless someone still waits, so a
   * periodic timer nobody reads (or an epoll item already on its ready list) does not keep a
   * virtual clock ticking for ever.
   */
  private ensureTimer(): void {
    if (this.expires === null || this.handle !== null || this.firing) return;
    const left = this.expires - this.now();
    const at = this.world.monotonicNs() + (left > 0n ? left : 0n);
    this.handle = this.world.setTimer(at, () => {
      this.handle = null;
      this.catchUp();
      // Those woken synchronously (an epoll's item polls at once) do not re-arm it from poll():
      // whether anyone still listens is decided below.
      this.firing = true;
      try {
        if (this.ticks > 0n) this.queue.wakeAll();
      } finally {
        this.firing = false;
      }
      // Woken tasks look again (and so ask again); only waiters still there need the next expiry.
      if (this.queue.size > 0) this.ensureTimer();
    });
  }

  private cancelTimer(): void {
    this.handle?.cancel();
    this.handle = null;
  }

  /** The time to the next expiry (0 when disarmed) and the interval. */
  get(): TimerValue {
    this.catchUp();
    this.ensureTimer();
    return { value: this.expires === null ? 0n : this.expires - this.now(), interval: this.interval };
  }

  /** timerfd_settime: arms (value > 0) or disarms; returns the old setting. */
  set(value: bigint, interval: bigint, absolute: boolean): TimerValue {
    const old = this.get();
    this.cancelTimer();
    this.ticks = 0n;
    this.interval = interval;
    this.expires = value === 0n ? null : absolute ? value : this.now() + value;
    this.ensureTimer();
    return old;
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < 8) return -E.EINVAL;
    this.catchUp();
    this.ensureTimer();
    if (this.ticks === 0n) return this.nonblock ? -E.EAGAIN : new Blocked(this.queue);
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return 8;
  }

  override poll(): PollState {
    this.catchUp();
    this.ensureTimer();
    return { events: this.ticks > 0n ? POLL.IN | POLL.RDNORM : 0, queue: this.queue, inSeq: this.expiries };
  }

  override close(): void {
    this.cancelTimer();
    this.expires = null;
  }
}
