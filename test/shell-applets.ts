// A directory of links to Debian's riscv64 busybox (guests/shells/, from tools/fetch-shells.sh), one
// per applet the shell tests call, to be the guest's PATH; mounted read-only at its own path.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SHELLS = path.join(ROOT, "guests", "shells");

const APPLETS = ["sh", "printf", "tr", "sort", "uniq", "head", "tail", "grep", "env", "cut", "cat", "wc", "sleep", "true", "false", "echo", "expr", "sed", "kill", "test", "[",
  // For the private /tmp's cases (shells-live.test.ts).
  "seq", "md5sum", "mktemp", "mkdir", "ln", "ls", "mv", "rm", "stat"];

export interface Applets {
  /** The directory to put on the guest's PATH. */
  bin: string;
  /** rvtrace run options that make the applets and the shells visible to the guest. */
  mounts: string[];
  dispose(): void;
}

export function makeApplets(): Applets {
  const dir = mkdtempSync(path.join(tmpdir(), "rvtrace-applets-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  for (const a of APPLETS) symlinkSync(path.join(SHELLS, "busybox"), path.join(bin, a));
  return {
    bin,
    mounts: ["--mount", `${dir}:${dir}:ro`, "--mount", `${SHELLS}:${SHELLS}:ro`],
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
