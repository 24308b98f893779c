// The epoll interest list's bookkeeping (src/kernel/events/epoll.ts), which a guest sees only
// indirectly: an item hooks its file's wait queue once and keeps it hooked across wake-ups, and
// EPOLL_CTL_DEL, the epoll's close, or its file's final close leave no hook behind (a hook left on
// a pipe would keep waking an epoll nobody holds).
import { describe, expect, it } from "vitest";
import { createPipe } from "../../src/kernel/vfs/pipe.js";
import { EpollFile, EPOLLET, EPOLLIN } from "../../src/kernel/events/epoll.js";
import { releaseFile, retainFile } from "../../src/kernel/vfs/open-file.js";

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
  it("one hook per item, kept across wake-ups, gone after EPOLL_CTL_DEL", () => {
    const { r, w, ep, queue } = setup();
    ep.add(3, r, EPOLLIN, 1n);
    expect(queue.size).toBe(1);
    w.write(new Uint8Array([1]));
    w.write(new Uint8Array([2]));
    expect(queue.size).toBe(1);
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
