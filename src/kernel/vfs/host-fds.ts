// Host descriptors rvtrace holds open for guests (their open files and directories, /dev/tty).
// A guest's own limit (RLIMIT_NOFILE, --max-fds) is per process, and a guest running as root may
// raise it; whatever it does, the host descriptors rvtrace itself needs (its stdio, the trace file,
// engines' files, WebAssembly) must stay available. So every host descriptor opened for a guest is
// counted here, across all runs in this Node process, and past a cap (the host's own limit less a
// reserve) the guest's open fails with ENFILE, Linux's "too many open files in the system".
import * as fs from "node:fs";
import { hostFsCalls } from "./host-calls.js";

/** Descriptors kept back for rvtrace itself. */
export const HOST_FD_RESERVE = 256;

let held = 0;
let hostLimit: number | null = null;

/** The host's soft RLIMIT_NOFILE (Node raises it to the hard limit at start), 1024 if unknown. */
function hostSoftLimit(): number {
  if (hostLimit !== null) return hostLimit;
  hostLimit = 1024;
  try {
    const line = fs.readFileSync("/proc/self/limits", "latin1").split("\n").find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft !== undefined && /^\d+$/.test(soft)) hostLimit = Number(soft);
    else if (soft === "unlimited") hostLimit = 1 << 20;
  } catch {
    // Not Linux's /proc: keep the conservative default.
  }
  return hostLimit;
}

/** How many host descriptors guests may hold at once: `wanted` if given, never past the host's room. */
export function hostFdCap(wanted?: number): number {
  const room = Math.max(16, hostSoftLimit() - HOST_FD_RESERVE);
  return wanted === undefined ? room : Math.min(wanted, room);
}

/** Host descriptors held for guests now. */
export function hostFdsHeld(): number {
  return held;
}

/** fs.openSync, counted; throws an ENFILE error (hostErrno maps it) when `cap` are held already. */
export function openHostFd(cap: number, path: string | Buffer, flags: number, mode?: number): number {
  if (held >= cap) throw Object.assign(new Error("too many host descriptors held for guests"), { code: "ENFILE" });
  hostFsCalls.count++;
  const fd = mode === undefined ? fs.openSync(path, flags) : fs.openSync(path, flags, mode);
  held++;
  return fd;
}

/** fs.closeSync of a descriptor from openHostFd; a host error has nowhere to go (the guest's close succeeded). */
export function closeHostFd(fd: number): void {
  held--;
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing the guest could be told.
  }
}
