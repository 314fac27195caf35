/**
 * Seeded pseudo-random numbers, so every projection is reproducible: the same input and the same
 * seed give the same map, on the server and in the browser alike.
 */

export const defaults = {
  /** Seed used when none is given. Any integer; only its low 32 bits matter. */
  seed: 42,
};

/**
 * A mulberry32 generator: numbers in [0, 1), uniform, period 2^32. Small and fast rather than
 * cryptographic; two generators made with the same seed yield the same sequence.
 *
 * @param seed any finite number; it is truncated to a 32-bit integer (so 1.5 acts as 1). Default 42.
 * @returns a function returning the next number in [0, 1) on each call.
 */
export function createRandom(seed: number = defaults.seed): () => number {
  if (!Number.isFinite(seed)) {
    throw new Error(`seed must be a finite number, got ${seed}: pass an integer such as 42.`);
  }
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
