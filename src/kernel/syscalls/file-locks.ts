// Advisory file locks, kept per kernel and per file (host device and inode, so hard links and
// separate opens of one file meet): flock(2) locks, owned by an open file description, and record
// locks (fcntl F_SETLK…), owned by a process (classic POSIX locks) or by an open file description
// (OFD locks). As in Linux, flock locks and record locks never see each other; a process's POSIX
// locks never conflict with each other, but do with OFD locks, even the same process's.
//
// An owner that is gone (a description whose last descriptor closed, a process that ended) holds
// nothing: its locks are dropped lazily, when the file's locks are next looked at. A process's
// POSIX locks on a file also go when it closes any descriptor of that file (POSIX's rule).
import { E } from "../../abi/gen/errno.js";
import type { Process } from "../process.js";
import type { Task } from "../task.js";
import { Blocked, WaitQueue } from "../wait-queue.js";
import type { OpenFile } from "../vfs/open-file.js";

export const F_RDLCK = 0;
export const F_WRLCK = 1;

/** A lock on bytes [start, end) of a file (end = Infinity: to the end of the file, however it grows). */
export interface RecordLock {
  owner: Process | OpenFile;
  /** Whether the owner is an open file description (flock and OFD locks) rather than a process. */
  ofd: boolean;
  type: number;
  start: number;
  end: number;
}

/** The locks of one file, and the queue its blocked lockers wait on. */
interface FileLocks {
  flocks: RecordLock[];
  records: RecordLock[];
  queue: WaitQueue;
  /** Processes whose end wakes the queue (their POSIX locks go with them). */
  watched: WeakSet<Process>;
}

const tables = new WeakMap<object, Map<string, FileLocks>>();

function alive(l: RecordLock): boolean {
  return l.ofd ? (l.owner as OpenFile).refs > 0 : (l.owner as Process).alive;
}

/** The locks of the file `f` refers to, with dead owners' locks dropped; or -errno from fstat. */
function locksOf(t: Task, f: OpenFile): FileLocks | number {
  const st = f.stat();
  if (typeof st === "number") return st;
  let table = tables.get(t.kernel);
  if (!table) tables.set(t.kernel, (table = new Map()));
  const key = `${st.dev}:${st.ino}`;
  let fl = table.get(key);
  if (!fl) {
    fl = { flocks: [], records: [], queue: new WaitQueue(), watched: new WeakSet() };
    table.set(key, fl);
  }
  fl.flocks = fl.flocks.filter(alive);
  fl.records = fl.records.filter(alive);
  return fl;
}

function conflicts(a: RecordLock, owner: object, type: number, start: number, end: number): boolean {
  return a.owner !== owner && a.start < end && start < a.end && (a.type === F_WRLCK || type === F_WRLCK);
}

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
/** Obsolete mandatory-lock requests: Linux ignores them with a warning and returns 0. */
const LOCK_MAND = 32;

/** flock(fd, op) on the description `f`: -EINVAL, -EWOULDBLOCK, Blocked, or 0. */
export function flockFile(t: Task, f: OpenFile, op: number): number | Blocked {
  if (op & LOCK_MAND) return 0;
  const cmd = op & ~LOCK_NB;
  if (cmd !== LOCK_SH && cmd !== LOCK_EX && cmd !== LOCK_UN) return -E.EINVAL;
  const fl = locksOf(t, f);
  if (typeof fl === "number") return fl;
  const mine = fl.flocks.findIndex((l) => l.owner === f);
  if (cmd === LOCK_UN) {
    if (mine >= 0) {
      fl.flocks.splice(mine, 1);
      fl.queue.wakeAll();
    }
    return 0;
  }
  const type = cmd === LOCK_EX ? F_WRLCK : F_RDLCK;
  if (mine >= 0 && fl.flocks[mine].type === type) return 0;
  if (fl.flocks.some((l) => conflicts(l, f, type, 0, Infinity))) {
    // Linux drops the old lock before waiting for the new one (a conversion is not atomic).
    if (mine >= 0) {
      fl.flocks.splice(mine, 1);
      fl.queue.wakeAll();
    }
    return op & LOCK_NB ? -E.EWOULDBLOCK : new Blocked(fl.queue);
  }
  if (mine >= 0) fl.flocks[mine].type = type;
  else fl.flocks.push({ owner: f, ofd: true, type, start: 0, end: Infinity });
  return 0;
}

/** The first record lock that keeps `owner` from taking [start, end) as `type`, if any. */
export function findConflict(t: Task, f: OpenFile, owner: object, type: number, start: number, end: number): RecordLock | null | number {
  const fl = locksOf(t, f);
  if (typeof fl === "number") return fl;
  return fl.records.find((l) => conflicts(l, owner, type, start, end)) ?? null;
}

/**
 * Sets (F_RDLCK, F_WRLCK) or clears (F_UNLCK) `owner`'s record lock on [start, end): the owner's
 * locks in the range are cut away and replaced, and its adjacent locks of one type merge, as in
 * Linux's posix_lock_inode. Returns 0, Blocked (wait), or -EAGAIN without `wait`.
 */
export function setRecordLock(
  t: Task,
  f: OpenFile,
  owner: Process | OpenFile,
  type: number,
  start: number,
  end: number,
  wait: boolean,
): number | Blocked {
  const fl = locksOf(t, f);
  if (typeof fl === "number") return fl;
  const unlock = type !== F_RDLCK && type !== F_WRLCK;
  if (!unlock && fl.records.some((l) => conflicts(l, owner, type, start, end))) {
    return wait ? new Blocked(fl.queue) : -E.EAGAIN;
  }
  const kept: RecordLock[] = [];
  let changed = false;
  for (const l of fl.records) {
    if (l.owner !== owner || l.end <= start || end <= l.start) {
      kept.push(l);
      continue;
    }
    changed = true;
    if (l.start < start) kept.push({ ...l, end: start });
    if (end < l.end) kept.push({ ...l, start: end });
  }
  if (!unlock) {
    kept.push({ owner, ofd: owner !== t.process, type, start, end });
    changed = true;
    if (owner === t.process && !fl.watched.has(t.process)) {
      fl.watched.add(t.process);
      const q = fl.queue;
      t.process.atExit(() => q.wakeAll());
    }
  }
  fl.records = changed ? ordered(fl.records, kept, owner) : kept;
  if (changed) fl.queue.wakeAll();
  return 0;
}

/**
 * The order F_GETLK finds conflicts in, which shows in what it reports: Linux keeps each owner's
 * locks together, owners in the order they took their first lock, each owner's sorted by start and
 * with touching locks of one type merged.
 */
function ordered(old: RecordLock[], locks: RecordLock[], owner: object): RecordLock[] {
  const first = old.findIndex((l) => l.owner === owner);
  const others = locks.filter((l) => l.owner !== owner);
  const before = first < 0 ? others.length : old.slice(0, first).filter((l) => l.owner !== owner).length;
  const mine = locks.filter((l) => l.owner === owner).sort((x, y) => x.start - y.start);
  const merged: RecordLock[] = [];
  for (const l of mine) {
    const last = merged[merged.length - 1];
    if (last && last.type === l.type && last.end >= l.start) last.end = Math.max(last.end, l.end);
    else merged.push({ ...l });
  }
  return [...others.slice(0, before), ...merged, ...others.slice(before)];
}

/** close(fd): POSIX drops every record lock the calling process holds on the file. */
export function releaseProcessLocks(t: Task, f: OpenFile): void {
  const table = tables.get(t.kernel);
  if (!table || table.size === 0) return;
  const fl = locksOf(t, f);
  if (typeof fl === "number") return;
  const before = fl.records.length;
  fl.records = fl.records.filter((l) => l.owner !== t.process);
  if (fl.records.length !== before) fl.queue.wakeAll();
}
