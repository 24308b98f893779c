// Makes sure what the tests run is built from the current sources: dist/ (tsc) and the command's
// bundle that bin/rvtrace.js loads (tools/build-cli.mjs). `npm test` builds first, so this normally
// does nothing; it rebuilds when a test file is run on its own after a change. It never rebuilds
// needlessly: other test files may be running the command from dist/ at the same time.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : -1;
}

/** The newest modification time of the files under dir. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const entry = path.join(ROOT, "dist", "cli", "entry.js");
  const bundle = path.join(ROOT, "dist", "rvtrace.cjs");
  if (mtime(entry) >= newest(path.join(ROOT, "src")) && mtime(bundle) >= mtime(entry)) return;
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.json")], { cwd: ROOT, stdio: "pipe" });
  execFileSync(process.execPath, [path.join(ROOT, "tools", "build-cli.mjs")], { cwd: ROOT, stdio: "pipe" });
}
