// The host terminal's settings as the guest sees and sets them. TCSETS keeps the guest's termios,
// TCGETS reads it back, and the settings that decide what a person at the terminal sees are
// mirrored on the host's own terminal with stty: line editing (ICANON), echo (ECHO), the signal
// keys (ISIG: ^C and ^Z reach rvtrace, which passes them on), CR to NL on input, output
// processing. Without this a shell's line editor, which turns echo off and echoes by itself, was
// echoed twice. The host terminal's own settings come back when the run ends (restoreHostTerminal).
import { createRequire } from "node:module";
import { SIZEOF, TERMIOS_DEFAULT } from "../../abi/fs.js";

/** The guest's termios (struct termios of asm-generic, SIZEOF.termios bytes), once it has set one. */
let current: Uint8Array | null = null;
/** `stty -g` of the host terminal before rvtrace first changed it, and the fd it was read on. */
let saved: { settings: string; fd: number } | null = null;

/** The termios the guest last set, or the cooked-mode default of a fresh terminal. */
export function guestTermios(): Uint8Array {
  if (current) return current.slice();
  const t = new Uint8Array(SIZEOF.termios);
  const v = new DataView(t.buffer);
  v.setUint32(0, TERMIOS_DEFAULT.iflag, true);
  v.setUint32(4, TERMIOS_DEFAULT.oflag, true);
  v.setUint32(8, TERMIOS_DEFAULT.cflag, true);
  v.setUint32(12, TERMIOS_DEFAULT.lflag, true);
  t.set(TERMIOS_DEFAULT.cc, 17);
  return t;
}

// The flags mirrored on the host, as stty spells them: [word offset, bit, stty name].
const MIRRORED: readonly [number, number, string][] = [
  [0, 0x100, "icrnl"],
  [0, 0x400, "ixon"],
  [4, 0x1, "opost"],
  [4, 0x4, "onlcr"],
  [12, 0x1, "isig"],
  [12, 0x2, "icanon"],
  [12, 0x8, "echo"],
  [12, 0x8000, "iexten"],
];
const VTIME = 5;
const VMIN = 6;

/** TCSETS*: keeps the guest's termios and, for the host's own terminal (hostFd), applies it there. */
export function setGuestTermios(bytes: Uint8Array, hostFd: number | null): void {
  current = bytes.slice();
  if (hostFd === null) return;
  const v = new DataView(current.buffer);
  const args = MIRRORED.map(([at, bit, name]) => (v.getUint32(at, true) & bit ? name : `-${name}`));
  args.push("min", String(current[17 + VMIN]), "time", String(current[17 + VTIME]));
  if (saved === null) {
    const r = stty(hostFd, ["-g"]);
    if (r === null) return;
    saved = { settings: r, fd: hostFd };
  }
  stty(hostFd, args);
}

/** Puts the host terminal back as it was before the guest changed it (at the end of a run). */
export function restoreHostTerminal(): void {
  if (saved === null) return;
  stty(saved.fd, [saved.settings]);
  saved = null;
  current = null;
}

/** Runs stty on the terminal open as host fd `fd`; its output, or null if it failed. */
function stty(fd: number, args: string[]): string | null {
  const { spawnSync } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
  const r = spawnSync("stty", args, { stdio: [fd, "pipe", "ignore"], encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}
