/** Seeded vector fixtures for the projection tests (not a test file itself). */
import { createRandom } from "@/lib/projection/random";

/** `n` random directions in `d` dimensions, unit length, reproducible from `seed`. */
export function randomUnitVectors(n: number, d: number, seed: number): number[][] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => unit(Array.from({ length: d }, () => random() - 0.5)));
}

/**
 * `n` unit vectors in `clusters` tight groups around random centres; vector i belongs to group
 * i % clusters, so labels are known without being stored.
 */
export function clusteredVectors(n: number, d: number, clusters: number, seed: number): number[][] {
  const random = createRandom(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => random() - 0.5));
  return Array.from({ length: n }, (_, i) => unit(centres[i % clusters].map((value) => value + (random() - 0.5) * 0.2)));
}

/** Euclidean distance between two 2-D points. */
export function distance2d(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function unit(vector: number[]): number[] {
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}
