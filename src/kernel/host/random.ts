// Random bytes for AT_RANDOM, getrandom and /dev/urandom, read from the host's /dev/urandom.
//
// Why not node:crypto: loading it (with the streams it pulls in) costs about 7 ms, a noticeable part
// of a hello-world's start-up, for 16 bytes. Where /dev/urandom cannot be opened, the Web Crypto
// global (in Node since 19, no import) does the job.
import * as fs from "node:fs";

/** getRandomValues fills at most this many bytes per call. */
const WEB_CRYPTO_CHUNK = 65536;

let urandom: number | null | undefined;

function urandomFd(): number | null {
  if (urandom === undefined) {
    try {
      urandom = fs.openSync("/dev/urandom", "r");
    } catch {
      urandom = null;
    }
  }
  return urandom;
}

/** Fills buf with random bytes. */
export function fillRandom(buf: Uint8Array): void {
  const fd = urandomFd();
  let off = 0;
  if (fd !== null) {
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, null);
      if (n <= 0) break;
      off += n;
    }
  }
  for (; off < buf.length; off += WEB_CRYPTO_CHUNK) {
    globalThis.crypto.getRandomValues(buf.subarray(off, Math.min(buf.length, off + WEB_CRYPTO_CHUNK)));
  }
}
