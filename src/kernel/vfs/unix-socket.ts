// AF_UNIX sockets: the open file of socket(2) and of each end of socketpair(2).
//
// Each socket has a receive queue of segments (one per send: the bytes, the descriptors passed
// with SCM_RIGHTS, the sender's credentials). A stream read takes bytes across segments (Linux
// glues writes) but stops after one that carried descriptors, and, when the reader asked for
// credentials, before one from another writer; a datagram or seqpacket read takes one segment and
// drops what does not fit (MSG_TRUNC). A sender's bytes in the peer's queue count against its
// SO_SNDBUF, each segment with a fixed overhead standing for Linux's sk_buff: a send waits (or
// fails with EAGAIN) while that is full, as Linux's sock_alloc_send_pskb does; a stream send takes
// what fits and returns that count (callers loop on short writes; Linux would keep a blocking
// writer waiting until all is queued). Under a memory limit the bytes waiting in a queue are charged
// to it; a send that does not fit fails with ENOBUFS, as a failed sk_buff allocation does.
//
// The two ends of a pair share one wait queue, woken on every change. Descriptors in flight hold
// a reference to their open file until they are received or the queue holding them goes; a socket
// sent over itself is never freed (Linux has a garbage collector for such cycles; rvtrace does not).
//
// No socket is ever bound or listening: bind is refused by the syscall layer (socket.ts), so
// connect finds nobody and these sockets only ever talk through socketpair.
import { E } from "../../abi/gen/errno.js";
import { FS_MAGIC, O, POLL, S } from "../../abi/fs.js";
import { MSG, RCV_SHUTDOWN, SEND_SHUTDOWN, SIZEOF_UCRED, SOCK, SOCK_BUF_DEFAULT } from "../../abi/socket.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import { FileBase, pseudoStatfs, releaseFile, retainFile, type IoResult, type OpenFile, type PollState } from "./open-file.js";
import { syntheticStat, type StatInfo, type StatfsInfo, type Timespec } from "./stat.js";
import type { MemoryBudget } from "../../mem/memory-budget.js";

/** st_dev of sockets (sockfs, an anonymous mount). */
export const SOCK_DEV = 0x08n;

/** What each queued segment costs its sender beyond its bytes (Linux: the sk_buff's truesize). */
export const SEGMENT_OVERHEAD = 512;

const POLLRDHUP = 0x2000;
const POLLWRBAND = 0x200;

/** struct ucred: who sent a segment. */
export interface Cred {
  pid: number;
  uid: number;
  gid: number;
}

/** Credentials of no one (Linux: no pid, overflow ids): a segment sent while neither end asked for them, a missing peer. */
export const NO_CRED: Cred = { pid: 0, uid: 65534, gid: 65534 };

/** A struct ucred as the guest reads it (SCM_CREDENTIALS, SO_PEERCRED). */
export function ucredBytes(c: Cred): Uint8Array {
  const b = new Uint8Array(SIZEOF_UCRED);
  const v = new DataView(b.buffer);
  v.setInt32(0, c.pid, true);
  v.setUint32(4, c.uid, true);
  v.setUint32(8, c.gid, true);
  return b;
}

interface Segment {
  data: Uint8Array;
  /** Bytes of `data` already read (streams). */
  off: number;
  /** Descriptors passed with it, each holding a reference, until received. */
  fds: OpenFile[] | null;
  cred: Cred;
}

/** What a send hands over. */
export interface Outgoing {
  data: Uint8Array;
  fds: OpenFile[] | null;
  /** The sender's credentials (or those it passed with SCM_CREDENTIALS). */
  cred: Cred;
  flags: number;
  /** The call named a destination address: the error of looking it up (nothing is bound); else 0. */
  named: number;
}

/** What a receive got: the bytes, and the references to passed descriptors now the caller's. */
export interface Incoming {
  /** The result: bytes copied, or the datagram's full length under MSG_TRUNC. */
  count: number;
  data: Uint8Array;
  /** MSG_TRUNC when a datagram did not fit. */
  flags: number;
  fds: OpenFile[];
  /** The sender's credentials, when the receiver has SO_PASSCRED. */
  cred: Cred | null;
}

export class UnixSocket extends FileBase {
  readonly kind = "socket";
  /** EPIPE from a datagram or seqpacket send raises no SIGPIPE (only streams do, in Linux). */
  readonly epipeSignals: boolean;
  peer: UnixSocket | null = null;
  /** Was ever connected (a stream socket that never was cannot be read: EINVAL). */
  connected = false;
  queue = new WaitQueue();
  private rx: Segment[] = [];
  /** Bytes queued for reading, and their charge (bytes + per-segment overhead) to the sender. */
  private rxBytes = 0;
  rxCharge = 0;
  /** sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN. */
  shutdownBits = 0;
  /** sk_err: a pending error (ECONNRESET), reported once by a read or SO_ERROR. */
  pendingError = 0;
  sndbuf = SOCK_BUF_DEFAULT;
  rcvbuf = SOCK_BUF_DEFAULT;
  passcred = false;
  /** SO_PEERCRED: who made the pair (its peer's creator, for socketpair the caller). */
  peerCred: Cred | null = null;
  /** Plain SOL_SOCKET options kept for getsockopt (SO_KEEPALIVE, …), by number. */
  readonly options = new Map<number, number>();
  dead = false;
  /** The permission bits fstat shows (fchmod changes them). */
  private perms = 0o777;

  constructor(
    readonly type: number,
    flags: number,
    readonly created: Timespec,
    readonly uid: number,
    readonly gid: number,
    readonly ino: bigint,
    /** Who made it (for write(2)'s credentials). */
    readonly creator: Cred = NO_CRED,
    /** The run's memory limit: bytes waiting in the queue are charged to it. */
    readonly budget: MemoryBudget | null = null,
  ) {
    super(O.RDWR | flags, `socket:[${ino}]`);
    this.epipeSignals = type === SOCK.STREAM;
  }

  get isStream(): boolean {
    return this.type === SOCK.STREAM;
  }

  /** Stream and seqpacket sockets are connection-oriented (EOF, shutdown reaches the peer). */
  get connectionOriented(): boolean {
    return this.type !== SOCK.DGRAM;
  }

  private get nonblockFile(): boolean {
    return (this.flags & SOCK.NONBLOCK) !== 0;
  }

  /** Bytes this socket has queued at its peer (Linux's sk_wmem_alloc). */
  private get inFlight(): number {
    return this.peer ? this.peer.rxCharge : 0;
  }

  private wake(): void {
    this.queue.wakeAll();
  }

  // ---- sending ----

  /**
   * sendmsg's work once the syscall has gathered the bytes and parsed the control messages. The
   * references of m.fds become the queue's, or are dropped when nothing was queued.
   */
  send(m: Outgoing): IoResult {
    const before = this.peer?.rx.length ?? 0;
    const peer = this.peer;
    const r = this.sendOnce(m);
    const queued = peer !== null && peer.rx.length > before;
    if (!queued && m.fds) for (const f of m.fds) releaseFile(f);
    return r;
  }

  private sendOnce(m: Outgoing): IoResult {
    const dontwait = (m.flags & MSG.DONTWAIT) !== 0 || this.nonblockFile;
    if (m.flags & MSG.OOB) return -E.EOPNOTSUPP;
    if (this.isStream) {
      if (m.named) return this.connected ? -E.EISCONN : -E.EOPNOTSUPP;
      if (!this.peer) return -E.ENOTCONN;
      if (this.shutdownBits & SEND_SHUTDOWN) return -E.EPIPE;
      if (m.data.length === 0) return 0;
      const peer = this.peer;
      if (peer.dead || peer.shutdownBits & RCV_SHUTDOWN) return -E.EPIPE;
      const room = this.sndbuf - this.inFlight;
      if (room <= 0) return dontwait ? -E.EAGAIN : new Blocked(this.queue);
      const n = Math.min(m.data.length, room);
      if (!peer.enqueue({ data: m.data.slice(0, n), off: 0, fds: m.fds, cred: this.credFor(peer, m.cred) })) return -E.ENOBUFS;
      return n;
    }
    if (this.type === SOCK.SEQPACKET && !this.connected) return -E.ENOTCONN;
    // A datagram to an address: nothing is ever bound, so nobody is there.
    if (m.named && this.type === SOCK.DGRAM) return m.named;
    const peer = this.peer;
    if (!peer) return -E.ENOTCONN;
    if (this.shutdownBits & SEND_SHUTDOWN) return -E.EPIPE;
    if (m.data.length > this.sndbuf - 32) return -E.EMSGSIZE;
    if (this.inFlight >= this.sndbuf && !peer.dead) return dontwait ? -E.EAGAIN : new Blocked(this.queue);
    if (peer.dead) {
      if (this.type === SOCK.SEQPACKET) return -E.EPIPE;
      this.peer = null; // the datagram peer is gone: this send says so, the next finds no peer
      return -E.ECONNREFUSED;
    }
    if (peer.shutdownBits & RCV_SHUTDOWN) return -E.EPIPE;
    if (!peer.enqueue({ data: m.data.slice(), off: 0, fds: m.fds, cred: this.credFor(peer, m.cred) })) return -E.ENOBUFS;
    return m.data.length;
  }

  /** Credentials are attached when either end asks for them (Linux's maybe_add_creds). */
  private credFor(peer: UnixSocket, cred: Cred): Cred {
    return this.passcred || peer.passcred ? cred : NO_CRED;
  }

  /** Queues a segment; false (nothing queued) when the memory limit has no room for its bytes. */
  private enqueue(s: Segment): boolean {
    if (this.budget && !this.budget.tryTake(s.data.length)) return false;
    this.rx.push(s);
    this.rxBytes += s.data.length;
    this.rxCharge += s.data.length + SEGMENT_OVERHEAD;
    this.wake();
    return true;
  }

  /**
   * write(2): a send without flags (EPIPE's SIGPIPE is the syscall's, see epipeSignals). It has no
   * task at hand: the credentials are the creator's (a forked child writing shows its parent's pid).
   */
  override write(buf: Uint8Array): IoResult {
    return this.send({ data: buf, fds: null, cred: this.creator, flags: 0, named: 0 });
  }

  // ---- receiving ----

  /**
   * recvmsg's work: at most `max` bytes. The descriptors in the result now hold references the
   * caller must install or release.
   */
  recv(max: number, flags: number): Incoming | number | Blocked {
    const dontwait = (flags & MSG.DONTWAIT) !== 0 || this.nonblockFile;
    if (flags & MSG.OOB) return this.isStream ? -E.EINVAL : -E.EOPNOTSUPP;
    if (this.isStream && !this.connected) return -E.EINVAL;
    if (this.type === SOCK.SEQPACKET && !this.connected) return -E.ENOTCONN;
    if (this.rx.length === 0) {
      if (this.pendingError) return -this.takeError();
      if (this.shutdownBits & RCV_SHUTDOWN) return this.empty();
      return dontwait ? -E.EAGAIN : new Blocked(this.queue);
    }
    if (!this.isStream) return this.recvDatagram(max, flags);
    const waitAll = (flags & MSG.WAITALL) !== 0 && !(flags & MSG.PEEK);
    if (waitAll && this.rxBytes < max && !dontwait && !this.pendingError && !(this.shutdownBits & RCV_SHUTDOWN)) {
      return new Blocked(this.queue);
    }
    return this.recvStream(max, (flags & MSG.PEEK) !== 0);
  }

  private empty(): Incoming {
    return { count: 0, data: new Uint8Array(0), flags: 0, fds: [], cred: null };
  }

  /** sock_error: the pending error, cleared. */
  takeError(): number {
    const e = this.pendingError;
    this.pendingError = 0;
    return e;
  }

  private recvDatagram(max: number, flags: number): Incoming {
    const peek = (flags & MSG.PEEK) !== 0;
    const s = this.rx[0];
    const n = Math.min(max, s.data.length);
    const data = s.data.slice(0, n);
    const fds = this.takeFds(s, peek);
    const cred = this.passcred ? s.cred : null;
    if (!peek) this.dropHead();
    const truncated = s.data.length > max;
    return { count: flags & MSG.TRUNC ? s.data.length : n, data, flags: truncated ? MSG.TRUNC : 0, fds, cred };
  }

  private recvStream(max: number, peek: boolean): Incoming {
    const out = new Uint8Array(Math.min(max, this.rxBytes));
    let copied = 0;
    let fds: OpenFile[] = [];
    const first = this.rx[0];
    const cred = this.passcred ? first.cred : null;
    let i = 0;
    let skip = 0; // bytes of rx[i] already copied by this peek
    while (copied < max && i < this.rx.length) {
      const s = this.rx[i];
      // With credentials asked for, never glue bytes from different writers (Linux).
      if (cred && !sameCred(s.cred, cred)) break;
      const from = s.off + skip;
      const n = Math.min(max - copied, s.data.length - from);
      out.set(s.data.subarray(from, from + n), copied);
      copied += n;
      const hadFds = s.fds !== null;
      if (hadFds) fds = this.takeFds(s, peek);
      if (peek) {
        i++;
        skip = 0;
      } else {
        s.off += n;
        this.rxBytes -= n;
        this.rxCharge -= n;
        this.budget?.give(n);
        if (s.off === s.data.length) this.dropHead();
        else break; // the reader's buffer is full
      }
      if (hadFds) break; // a read ends after a segment that carried descriptors
    }
    if (!peek) this.wake();
    return { count: copied, data: out.subarray(0, copied), flags: 0, fds, cred };
  }

  /** A segment's descriptors for the reader: taken (moved) or, for a peek, new references. */
  private takeFds(s: Segment, peek: boolean): OpenFile[] {
    if (!s.fds) return [];
    const fds = s.fds;
    if (peek) {
      for (const f of fds) retainFile(f);
      return [...fds];
    }
    s.fds = null;
    return fds;
  }

  private dropHead(): void {
    const s = this.rx.shift()!;
    this.budget?.give(s.data.length - s.off);
    this.rxBytes -= s.data.length - s.off;
    this.rxCharge -= s.data.length - s.off + SEGMENT_OVERHEAD;
    if (s.fds) for (const f of s.fds) releaseFile(f);
    this.wake();
  }

  /** read(2): a receive without flags; passed descriptors are closed, as Linux does. */
  override read(buf: Uint8Array): IoResult {
    if (buf.length === 0) return 0;
    const r = this.recv(buf.length, 0);
    if (typeof r === "number" || r instanceof Blocked) return r;
    for (const f of r.fds) releaseFile(f);
    buf.set(r.data.subarray(0, Math.min(r.data.length, buf.length)));
    return r.data.length;
  }

  // ---- the rest of a file's life ----

  shutdown(how: number): void {
    const bits = how + 1;
    this.shutdownBits |= bits;
    const peer = this.peer;
    if (peer && this.connectionOriented) {
      if (bits & RCV_SHUTDOWN) peer.shutdownBits |= SEND_SHUTDOWN;
      if (bits & SEND_SHUTDOWN) peer.shutdownBits |= RCV_SHUTDOWN;
    }
    this.wake();
  }

  /** FIONREAD: a stream's queued bytes, or the size of the next datagram. */
  override available(): number {
    if (this.isStream) return this.rxBytes;
    return this.rx.length > 0 ? this.rx[0].data.length : 0;
  }

  stat(): StatInfo {
    return syntheticStat({ dev: SOCK_DEV, ino: this.ino, mode: S.IFSOCK | this.perms, uid: this.uid, gid: this.gid, time: this.created });
  }

  /** fchmod works on a socket's sockfs inode (only fstat shows it). */
  override chmod(mode: number): number {
    this.perms = mode & 0o7777;
    return 0;
  }

  override statfs(): StatfsInfo {
    return pseudoStatfs(FS_MAGIC.SOCKFS);
  }

  override poll(): PollState {
    let events = 0;
    if (this.pendingError) events |= POLL.ERR;
    if (this.shutdownBits === (RCV_SHUTDOWN | SEND_SHUTDOWN)) events |= POLL.HUP;
    if (this.shutdownBits & RCV_SHUTDOWN) events |= POLLRDHUP | POLL.IN | POLL.RDNORM;
    if (this.rx.length > 0) events |= POLL.IN | POLL.RDNORM;
    if (this.connectionOriented && !this.connected) events |= POLL.HUP;
    // unix_writable: a quarter of the send buffer or less in flight.
    if (this.inFlight * 4 <= this.sndbuf) events |= POLL.OUT | POLL.WRNORM | POLLWRBAND;
    return { events, queue: this.queue };
  }

  override close(): void {
    this.dead = true;
    const unread = this.rx.length > 0;
    for (const s of this.rx.splice(0)) if (s.fds) for (const f of s.fds) releaseFile(f);
    this.budget?.give(this.rxBytes);
    this.rxBytes = 0;
    this.rxCharge = 0;
    const peer = this.peer;
    if (peer && this.connectionOriented) {
      peer.shutdownBits = RCV_SHUTDOWN | SEND_SHUTDOWN;
      if (unread) peer.pendingError = E.ECONNRESET;
    }
    this.wake();
  }
}

function sameCred(a: Cred, b: Cred): boolean {
  return a.pid === b.pid && a.uid === b.uid && a.gid === b.gid;
}

/**
 * socketpair: two connected sockets of `type` (SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET) sharing a
 * wait queue; `flags` may hold SOCK_NONBLOCK. Each sees the creator as its peer's credentials.
 */
export function createSocketPair(type: number, flags: number, created: Timespec, cred: Cred, inos: [bigint, bigint], budget: MemoryBudget | null = null): [UnixSocket, UnixSocket] {
  const a = new UnixSocket(type, flags, created, cred.uid, cred.gid, inos[0], cred, budget);
  const b = new UnixSocket(type, flags, created, cred.uid, cred.gid, inos[1], cred, budget);
  a.peer = b;
  b.peer = a;
  a.connected = b.connected = true;
  b.queue = a.queue;
  a.peerCred = b.peerCred = cred;
  return [a, b];
}
