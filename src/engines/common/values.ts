// Values in engine options: errno names and numbers, signal names and numbers, and integers written
// as strace's strtoull(…, 0) reads them (decimal, 0x hex, 0 octal), with an optional sign.
import { ERRNO_TABLE } from "../../abi/gen/errno.js";
import { NSIG, SIGNALS } from "../../abi/signals.js";

/** strace's MAX_ERRNO_VALUE: error= takes 1…4095. */
export const MAX_ERRNO = 4095;

/** An errno name (case-insensitive, as strace's find_errno_by_name) or number 1…4095; undefined if neither. */
export function parseErrno(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= MAX_ERRNO ? n : undefined;
  }
  const upper = text.toUpperCase();
  return ERRNO_TABLE.find(([name]) => name === upper)?.[1];
}

/** The name of an errno value ("ENOENT"), or its number as text. */
export function errnoName(errno: number): string {
  return ERRNO_TABLE.find(([, n]) => n === errno)?.[0] ?? String(errno);
}

/** A signal name (SIGUSR1, USR1, usr1) or number 1…64; undefined if neither. */
export function parseSignal(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= NSIG ? n : undefined;
  }
  let upper = text.toUpperCase();
  if (upper.startsWith("SIG")) upper = upper.slice(3);
  const rt = /^RT([0-9]+)$/.exec(upper);
  if (rt) {
    const n = 32 + Number(rt[1]);
    return n <= NSIG ? n : undefined;
  }
  return SIGNALS.find(([, name]) => name === `SIG${upper}`)?.[0];
}

/**
 * An integer as strtoull(…, 0) reads it (decimal, 0x… hex, 0… octal), optionally signed, that fits
 * in 64 bits (signed or unsigned). Returns the register value (signed 64-bit), or undefined.
 */
export function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2];
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith("0")) v = BigInt(`0o${digits.slice(1)}`);
  else v = BigInt(digits);
  if (m[1] === "-") v = -v;
  if (v < -(2n ** 63n) || v >= 2n ** 64n) return undefined;
  return BigInt.asIntN(64, v);
}
