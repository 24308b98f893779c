// eventpoll (fs/eventpoll.c): an interest list of (file, fd) items and a ready list, in Linux's
// order. Each item hooks the wait queue of its file's PollState (re-registering after a wake-up,
// since a WaitQueue forgets its wakers), except while it is on the ready list, where more wake-ups
// would change nothing: polling it (epoll_wait, a poll of the epoll) hooks it again. A wake-up
// puts the item on the ready list when it may carry an event the item wants: Linux passes the
// events in the wake-up's key; here the key is what rose since the item last looked, plus EPOLLIN
// (EPOLLOUT) when the file counts a wake-up of readers (writers) that changes no state
// (PollState.inSeq/outSeq: every pipe write).
// epoll_wait re-polls each ready item, as ep_send_events does: level-triggered items that are still
// ready go back to the tail, edge-triggered ones wait for the next wake-up, one-shot ones are
// disabled until EPOLL_CTL_MOD.
//
// Items of files closed for good (no reference left) are dropped when next met, as Linux drops
// them when the file is released.
import { POLL } from "../../abi/fs.js";
import { E } from "../../abi/gen/errno.js";
import { WaitQueue, type OpenFile, type PollState } from "../vfs/open-file.js";
import type { Timespec } from "../vfs/stat.js";
import type { Waker } from "../wait-queue.js";
import { AnonFile } from "./anon-file.js";

export const EPOLLIN = 0x1;
export const EPOLLOUT = 0x4;
export const EPOLLERR = 0x8;
export const EPOLLHUP = 0x10;
export const EPOLLRDNORM = 0x40;
export const EPOLLWRNORM = 0x100;
export const EPOLLEXCLUSIVE = 0x10000000;
export const EPOLLWAKEUP = 0x20000000;
export const EPOLLONESHOT = 0x40000000;
export const EPOLLET = 0x80000000;
/** Bits that are not events (EP_PRIVATE_BITS): what a fired one-shot item keeps. */
export const EP_PRIVATE_BITS = (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE) >>> 0;
/** How deep epolls may nest (EP_MAX_NESTS). */
const EP_MAX_NESTS = 4;

const IN_BITS = EPOLLIN | EPOLLRDNORM;
const OUT_BITS = EPOLLOUT | EPOLLWRNORM;

/** One watched (file, fd). */
export class EpollItem {
  /** The queue hooked now (the file's PollState queue), and the hook. */
  private hooked: WaitQueue | null = null;
  private readonly hook: Waker;
  /** What the item saw at its last look, to tell what a wake-up changed. */
  private last: PollState = { events: 0, queue: null };
  removed = false;

  constructor(
    readonly ep: EpollFile,
    readonly fd: number,
    readonly file: OpenFile,
    /** Requested events (with EPOLLERR and EPOLLHUP) and the private bits, as unsigned 32 bits. */
    public events: number,
    public data: bigint,
  ) {
    this.hook = () => {
      if (this.removed) return;
      this.hooked = null;
      this.wakeUp();
    };
  }

  /** The file is gone for good (closed by every holder). */
  get dead(): boolean {
    return this.file.refs <= 0;
  }

  /** Polls the file: the events the item wants that are true now. Moves the hook if the queue changed. */
  poll(): number {
    const st = this.file.poll();
    this.last = st;
    this.rehook(st.queue);
    return (st.events & this.events) >>> 0;
  }

  private rehook(q: WaitQueue | null): void {
    if (this.removed) return;
    if (this.hooked === q) {
      // A WaitQueue forgets a waker once it has run: make sure this one is (still) there.
      q?.add(this.hook);
      return;
    }
    this.hooked?.remove(this.hook);
    this.hooked = q;
    q?.add(this.hook);
  }

  /** ep_poll_callback: the file's queue woke. */
  private wakeUp(): void {
    if (this.dead) {
      this.ep.drop(this);
      return;
    }
    const before = this.last;
    const st = this.file.poll();
    this.last = st;
    let key = st.events & ~before.events;
    if (st.inSeq !== undefined && st.inSeq !== before.inSeq) key |= IN_BITS;
    if (st.outSeq !== undefined && st.outSeq !== before.outSeq) key |= OUT_BITS;
    // A level-triggered item that is ready goes on the list whatever woke it: epoll_wait polls again.
    if ((this.events & EPOLLET) === 0) key |= st.events;
    if ((key & this.events & ~EP_PRIVATE_BITS) === 0) {
      this.rehook(st.queue);
      return;
    }
    // On the ready list, further wake-ups change nothing until epoll_wait (or a poll of the epoll)
    // polls the item, which hooks it again: until then it does not listen, as Linux's callback
    // does nothing for an item already linked. So a periodic timer nobody collects goes quiet.
    this.ep.makeReady(this);
  }

  unhook(): void {
    this.removed = true;
    this.hooked?.remove(this.hook);
    this.hooked = null;
  }
}

/** One event for epoll_wait's caller. */
export interface EpollEvent {
  events: number;
  data: bigint;
}

export class EpollFile extends AnonFile {
  /** Woken when an item is made ready: epoll_wait's waiters, pollers, epolls watching this one. */
  readonly queue = new WaitQueue();
  /** The interest list, by file, then fd (Linux's key is the pair). */
  private readonly items = new Map<OpenFile, Map<number, EpollItem>>();
  /** The ready list, in order (a Set keeps insertion order; delete then add moves to the tail). */
  private ready = new Set<EpollItem>();
  /** Wake-ups sent to whoever watches this epoll (each is one with EPOLLIN in Linux's key). */
  private wakes = 0;

  constructor(flags: number, time: Timespec) {
    super("eventpoll", flags, time);
  }

  /** ep_eventpoll_ioctl knows only EPIOCSPARAMS and EPIOCGPARAMS (busy polling): the rest, FIONREAD too, EINVAL. */
  override ioctl(): number {
    return -E.EINVAL;
  }

  override available(): number {
    return -E.EINVAL;
  }

  find(file: OpenFile, fd: number): EpollItem | undefined {
    const it = this.items.get(file)?.get(fd);
    if (it?.dead) {
      this.drop(it);
      return undefined;
    }
    return it;
  }

  /** The files of the live items. */
  watchedFiles(): OpenFile[] {
    const out: OpenFile[] = [];
    for (const [file, byFd] of this.items) if ([...byFd.values()].some((it) => !it.dead)) out.push(file);
    return out;
  }

  /** The epolls this one watches (for the loop and depth checks). */
  private *children(): Iterable<EpollFile> {
    for (const [file, byFd] of this.items) {
      if (!(file instanceof EpollFile)) continue;
      for (const it of byFd.values()) if (!it.dead) {
        yield file;
        break;
      }
    }
  }

  /** How deep the epolls under this one go (0: it watches no epoll). */
  depth(): number {
    let d = 0;
    for (const c of this.children()) d = Math.max(d, 1 + c.depth());
    return d;
  }

  /** True when `target` is this epoll or watched by it, at any depth. */
  reaches(target: EpollFile): boolean {
    if (target === this) return true;
    for (const c of this.children()) if (c.reaches(target)) return true;
    return false;
  }

  /**
   * ep_loop_check for adding epoll `target` to this one: ELOOP if that closes a cycle or makes a
   * chain of more than EP_MAX_NESTS epolls. Returns true when the add may go on.
   */
  mayWatch(target: EpollFile): boolean {
    if (target.reaches(this)) return false;
    return this.depthAbove() + 1 + target.depth() <= EP_MAX_NESTS;
  }

  /** How many epolls watch this one, up the longest chain. */
  private depthAbove(): number {
    let d = 0;
    for (const parent of EpollFile.watchers(this)) d = Math.max(d, 1 + parent.depthAbove());
    return d;
  }

  /** The live epolls that watch `f`. */
  private static watchers(f: EpollFile): EpollFile[] {
    return [...(watchersOf.get(f) ?? [])].filter((ep) => ep.refs > 0 && [...(ep.items.get(f)?.values() ?? [])].some((it) => !it.dead));
  }

  /** EPOLL_CTL_ADD: the caller has checked that (file, fd) is not there yet. */
  add(fd: number, file: OpenFile, events: number, data: bigint): void {
    const it = new EpollItem(this, fd, file, events >>> 0, data);
    let byFd = this.items.get(file);
    if (!byFd) this.items.set(file, (byFd = new Map()));
    byFd.set(fd, it);
    if (file instanceof EpollFile) {
      let w = watchersOf.get(file);
      if (!w) watchersOf.set(file, (w = new Set()));
      w.add(this);
    }
    if (it.poll() !== 0) this.makeReady(it);
  }

  /** EPOLL_CTL_MOD: new events and data; ready again at once if an event is true now. */
  modify(it: EpollItem, events: number, data: bigint): void {
    it.events = events >>> 0;
    it.data = data;
    if (it.poll() !== 0) this.makeReady(it);
  }

  /** EPOLL_CTL_DEL, and the drop of an item whose file is gone. */
  drop(it: EpollItem): void {
    it.unhook();
    this.ready.delete(it);
    const byFd = this.items.get(it.file);
    if (byFd?.get(it.fd) !== it) return;
    byFd.delete(it.fd);
    if (byFd.size === 0) {
      this.items.delete(it.file);
      if (it.file instanceof EpollFile) watchersOf.get(it.file)?.delete(this);
    }
  }

  /** Puts an item on the ready list (if not there) and wakes whoever waits on this epoll. */
  makeReady(it: EpollItem): void {
    this.ready.add(it);
    this.wakes++;
    this.queue.wakeAll();
  }

  /**
   * ep_send_events: up to `max` events from the ready list, re-polling each item. Items not ready
   * any more leave the list; level-triggered ones that were reported go back to its tail.
   */
  collect(max: number): EpollEvent[] {
    const out: EpollEvent[] = [];
    const tx = [...this.ready];
    this.ready = new Set();
    const again: EpollItem[] = [];
    let i = 0;
    for (; i < tx.length && out.length < max; i++) {
      const it = tx[i];
      if (it.dead) {
        this.drop(it);
        continue;
      }
      const revents = it.poll();
      if (revents === 0) continue;
      out.push({ events: revents, data: it.data });
      if (it.events & EPOLLONESHOT) it.events = (it.events & EP_PRIVATE_BITS) >>> 0;
      else if ((it.events & EPOLLET) === 0) again.push(it);
    }
    // What was not looked at stays first, as Linux splices it back to the head.
    const added = [...this.ready];
    this.ready = new Set([...tx.slice(i), ...added, ...again]);
    return out;
  }

  /** ep_eventpoll_poll: readable when an item on the ready list really has an event (others leave it). */
  override poll(): PollState {
    let events = 0;
    for (const it of [...this.ready]) {
      if (!it.dead && it.poll() !== 0) {
        events = POLL.IN | POLL.RDNORM;
        break;
      }
      if (it.dead) this.drop(it);
      else this.ready.delete(it);
    }
    return { events, queue: this.queue, inSeq: this.wakes };
  }

  /** The last reference is gone: every hook goes. */
  override close(): void {
    for (const byFd of this.items.values()) for (const it of byFd.values()) {
      it.unhook();
      if (it.file instanceof EpollFile) watchersOf.get(it.file)?.delete(this);
    }
    this.items.clear();
    this.ready.clear();
  }
}

/** The epolls that watch an epoll (for the nesting depth above it). */
const watchersOf = new WeakMap<EpollFile, Set<EpollFile>>();
