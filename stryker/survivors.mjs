// `node stryker/survivors.mjs GROUP`: the mutants of a group's last run that no test detected
// (Survived, NoCoverage), one a line: file:line:column, mutator, the original code and what it
// became. Reads reports/mutation/GROUP.incremental.json.
import { readFileSync } from "node:fs";

const name = process.argv[2];
const report = JSON.parse(readFileSync(`reports/mutation/${name}.incremental.json`, "utf8"));
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const lines = source.split("\n");
  const sorted = [...mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of sorted) {
    if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
    const { start, end } = m.location;
    const original = start.line === end.line
      ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
      : `${lines[start.line - 1].slice(start.column - 1)} ...`;
    const shorten = (s) => (s.length > 70 ? `${s.slice(0, 67)}...` : s).replace(/\s+/g, " ");
    console.log(`${file}:${start.line}:${start.column} ${m.status} ${m.mutatorName}: ${shorten(original)} -> ${shorten(m.replacement ?? "")}`);
  }
}
