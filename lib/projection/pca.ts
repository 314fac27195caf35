/**
 * Principal component analysis: the straight-line map. Fast, exact for up to three points, and the
 * same new vector always lands in the same place, so it is also the fallback when UMAP cannot run.
 */
import { topEigenpairs } from "./eigen";
import { norm } from "../vectors";
import { withDefaults } from "./options";
import { centerColumns, columnGram, innerProduct, row, rowGram, toDenseMatrix } from "./matrix";

export const defaults = {
  /** Principal components to keep. */
  components: 2,
  /** Seed for the eigen solver's start vectors; the result does not depend on it beyond float noise. */
  seed: 42,
};

export interface PcaOptions {
  /** Components to keep, an integer from 1 to the vectors' dimension. Default 2. */
  components?: number;
  /** Seed for the eigen solver; any integer. Default 42. */
  seed?: number;
}

export interface PcaModel {
  /** Mean of the fitted vectors, subtracted before projecting. */
  mean: number[];
  /**
   * Unit directions, largest explained variance first, each signed so that its largest-magnitude
   * coefficient is positive (first such index on ties). A component with zero variance (more
   * components than points − 1, or identical vectors) is all zeros: there is no direction to learn.
   */
  components: number[][];
  /** Variance along each component (divided by n − 1, as numpy and scikit-learn do; 0 for n = 1). */
  explainedVariance: number[];
  /** explainedVariance / total variance, each in [0, 1]; all 0 when the vectors do not vary. */
  explainedVarianceRatio: number[];
  /** Coordinates of any vectors (fitted or new) on the components: one number per component. */
  project(vectors: readonly ArrayLike<number>[]): number[][];
}

/** Below this fraction of the vectors' mean squared norm a variance is float noise from centring. */
const ZERO_VARIANCE = 1e-20;

/**
 * Fits PCA to `vectors` (n ≥ 1, all the same dimension d). It eigendecomposes the smaller of the
 * two scatter matrices: the n × n Gram matrix XXᵀ when n ≤ d (a handful of 512-d embeddings: a
 * 30 × 30 problem instead of 512 × 512), else the d × d matrix XᵀX. Deterministic.
 */
export function fitPca(vectors: readonly ArrayLike<number>[], options: PcaOptions = {}): PcaModel {
  const { components: count, seed } = withDefaults(defaults, options);
  if (vectors.length === 0) throw new Error("Cannot fit PCA to zero vectors: pass at least one.");
  const data = toDenseMatrix(vectors);
  const { rows: n, columns: d } = data;
  if (!Number.isInteger(count) || count < 1 || count > d) {
    throw new Error(`components must be an integer from 1 to ${d} (the dimension), got ${count}.`);
  }
  const meanSquaredNorm = innerProduct(data.data, data.data) / n;
  const mean = centerColumns(data);
  const divisor = Math.max(n - 1, 1);
  const useGram = n <= d;
  const scatter = useGram ? rowGram(data) : columnGram(data);
  const size = useGram ? n : d;
  let totalScatter = 0;
  for (let i = 0; i < size; i++) totalScatter += scatter[i * size + i];

  const solved = topEigenpairs(scatter, size, Math.min(count, size), { seed });
  const directions: number[][] = [];
  const explainedVariance: number[] = [];
  for (let k = 0; k < count; k++) {
    const value = solved.values[k] ?? 0;
    const variance = value / divisor;
    if (k >= solved.values.length || variance <= ZERO_VARIANCE * meanSquaredNorm) {
      directions.push(new Array<number>(d).fill(0));
      explainedVariance.push(0);
      continue;
    }
    // Gram route: the eigenvector u of XXᵀ gives the direction Xᵀu (then normalised).
    const direction = useGram ? transposeTimes(data.data, n, d, solved.vectors[k]) : solved.vectors[k];
    directions.push(fixSign(unit(direction)));
    explainedVariance.push(variance);
  }
  const totalVariance = totalScatter / divisor;
  const explainedVarianceRatio = explainedVariance.map((variance) =>
    totalVariance > 0 ? Math.min(1, variance / totalVariance) : 0,
  );
  const meanArray = Array.from(mean);

  return {
    mean: meanArray,
    components: directions,
    explainedVariance,
    explainedVarianceRatio,
    project(input) {
      const matrix = toDenseMatrix(input, "vectors", d);
      const centred = new Float64Array(d);
      return Array.from({ length: matrix.rows }, (_, i) => {
        const values = row(matrix, i);
        for (let j = 0; j < d; j++) centred[j] = values[j] - mean[j];
        return directions.map((direction) => innerProduct(direction, centred));
      });
    },
  };
}

export interface PcaProjection {
  /** One [x, y] per vector: the first two principal coordinates (y = 0 for 1-d vectors). */
  points: [number, number][];
  /** The fitted model, for its variances and for placing new vectors with `model.project`. */
  model: PcaModel;
}

/** PCA straight to 2-D points. n = 1 gives [0, 0]; identical vectors all give [0, 0]. */
export function pca(vectors: readonly ArrayLike<number>[], options: Omit<PcaOptions, "components"> = {}): PcaProjection {
  const dimension = vectors[0]?.length ?? 0;
  const model = fitPca(vectors, { ...options, components: Math.min(2, Math.max(dimension, 1)) });
  return { points: model.project(vectors).map(toPoint), model };
}

/** [x, y] from one or more coordinates; a missing y is 0. */
export function toPoint(coordinates: readonly number[]): [number, number] {
  return [coordinates[0] ?? 0, coordinates[1] ?? 0];
}

function transposeTimes(data: Float64Array, n: number, d: number, weights: Float64Array): number[] {
  const result = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    for (let j = 0; j < d; j++) result[j] += w * data[i * d + j];
  }
  return result;
}

function unit(vector: ArrayLike<number>): number[] {
  const length = norm(vector);
  return Array.from(vector, (value) => value / length);
}

/** Largest-magnitude coefficient positive; near-ties (float noise) go to the first index. */
function fixSign(vector: number[]): number[] {
  let largest = 0;
  for (let i = 1; i < vector.length; i++) {
    if (Math.abs(vector[i]) > Math.abs(vector[largest]) + 1e-9) largest = i;
  }
  return vector[largest] < 0 ? vector.map((value) => (value === 0 ? 0 : -value)) : vector;
}
