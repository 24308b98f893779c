// Which descriptor numbers are in use, kept so that "the lowest free number at or above m" takes
// O(log n) whatever the pattern of opens and closes (Linux keeps a bitmap and a second bitmap of full
// words for the same reason: a table of 100,000 open files must not be scanned at each open).
//
// A tree of bitmaps, 32 ways wide: level 0 has one bit per slot (1 = in use); level k+1 has one bit
// per 32-bit word of level k (1 = that word is full). The lowest free slot at or above m is found
// by looking in m's word, and if it is full, asking the level above for the next word that is not
// full: at most two words per level, and there are log32(capacity) levels. Slots at and past the
// capacity are free; the capacity grows 32-fold when a slot past it is taken.

const WORD = 32;
/** Slots tracked at first: one word at level 1 (1,024 covers the default RLIMIT_NOFILE). */
const FIRST_CAPACITY = WORD * WORD;

/** Index of the lowest set bit of a non-zero 32-bit value. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export class FreeSlots {
  /** levels[0] has a bit per slot; the last level is a single word. */
  private levels: Uint32Array[] = [];
  private capacity = 0;

  constructor(capacity = FIRST_CAPACITY) {
    this.build(capacity);
  }

  /** The lowest slot at or above `from` that is not in use. */
  lowestFree(from = 0): number {
    if (from >= this.capacity) return from;
    const found = this.find(0, from);
    return found < 0 ? this.capacity : found;
  }

  isUsed(slot: number): boolean {
    return slot < this.capacity && (this.levels[0][slot >>> 5] & (1 << (slot & 31))) !== 0;
  }

  markUsed(slot: number): void {
    while (slot >= this.capacity) this.grow();
    for (let k = 0, i = slot; k < this.levels.length; k++, i >>>= 5) {
      const words = this.levels[k];
      const w = i >>> 5;
      words[w] |= 1 << (i & 31);
      // The word above learns of this one only when it has just become full.
      if (words[w] !== 0xffffffff) return;
    }
  }

  markFree(slot: number): void {
    if (slot >= this.capacity) return;
    for (let k = 0, i = slot; k < this.levels.length; k++, i >>>= 5) {
      const words = this.levels[k];
      const w = i >>> 5;
      const wasFull = words[w] === 0xffffffff;
      words[w] &= ~(1 << (i & 31));
      // Only a word that was full is marked in the level above.
      if (!wasFull) return;
    }
  }

  /** An independent copy (fork copies the descriptor table). */
  clone(): FreeSlots {
    const c = new FreeSlots(this.capacity);
    c.levels = this.levels.map((l) => l.slice());
    return c;
  }

  /** The lowest unit ≥ pos at level k whose bit is clear, or -1 when every one is set. */
  private find(k: number, pos: number): number {
    const words = this.levels[k];
    const w = pos >>> 5;
    if (w < words.length) {
      const clear = ~words[w] & (0xffffffff << (pos & 31));
      if (clear !== 0) return (w << 5) + lowestBit(clear);
    }
    if (k + 1 === this.levels.length) return -1;
    // The next word of this level with a clear bit is the next clear bit of the level above.
    const next = this.find(k + 1, w + 1);
    if (next < 0 || next >= words.length) return -1;
    return (next << 5) + lowestBit(~words[next]);
  }

  private build(capacity: number): void {
    this.capacity = capacity;
    this.levels = [];
    for (let units = capacity; ; units = Math.ceil(units / WORD)) {
      this.levels.push(new Uint32Array(Math.ceil(units / WORD)));
      if (units <= WORD) break;
    }
  }

  /** 32 times the capacity: the used slots are marked again in the bigger tree (amortised O(1) each). */
  private grow(): void {
    const old = this.levels[0];
    this.build(this.capacity * WORD);
    for (let w = 0; w < old.length; w++) {
      for (let bits = old[w]; bits !== 0; bits &= bits - 1) this.markUsed((w << 5) + lowestBit(bits));
    }
  }
}
