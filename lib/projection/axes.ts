/**
 * Semantic axes: place vectors along directions the user names with two ends ("man" → "woman"),
 * instead of directions a fit finds. Linear, so new vectors can be placed without refitting.
 */
import { dot, mean, norm } from "../vectors";
import { toDenseMatrix, toRows } from "./matrix";
import { withDefaults } from "./options";
import { fitPca, type PcaModel } from "./pca";

export const defaults = {
  /** Seed for the residual PCA's eigen solver (only float noise depends on it). */
  seed: 42,
};

/** An axis given by its two ends: `from` lands at −1, `to` at +1. */
export type AxisEnds = readonly [from: ArrayLike<number>, to: ArrayLike<number>];

export interface AxesOptions {
  /** The horizontal axis. Required. */
  x: AxisEnds;
  /**
   * The vertical axis. Optional: without it, y is the first principal component of what x leaves
   * unexplained (see `projectOnAxes`), so a one-axis view still spreads points apart.
   */
  y?: AxisEnds;
  /** Seed for the residual PCA; any integer. Default 42. */
  seed?: number;
}

export interface AxesProjection {
  /** One [x, y] per vector, in input order. */
  points: [number, number][];
  /**
   * What y measures: "axis" (the given y axis), "residual" (first principal component of the
   * residual), or "none" (y = 0: fewer than two vectors, or nothing varies off the x axis).
   */
  y: "axis" | "residual" | "none";
  /** Places new vectors on the same axes, with the same scaling; the fitted points do not move. */
  place(newVectors: readonly ArrayLike<number>[]): [number, number][];
}

/**
 * Coordinates along semantic axes. For an axis (from, to) with d = to − from and mid = (from + to) / 2:
 *
 *   coordinate(v) = ((v − mid) · d) / (|d|² / 2)   =   ((v − mid) · d̂) / (|d| / 2)
 *
 * so `from` ↦ −1, `to` ↦ +1, mid ↦ 0, and one unit is half the distance between the ends. Vectors
 * are used as given (normalise them first for cosine geometry). A given y axis is measured the same
 * way along its own direction, not orthogonalised against x: each coordinate reads "how far from
 * `from` towards `to`". Without a y axis, y is the first principal component of the vectors with
 * their x-direction part removed (v − (v · d̂) d̂), in the same units as x (divided by |d| / 2), so
 * the map's aspect ratio is honest.
 */
export function projectOnAxes(vectors: readonly ArrayLike<number>[], options: AxesOptions): AxesProjection {
  const { x, y, seed } = withDefaults(defaults, options);
  const dimension = x?.[0]?.length ?? 0;
  const measureX = axisMeasure(x, "x", dimension);
  toDenseMatrix(vectors, "vectors", dimension);
  if (y) {
    const measureY = axisMeasure(y, "y", dimension);
    const place = (input: readonly ArrayLike<number>[]): [number, number][] => {
      toDenseMatrix(input, "newVectors", dimension);
      return input.map((vector) => [measureX.at(vector), measureY.at(vector)]);
    };
    return { points: place(vectors), y: "axis", place };
  }

  const residual = (vector: ArrayLike<number>) => {
    const along = dot(vector, measureX.direction);
    return Array.from(vector, (value, i) => value - along * measureX.direction[i]);
  };
  let model: PcaModel | undefined;
  if (vectors.length >= 2) {
    const fitted = fitPca(vectors.map(residual), { components: 1, seed });
    if (fitted.explainedVariance[0] > 0) model = fitted;
  }
  const place = (input: readonly ArrayLike<number>[]): [number, number][] => {
    toDenseMatrix(input, "newVectors", dimension);
    const ys = model ? model.project(input.map(residual)).map(([value]) => value / measureX.halfLength) : null;
    return input.map((vector, i) => [measureX.at(vector), ys ? ys[i] : 0]);
  };
  return { points: place(vectors), y: model ? "residual" : "none", place };
}

/** The unit direction of an axis, its half-length, and the coordinate function described above. */
function axisMeasure(ends: AxisEnds, name: "x" | "y", dimension: number) {
  if (!Array.isArray(ends) || ends.length !== 2) {
    throw new Error(`${name} must be a pair [from, to] of vectors.`);
  }
  const [from, to] = toRows(toDenseMatrix(ends, name, dimension));
  const difference = to.map((value, i) => value - from[i]);
  const length = norm(difference);
  if (length === 0) {
    throw new Error(`${name} axis: from and to are the same vector, so it has no direction. Pick two different ends.`);
  }
  const direction = difference.map((value) => value / length);
  const middle = mean([from, to]);
  const halfLength = length / 2;
  const offset = dot(middle, direction);
  return {
    direction,
    halfLength,
    at: (vector: ArrayLike<number>) => (dot(vector, direction) - offset) / halfLength,
  };
}
