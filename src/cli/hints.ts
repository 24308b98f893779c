// Hints for one-line errors: the nearest known spelling of a mistyped option or command, and where an
// option of the other command belongs.

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates nearest to word, when near enough to be a slip (at most a third of its letters,
 * and at least one, differ), or a candidate that starts with it (an abbreviation); empty otherwise.
 */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best = Infinity;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(word, c);
    if (d > limit || d > best) continue;
    if (d < best) found = [];
    best = d;
    found.push(c);
  }
  if (found.length === 0 && word.length >= 4) found = [...new Set(candidates)].filter((c) => c.startsWith(word)).slice(0, 3);
  return found;
}

/** "; did you mean --verbose?" (or "--a or --b?"), or "" when nothing is near. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const found = nearest(word, candidates);
  return found.length === 0 ? "" : `; did you mean ${found.join(" or ")}?`;
}
