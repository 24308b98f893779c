// Host timers for guest waits of any length. Node's timers take at most 2^31 - 1 ms: a longer delay
// becomes 1 ms (with a warning on stderr), so a guest's setitimer or futex timeout of a month fired at
// once (found by the syscall fuzzer). Longer waits are a chain of timers.

/** The longest delay one Node timer takes. */
const MAX_DELAY = 2 ** 31 - 1;

/** A pending host timer; clearLongTimeout stops it. */
export interface LongTimeout {
  handle: ReturnType<typeof setTimeout>;
}

/** Calls fn after `ms` milliseconds (any length; negative or NaN means now). */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  const timer = {} as LongTimeout;
  let left = ms > 0 ? ms : 0;
  const arm = () => {
    const step = Math.min(left, MAX_DELAY);
    left -= step;
    timer.handle = setTimeout(left > 0 ? arm : fn, step);
  };
  arm();
  return timer;
}

export function clearLongTimeout(timer: LongTimeout): void {
  clearTimeout(timer.handle);
}
