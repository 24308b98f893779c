// The shape of a constant ("xlat") table, as strace keeps them in xlat/*.in: a list of names and values,
// in the order strace prints them. For flag sets the order matters: names are matched first to last,
// so a multi-bit name (O_SYNC, O_TMPFILE, STATX_ALL) must come before the names whose bits it covers.

/** One constant: its name as strace prints it, and its value. */
export type XlatEntry = readonly [name: string, value: bigint];

/** A constant table: entries in strace's print order. */
export interface Xlat {
  readonly entries: readonly XlatEntry[];
}

/** Builds a table from [name, value] rows; values may be written as numbers when they fit in 53 bits. */
export function xlat(rows: readonly (readonly [string, number | bigint])[]): Xlat {
  return { entries: rows.map(([name, value]) => [name, BigInt.asUintN(64, BigInt(value))] as const) };
}

/** A table of consecutive values from `first`: names[i] has the value first + i; "" leaves a gap. */
export function xlatSeq(names: readonly string[], first = 0): Xlat {
  const rows: [string, number][] = [];
  names.forEach((name, i) => {
    if (name !== "") rows.push([name, first + i]);
  });
  return xlat(rows);
}

/** The name of `value` in a table of single values, or undefined. */
export function xlatName(x: Xlat, value: bigint): string | undefined {
  const v = BigInt.asUintN(64, value);
  for (const [name, val] of x.entries) if (val === v) return name;
  return undefined;
}
