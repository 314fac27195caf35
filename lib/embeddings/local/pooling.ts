import type { Pooling } from "./known-models";

/** A model's token vectors for a batch: `values` holds [batch, sequence, dims] in row-major order. */
export interface TokenVectors {
  values: ArrayLike<number>;
  batch: number;
  sequence: number;
  dims: number;
}

/**
 * One vector per text from token vectors. `mean` averages the tokens whose `attentionMask` entry
 * is 1 (padding never counts, so a text's vector does not depend on what it was batched with);
 * `cls` takes the first token. With `normalize`, each vector is scaled to unit length (a zero
 * vector stays zero: it has no direction, and the embedding service refuses it by name).
 */
export function poolTokenVectors(
  { values, batch, sequence, dims }: TokenVectors,
  attentionMask: ArrayLike<number | bigint>,
  { pooling, normalize }: { pooling: Pooling; normalize: boolean },
): number[][] {
  const vectors: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const vector = new Array<number>(dims).fill(0);
    if (pooling === "cls") {
      for (let d = 0; d < dims; d++) vector[d] = values[b * sequence * dims + d];
    } else {
      let count = 0;
      for (let s = 0; s < sequence; s++) {
        if (Number(attentionMask[b * sequence + s]) === 0) continue;
        count++;
        const offset = (b * sequence + s) * dims;
        for (let d = 0; d < dims; d++) vector[d] += values[offset + d];
      }
      if (count > 0) for (let d = 0; d < dims; d++) vector[d] /= count;
    }
    vectors.push(normalize ? unitLength(vector) : vector);
  }
  return vectors;
}

function unitLength(vector: number[]): number[] {
  const length = Math.hypot(...vector);
  return length > 0 && Number.isFinite(length) ? vector.map((value) => value / length) : vector;
}
