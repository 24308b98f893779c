// Random bytes from a seed, for --deterministic: the ChaCha20 stream (RFC 8439's block function,
// with the original 64-bit block counter in words 12 and 13 and a zero nonce), keyed by the seed.
// A stream cipher rather than a small PRNG because guests use these bytes as keys, salts and hash
// seeds, and the same seed must give the same bytes on every machine, which a cipher's fixed
// specification guarantees.

/** "expand 32-byte k" as four little-endian words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

function rotl(v: number, n: number): number {
  return (v << n) | (v >>> (32 - n));
}

function quarterRound(x: Uint32Array, a: number, b: number, c: number, d: number): void {
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
}

/** The ChaCha20 block function: 64 bytes of key stream for a 16-word input state. */
export function chachaBlock(state: Uint32Array, out: Uint8Array): void {
  const x = new Uint32Array(state);
  for (let i = 0; i < 10; i++) {
    quarterRound(x, 0, 4, 8, 12);
    quarterRound(x, 1, 5, 9, 13);
    quarterRound(x, 2, 6, 10, 14);
    quarterRound(x, 3, 7, 11, 15);
    quarterRound(x, 0, 5, 10, 15);
    quarterRound(x, 1, 6, 11, 12);
    quarterRound(x, 2, 7, 8, 13);
    quarterRound(x, 3, 4, 9, 14);
  }
  const v = new DataView(out.buffer, out.byteOffset, 64);
  for (let i = 0; i < 16; i++) v.setUint32(i * 4, (x[i] + state[i]) >>> 0, true);
}

export class SeededRandom {
  private readonly state = new Uint32Array(16);
  private readonly block = new Uint8Array(64);
  /** Bytes of `block` not handed out yet (taken from its end). */
  private left = 0;

  /** @param seed 0 ≤ seed < 2^64: the key's first eight bytes, little-endian; the rest are zero. */
  constructor(seed: bigint) {
    this.state.set(SIGMA, 0);
    this.state[4] = Number(BigInt.asUintN(32, seed));
    this.state[5] = Number(BigInt.asUintN(32, seed >> 32n));
  }

  fill(buf: Uint8Array): void {
    let off = 0;
    while (off < buf.length) {
      if (this.left === 0) this.refill();
      const n = Math.min(this.left, buf.length - off);
      const start = 64 - this.left;
      buf.set(this.block.subarray(start, start + n), off);
      this.left -= n;
      off += n;
    }
  }

  private refill(): void {
    chachaBlock(this.state, this.block);
    this.left = 64;
    // The 64-bit block counter.
    this.state[12] = (this.state[12] + 1) >>> 0;
    if (this.state[12] === 0) this.state[13] = (this.state[13] + 1) >>> 0;
  }
}
