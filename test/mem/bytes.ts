// Comparing large byte ranges: a failing toEqual on thousands of bytes makes vitest build a diff
// of every element, which takes long enough to look like a hang (and turns a mutant Stryker should
// count as killed into a timeout). These helpers name the first difference instead.

/** null when a and b hold the same bytes, else where and how they first differ. */
export function mismatch(a: Uint8Array | null, b: Uint8Array | null): string | null {
  if (a === null || b === null) return a === b ? null : `one of them is null`;
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte ${i}: ${a[i]} and ${b[i]}`;
  return null;
}

/** null when every byte is zero, else the offset and value of the first one that is not. */
export function nonZero(a: Uint8Array): string | null {
  const i = a.findIndex((b) => b !== 0);
  return i < 0 ? null : `byte ${i} is ${a[i]}`;
}
