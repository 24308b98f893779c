// Waiting for a guest by event-loop turns, not wall time: the scheduler runs between turns
// (setImmediate), so a condition the guest will bring about holds after some number of turns.
// The bound only turns a hang into a failure; it never decides a passing test.

const MAX_TURNS = 200_000;

/** Lets the scheduler run until cond() holds; fails after MAX_TURNS turns. */
export async function turnsUntil(cond: () => boolean, what: string): Promise<void> {
  for (let turn = 0; !cond(); turn++) {
    if (turn === MAX_TURNS) throw new Error(`${what}: not after ${MAX_TURNS} event-loop turns`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Lets the scheduler take n turns (it goes idle once nothing is runnable). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
