// futex(2): FUTEX_WAIT, FUTEX_WAKE and their BITSET forms, on wait queues keyed by address space and
// address. A waiter parks on the queue; FUTEX_WAKE marks up to n waiters woken and wakes them, and
// their restarted FUTEX_WAIT then returns 0 instead of checking the word again.
import type { SyscallRow, SyscallResult } from "./types.js";
import type { Task } from "../task.js";
import type { AddressSpace } from "../../mem/address-space.js";
import { argInt, argIsNull, argPtr } from "./args.js";
import { E } from "../../abi/gen/errno.js";
import { Blocked, ERESTARTSYS, ERESTART_RESTARTBLOCK, WaitQueue } from "../wait-queue.js";
import { clockNs, readTimespec, wakeAt } from "./time.js";
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from "../../abi/clocks.js";
import type { TimerHandle } from "../world/world.js";

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

/** One parked FUTEX_WAIT, and the futex it waits on now (a requeue moves it). */
interface Waiter {
  task: Task;
  mem: AddressSpace;
  addr: number;
  bitset: number;
  queue: WaitQueue;
  woken: boolean;
  timedOut: boolean;
  timer?: TimerHandle;
}

/**
 * Waiters per futex, in arrival order (FIFO wake-ups, deterministic). A futex is keyed by its
 * address space and address, or, in MAP_SHARED memory, by the shared segment and offset, so that
 * processes sharing the segment meet on it.
 */
const waiters = new WeakMap<object, Map<number, Waiter[]>>();

function futexKey(mem: AddressSpace, addr: number): { key: object; offset: number } {
  return mem.sharedKey(addr) ?? { key: mem, offset: addr };
}
/** The waiter a task left behind when it parked, found again when its FUTEX_WAIT restarts. */
const parked = new WeakMap<Task, Waiter>();

function listFor(mem: AddressSpace, addr: number): Waiter[] {
  const { key, offset } = futexKey(mem, addr);
  let m = waiters.get(key);
  if (!m) waiters.set(key, (m = new Map()));
  let l = m.get(offset);
  if (!l) m.set(offset, (l = []));
  return l;
}

/** Takes w off the list of the futex it waits on. */
function remove(w: Waiter): void {
  const { key, offset } = futexKey(w.mem, w.addr);
  const m = waiters.get(key);
  const l = m?.get(offset);
  if (!l) return;
  const i = l.indexOf(w);
  if (i >= 0) l.splice(i, 1);
  if (l.length === 0) m!.delete(offset);
}

/** What a timed FUTEX_WAIT keeps across its restarts (task.restartData): its deadline. */
class PendingWait {
  constructor(readonly clock: number, readonly deadline: bigint) {}
}

/**
 * FUTEX_WAIT(_BITSET). The timeout is relative for FUTEX_WAIT and an absolute time for
 * FUTEX_WAIT_BITSET, on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME. A signal ends
 * the wait with ERESTARTSYS, or ERESTART_RESTARTBLOCK when it has a timeout (so a restart keeps the
 * deadline), and drops the waiter: a restarted wait checks the word again, as Linux's does.
 */
function wait(t: Task, addr: number, val: number, bitset: number, absolute: boolean, clock: number): SyscallResult {
  const again = parked.get(t);
  if (again) {
    // Woken, or timed out: interruptions drop the waiter (cancel below).
    parked.delete(t);
    again.timer?.cancel();
    remove(again);
    return again.woken ? 0 : -E.ETIMEDOUT;
  }
  if (addr % 4 !== 0) return -E.EINVAL;
  if (bitset === 0) return -E.EINVAL;
  let timeout: PendingWait | null = t.restartData instanceof PendingWait ? t.restartData : null;
  if (!timeout && !argIsNull(t, 3)) {
    const ns = readTimespec(t, argPtr(t, 3));
    if (ns === undefined) return -E.EINVAL;
    timeout = new PendingWait(clock, absolute ? ns : clockNs(t, clock)! + ns);
  }
  const current = t.mem.readI32(addr);
  if (current !== val) return -E.EAGAIN;
  const w: Waiter = { task: t, mem: t.mem, addr, bitset, queue: new WaitQueue(), woken: false, timedOut: false };
  if (timeout) {
    const left = timeout.deadline - clockNs(t, timeout.clock)!;
    if (left <= 0n) return -E.ETIMEDOUT;
    t.restartData = timeout;
    w.timer = wakeAt(t, timeout.clock, timeout.deadline, () => {
      w.timedOut = true;
      w.queue.wakeAll();
    });
  }
  listFor(t.mem, addr).push(w);
  parked.set(t, w);
  const cancel = () => {
    w.timer?.cancel();
    remove(w);
    parked.delete(t);
  };
  return new Blocked(w.queue, timeout ? ERESTART_RESTARTBLOCK : ERESTARTSYS, cancel);
}

function wake(t: Task, addr: number, count: number, bitset: number): number {
  if (bitset === 0) return -E.EINVAL;
  return futexWake(t.mem, addr, count, bitset);
}

/** Wakes up to `count` waiters on `addr` (FUTEX_WAKE; a thread's exit for clear_child_tid and robust futexes). */
export function futexWake(mem: AddressSpace, addr: number, count: number, bitset = FUTEX_BITSET_MATCH_ANY | 0): number {
  const { key, offset } = futexKey(mem, addr);
  const l = waiters.get(key)?.get(offset);
  if (!l) return 0;
  let n = 0;
  for (const w of [...l]) {
    if (n >= count) break;
    if ((w.bitset & bitset) === 0 || w.woken) continue;
    w.woken = true;
    remove(w);
    w.queue.wakeAll();
    n++;
  }
  return n;
}

/**
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wakes up to `wakeCount` waiters of addr and moves up to
 * `moveCount` more to addr2, where they wait on without waking. CMP first checks that addr still
 * holds `expected` (EAGAIN if not). Returns how many were woken and moved.
 */
function requeue(t: Task, addr: number, wakeCount: number, moveCount: number, addr2: number, expected: number | null): number {
  if (addr % 4 !== 0 || addr2 % 4 !== 0) return -E.EINVAL;
  if (wakeCount < 0 || moveCount < 0) return -E.EINVAL;
  if (expected !== null && t.mem.readI32(addr) !== expected) return -E.EAGAIN;
  const woken = futexWake(t.mem, addr, wakeCount);
  const from = waiters.get(futexKey(t.mem, addr).key)?.get(futexKey(t.mem, addr).offset) ?? [];
  const moving = from.filter((w) => !w.woken).slice(0, moveCount);
  for (const w of moving) {
    remove(w);
    w.mem = t.mem;
    w.addr = addr2;
    listFor(t.mem, addr2).push(w);
  }
  return woken + moving.length;
}

// FUTEX_WAKE_OP's operations and comparisons (linux/futex.h), on the word at addr2.
const WAKE_OPS: readonly ((old: number, arg: number) => number)[] = [
  (_old, arg) => arg, // SET
  (old, arg) => old + arg, // ADD
  (old, arg) => old | arg, // OR
  (old, arg) => old & ~arg, // ANDN
  (old, arg) => old ^ arg, // XOR
];
const WAKE_CMPS: readonly ((old: number, arg: number) => boolean)[] = [
  (a, b) => a === b, (a, b) => a !== b, (a, b) => a < b, (a, b) => a <= b, (a, b) => a > b, (a, b) => a >= b,
];

/**
 * FUTEX_WAKE_OP: changes the word at addr2 by the operation encoded in `encoded`, wakes up to
 * `count` waiters of addr, and, if the old value of addr2 passes the encoded comparison, up to
 * `count2` waiters of addr2. Returns the total woken.
 */
function wakeOp(t: Task, addr: number, count: number, count2: number, addr2: number, encoded: number): number {
  if (addr2 % 4 !== 0) return -E.EINVAL;
  const op = (encoded >>> 28) & 7;
  const shift = (encoded >>> 28) & 8;
  const cmp = (encoded >>> 24) & 0xf;
  let oparg = ((encoded >>> 12) & 0xfff) << 20 >> 20;
  const cmparg = (encoded & 0xfff) << 20 >> 20;
  if (shift) oparg = oparg < 0 || oparg > 31 ? 0 : 1 << oparg;
  if (op >= WAKE_OPS.length || cmp >= WAKE_CMPS.length) return -E.ENOSYS;
  const old = t.mem.readI32(addr2);
  t.mem.writeU32(addr2, WAKE_OPS[op](old, oparg) >>> 0);
  let n = futexWake(t.mem, addr, count);
  if (WAKE_CMPS[cmp](old, cmparg)) n += futexWake(t.mem, addr2, count2);
  return n;
}

function futex(t: Task): SyscallResult {
  const addr = argPtr(t, 0);
  const op = argInt(t, 1);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const val = argInt(t, 2);
  switch (cmd) {
    case FUTEX_WAIT:
      return wait(t, addr, val, FUTEX_BITSET_MATCH_ANY | 0, false, CLOCK_MONOTONIC);
    case FUTEX_WAIT_BITSET:
      return wait(t, addr, val, argInt(t, 5), true, op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC);
    case FUTEX_WAKE:
      return wake(t, addr, val, FUTEX_BITSET_MATCH_ANY | 0);
    case FUTEX_WAKE_BITSET:
      return wake(t, addr, val, argInt(t, 5));
    // val2 (a count) comes in the timeout's place.
    case FUTEX_REQUEUE:
      return requeue(t, addr, val, argInt(t, 3), argPtr(t, 4), null);
    case FUTEX_CMP_REQUEUE:
      return requeue(t, addr, val, argInt(t, 3), argPtr(t, 4), argInt(t, 5));
    case FUTEX_WAKE_OP:
      return wakeOp(t, addr, val, argInt(t, 3), argPtr(t, 4), argInt(t, 5));
    default:
      return -E.ENOSYS;
  }
}

export const futexSyscalls: SyscallRow[] = [
  {
    name: "futex", handler: futex, support: "partial",
    note: "FUTEX_WAIT, FUTEX_WAKE, their BITSET forms, FUTEX_REQUEUE, FUTEX_CMP_REQUEUE and FUTEX_WAKE_OP; the PI operations return ENOSYS",
  },
];
