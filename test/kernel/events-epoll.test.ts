// The epoll interest list's bookkeeping (src/kernel/events/epoll.ts), which a guest sees only
// indirectly: an item hooks its file's wait queue once, stops listening while it is on the ready
// list and listens again once polled, and EPOLL_CTL_DEL, the epoll's close, or its file's final
// close leave no hook behind (a hook left on a pipe would keep waking an epoll nobody holds). A
// periodic timerfd in an epoll nobody collects goes quiet, so a deterministic run's virtual clock
// is not kept ticking for ever.
import { describe, expect, it } from "vitest";
import { createPipe } from "../../src/kernel/vfs/pipe.js";
import { EpollFile, EPOLLET, EPOLLIN } from "../../src/kernel/events/epoll.js";
import { releaseFile, retainFile } from "../../src/kernel/vfs/open-file.js";
import { TimerFdFile } from "../../src/kernel/events/timerfd.js";
import { VirtualTimers } from "../../src/kernel/world/virtual-timers.js";
import type { World } from "../../src/kernel/world/world.js";

const TIME = { sec: 0n, nsec: 0n };

function setup() {
  const [r, w] = createPipe(0, TIME, 0, 0);
  retainFile(r);
  retainFile(w);
  const ep = new EpollFile(0, TIME);
  retainFile(ep);
  return { r, w, ep, queue: r.pipe.queue };
}

describe("epoll items and their hooks", () => {
  it("one hook per item, off while ready, back once collected, gone after EPOLL_CTL_DEL", () => {
    const { r, w, ep, queue } = setup();
    ep.add(3, r, EPOLLIN, 1n);
    expect(queue.size).toBe(1);
    w.write(new Uint8Array([1]));
    expect(queue.size).toBe(0);
    w.write(new Uint8Array([2]));
    expect(ep.collect(8)).toEqual([{ events: EPOLLIN, data: 1n }]);
    expect(queue.size).toBe(1);
    w.write(new Uint8Array([3]));
    expect(ep.collect(8)).toEqual([{ events: EPOLLIN, data: 1n }]);
    expect(queue.size).toBe(1);
    ep.drop(ep.find(r, 3)!);
    expect(queue.size).toBe(0);
    expect(ep.collect(8)).toEqual([]);
  });

  it("the epoll's close unhooks every item", () => {
    const { r, w, ep, queue } = setup();
    ep.add(3, r, EPOLLIN | EPOLLET, 1n);
    ep.add(4, w, 4 /* EPOLLOUT */, 2n);
    expect(queue.size).toBe(2);
    releaseFile(ep);
    expect(queue.size).toBe(0);
  });

  it("an item of a file closed for good is dropped at the next wake-up and never reported", () => {
    const { r, w, ep, queue } = setup();
    ep.add(4, w, 4 /* EPOLLOUT */, 2n);
    expect(ep.collect(8)).toEqual([{ events: 4, data: 2n }]);
    releaseFile(w); // the reader is woken: no writer left
    expect(queue.size).toBe(0);
    expect(ep.find(w, 4)).toBeUndefined();
    expect(ep.collect(8)).toEqual([]);
    releaseFile(r);
  });

  it("a wake-up of an epoll watched by another reaches the outer one", () => {
    const { r, w, ep } = setup();
    const outer = new EpollFile(0, TIME);
    retainFile(outer);
    ep.add(3, r, EPOLLIN, 1n);
    outer.add(5, ep, EPOLLIN, 9n);
    expect(outer.collect(8)).toEqual([]);
    let woken = 0;
    outer.queue.add(() => woken++);
    w.write(new Uint8Array([1]));
    expect(woken).toBe(1);
    expect(outer.collect(8)).toEqual([{ events: EPOLLIN, data: 9n }]);
  });
});

it("a periodic timerfd in an epoll nobody collects asks for no more wake-ups", () => {
  const timers = new VirtualTimers();
  let now = 0n;
  const world = { monotonicNs: () => now, setTimer: (d: bigint, cb: () => void) => timers.add(d, cb) } as unknown as World;
  const tf = new TimerFdFile(world, 1, 0, TIME);
  retainFile(tf);
  const ep = new EpollFile(0, TIME);
  retainFile(ep);
  ep.add(3, tf, EPOLLIN, 7n);
  tf.set(1_000_000n, 1_000_000n, false);
  expect(timers.size).toBe(1);
  now = 1_000_000n;
  timers.fireDue(now);
  expect(timers.size).toBe(0);
  now = 5_500_000n;
  expect(ep.collect(8)).toEqual([{ events: EPOLLIN, data: 7n }]);
  expect(timers.size).toBe(1);
  expect(timers.next()).toBe(6_000_000n);
});
