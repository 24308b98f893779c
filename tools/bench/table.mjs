// The bench's arithmetic and its printed table: medians of the interleaved runs, the figures of a
// row, and a Markdown table of them (pasted into the README as it is). Pure functions, unit-tested
// in test/tools/bench-table.test.ts.

/** The median of a non-empty list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The figures of one measured row from its runs' seconds ({ rvtrace, qemu, noJit }: arrays) and
 * the guest instruction count: medians, rvtrace's time over qemu's, guest instructions per second of
 * rvtrace's whole run (start-up included, as a user waits for it), and the tier-off time over the
 * tier-on time (below 1 when the compiled tier makes the program slower).
 */
export function summarize(seconds, instructions) {
  const rvtrace = median(seconds.rvtrace);
  const qemu = median(seconds.qemu);
  const noJit = median(seconds.noJit);
  return {
    instructions,
    rvtrace,
    qemu,
    ratio: rvtrace / qemu,
    mips: instructions / rvtrace / 1e6,
    noJit,
    tierGain: noJit / rvtrace,
  };
}

export const HEADER = ["row", "guest instructions", "rvtrace s", "qemu s", "rvtrace / qemu", "rvtrace M instr/s", "tier off s", "tier off / on"];

/** A row's table cells: figures for a measured row, its reason in the second cell otherwise. */
export function cells(row) {
  if (row.skipped) return [row.name, `skipped: ${row.skipped}`, "", "", "", "", "", ""];
  if (row.failed) return [row.name, `FAILED: ${row.failed}`, "", "", "", "", "", ""];
  const f = row.figures;
  return [
    row.name,
    f.instructions.toLocaleString("en-US"),
    f.rvtrace.toFixed(3),
    f.qemu.toFixed(3),
    `${f.ratio.toFixed(1)}×`,
    f.mips.toFixed(1),
    f.noJit.toFixed(3),
    `${f.tierGain.toFixed(2)}×`,
  ];
}

/** A Markdown table: the header, the alignment line (text left, figures right), one line per row. */
export function markdownTable(header, rows) {
  const line = (c) => `| ${c.join(" | ")} |`;
  const align = header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [line(header), line(align), ...rows.map(line)].join("\n");
}
