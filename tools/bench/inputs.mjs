// The files the bench's rows read, in a scratch directory that is every run's working directory:
// the scripts of tools/bench/scripts, copied, and generated data (never in git), made only when a
// selected row needs them.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SCRIPTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "scripts");

/** The size of the text busybox's sha256sum, gzip and sort work on. */
export const TEXT_BYTES = 20 * 1024 * 1024;

/**
 * `bytes` of text lines such as "delta kilo 48213 alpha-7\n": words from a small vocabulary (so gzip
 * finds repeats, as in logs or source) and numbers from a fixed-seed xorshift generator, so every
 * run and every machine gets the same bytes, and sort has many distinct keys.
 */
export function generateText(bytes) {
  const words = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
  ];
  let x = 2463534242;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const out = Buffer.alloc(bytes);
  let at = 0;
  while (at < bytes) {
    const r = next();
    const line = `${words[r % 20]} ${words[(r >>> 5) % 20]} ${next() % 100000} ${words[(r >>> 10) % 20]}-${(r >>> 15) % 10}\n`;
    at += out.write(line, at);
  }
  return out;
}

/** The generated inputs by name. */
const GENERATED = {
  "text-20m.txt": () => generateText(TEXT_BYTES),
};

/** A scratch directory holding `names` (scripts or generated data); remove() deletes it. */
export function prepareInputs(names) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rvtrace-bench-"));
  for (const name of new Set(names)) {
    const at = path.join(dir, name);
    if (GENERATED[name]) writeFileSync(at, GENERATED[name]());
    else if (existsSync(path.join(SCRIPTS, name))) copyFileSync(path.join(SCRIPTS, name), at);
    else throw new Error(`bench: no input named ${name} (tools/bench/scripts or inputs.mjs)`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
