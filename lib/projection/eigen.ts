/**
 * The few largest eigenpairs of a symmetric positive semi-definite matrix, by seeded subspace
 * iteration with Rayleigh–Ritz. PCA needs only 1–3 components of a matrix up to ~1024 wide: a full
 * decomposition costs O(size³), this costs O(size² · (count + oversampling)) per iteration, and the
 * extra vectors make it converge even when the wanted eigenvalues are close to each other (plain
 * power iteration with deflation stalls there).
 */
import { innerProduct } from "./matrix";
import { withDefaults } from "./options";
import { createRandom } from "./random";

export const defaults = {
  /** Seed for the random start vectors. Only float noise depends on it. */
  seed: 42,
  /** Extra vectors iterated alongside the wanted ones; more = fewer but dearer iterations. */
  oversampling: 8,
  /**
   * Iteration cap; the best estimate so far is returned when it is reached. Data with structure
   * converges in ~10; pure noise (no gap between eigenvalues) hits the cap with its eigenvalues
   * right to ~5 digits, and there the exact direction means nothing anyway.
   */
  maxIterations: 100,
  /** Stop when every wanted residual ‖Mv − λv‖ is below tolerance × the largest eigenvalue. */
  tolerance: 1e-6,
};

export interface EigenOptions {
  /** Seed for the start vectors; any integer. Default 42. */
  seed?: number;
  /** Extra vectors, ≥ 0. Default 8. */
  oversampling?: number;
  /** Iteration cap, ≥ 1. Default 100. */
  maxIterations?: number;
  /** Relative residual at which to stop, > 0. Default 1e-6. */
  tolerance?: number;
}

/**
 * Largest `count` eigenvalues (descending) and their unit eigenvectors.
 *
 * @param matrix symmetric PSD matrix, row-major, `size × size`.
 * @param count how many pairs, 1 ≤ count ≤ size.
 */
export function topEigenpairs(
  matrix: Float64Array,
  size: number,
  count: number,
  options: EigenOptions = {},
): { values: number[]; vectors: Float64Array[] } {
  const { seed, oversampling, maxIterations, tolerance } = withDefaults(defaults, options);
  if (!Number.isInteger(count) || count < 1 || count > size) {
    throw new Error(`count must be an integer from 1 to ${size}, got ${count}.`);
  }
  const random = createRandom(seed);
  const width = Math.min(size, count + oversampling);
  let basis = orthonormalize(
    Array.from({ length: width }, () => Float64Array.from({ length: size }, () => random() - 0.5)),
    random,
  );
  let ritz = { values: [] as number[], vectors: [] as Float64Array[] };
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const images = basis.map((vector) => multiply(matrix, size, vector));
    // Rayleigh–Ritz: the best approximations to eigenpairs inside span(basis).
    const small = new Float64Array(width * width);
    for (let i = 0; i < width; i++) {
      for (let j = i; j < width; j++) {
        const value = (innerProduct(basis[i], images[j]) + innerProduct(basis[j], images[i])) / 2;
        small[i * width + j] = small[j * width + i] = value;
      }
    }
    const { values, vectors: coefficients } = jacobiEigen(small, width);
    const vectors = coefficients.map((c) => combine(basis, c));
    const vectorImages = coefficients.map((c) => combine(images, c));
    ritz = { values, vectors };
    const scale = Math.max(values[0], 0);
    let residual = 0;
    for (let k = 0; k < count; k++) {
      let sum = 0;
      for (let i = 0; i < size; i++) sum += (vectorImages[k][i] - values[k] * vectors[k][i]) ** 2;
      residual = Math.max(residual, Math.sqrt(sum));
    }
    if (residual <= tolerance * scale || scale === 0) break;
    basis = orthonormalize(vectorImages, random);
  }
  return {
    values: ritz.values.slice(0, count).map((value) => Math.max(value, 0)),
    vectors: ritz.vectors.slice(0, count),
  };
}

/**
 * All eigenpairs of a small symmetric matrix by cyclic Jacobi rotations, eigenvalues descending
 * (ties keep their original order). Vectors are returned as coefficient arrays.
 */
export function jacobiEigen(input: Float64Array, size: number): { values: number[]; vectors: Float64Array[] } {
  const a = Float64Array.from(input);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += a[p * size + q] ** 2;
    if (off === 0 || off <= 1e-30 * diagonalSquares(a, size)) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (apq === 0) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p], akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k], aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p], vkq = v[k * size + q];
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (i, j) => a[j * size + j] - a[i * size + i] || i - j,
  );
  return {
    values: order.map((i) => a[i * size + i]),
    vectors: order.map((i) => Float64Array.from({ length: size }, (_, k) => v[k * size + i])),
  };
}

function diagonalSquares(a: Float64Array, size: number): number {
  let sum = 0;
  for (let i = 0; i < size; i++) sum += a[i * size + i] ** 2;
  return sum;
}

function multiply(matrix: Float64Array, size: number, vector: Float64Array): Float64Array {
  const result = new Float64Array(size);
  for (let i = 0; i < size; i++) result[i] = innerProduct(matrix.subarray(i * size, (i + 1) * size), vector);
  return result;
}


function combine(vectors: Float64Array[], coefficients: Float64Array): Float64Array {
  const result = new Float64Array(vectors[0].length);
  coefficients.forEach((c, j) => {
    for (let i = 0; i < result.length; i++) result[i] += c * vectors[j][i];
  });
  return result;
}

/**
 * Modified Gram–Schmidt, twice for stability. A column that collapses (the matrix has lower rank
 * than the basis is wide) is replaced by a fresh random one, so the basis always stays full.
 */
function orthonormalize(columns: Float64Array[], random: () => number): Float64Array[] {
  const result: Float64Array[] = [];
  for (const column of columns) {
    let candidate = Float64Array.from(column);
    for (let attempt = 0; ; attempt++) {
      const before = Math.sqrt(innerProduct(candidate, candidate));
      for (let pass = 0; pass < 2; pass++) {
        for (const q of result) {
          const projection = innerProduct(q, candidate);
          for (let i = 0; i < candidate.length; i++) candidate[i] -= projection * q[i];
        }
      }
      const after = Math.sqrt(innerProduct(candidate, candidate));
      if (after > 1e-10 * before && after > 0) {
        for (let i = 0; i < candidate.length; i++) candidate[i] /= after;
        break;
      }
      if (attempt > 10) throw new Error("Could not extend the basis: the matrix is too small.");
      candidate = Float64Array.from(column, () => random() - 0.5);
    }
    result.push(candidate);
  }
  return result;
}
