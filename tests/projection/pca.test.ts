import { describe, expect, it } from "vitest";
import { jacobiEigen } from "@/lib/projection/eigen";
import { defaults, fitPca, pca } from "@/lib/projection/pca";
import { randomUnitVectors } from "./fixtures";

/** Spread 2 along x, 1 along y, nothing along z: the answer is the axes themselves. */
const cross = [
  [-2, 0, 0],
  [2, 0, 0],
  [0, 1, 0],
  [0, -1, 0],
];

function expectVectorClose(actual: number[], expected: number[], digits = 9) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], digits));
}

describe("fitPca(vectors)", () => {
  it("orders components by explained variance", () => {
    const model = fitPca(cross);
    expectVectorClose(model.components[0], [1, 0, 0]);
    expectVectorClose(model.components[1], [0, 1, 0]);
    expectVectorClose(model.explainedVariance, [8 / 3, 2 / 3]);
    expectVectorClose(model.explainedVarianceRatio, [0.8, 0.2]);
    expectVectorClose(model.mean, [0, 0, 0]);
  });

  it("gives the same answer through the Gram matrix (n ≤ d) as through XᵀX (n > d)", () => {
    const covariance = fitPca(cross); // 4 points in 3-d
    const gram = fitPca(cross.map((vector) => [...vector, 0, 0, 0])); // 4 points in 6-d
    expectVectorClose(gram.components[0], [...covariance.components[0], 0, 0, 0]);
    expectVectorClose(gram.components[1], [...covariance.components[1], 0, 0, 0]);
    expectVectorClose(gram.explainedVariance, covariance.explainedVariance);
  });

  it("matches a full eigendecomposition of the covariance on random data", () => {
    const vectors = randomUnitVectors(40, 6, 11);
    const model = fitPca(vectors, { components: 3 });
    const mean = model.mean;
    const covariance = new Float64Array(36);
    for (const vector of vectors) {
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 6; j++) covariance[i * 6 + j] += ((vector[i] - mean[i]) * (vector[j] - mean[j])) / 39;
      }
    }
    const exact = jacobiEigen(covariance, 6);
    for (let k = 0; k < 3; k++) {
      expect(model.explainedVariance[k]).toBeCloseTo(exact.values[k], 9);
      const alignment = model.components[k].reduce((sum, value, i) => sum + value * exact.vectors[k][i], 0);
      expect(Math.abs(alignment)).toBeCloseTo(1, 6);
    }
  });

  it("makes each component's largest coefficient positive", () => {
    const line = [-1, 0, 1].map((t) => [-3 * t, t, 0]);
    expectVectorClose(fitPca(line, { components: 1 }).components[0], [3 / Math.sqrt(10), -1 / Math.sqrt(10), 0]);
    const flipped = [-1, 0, 1].map((t) => [3 * t, -t, 0]);
    expect(fitPca(flipped, { components: 1 }).components).toEqual(fitPca(line, { components: 1 }).components);
  });

  it("gives identical results every run and the same directions for any seed", () => {
    const vectors = randomUnitVectors(300, 64, 2);
    const first = fitPca(vectors);
    const again = fitPca(vectors);
    expect(again.components).toEqual(first.components);
    expect(again.project(vectors)).toEqual(first.project(vectors));
    const otherSeed = fitPca(vectors, { seed: 7 });
    first.components.forEach((component, k) => expectVectorClose(otherSeed.components[k], component, 5));
  });

  it("puts a single vector at the origin with zero variance", () => {
    const model = fitPca([[1, 2, 3]]);
    expect(model.project([[1, 2, 3]])).toEqual([[0, 0]]);
    expect(model.explainedVariance).toEqual([0, 0]);
    expect(model.explainedVarianceRatio).toEqual([0, 0]);
    expect(model.components).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("puts two vectors on the first axis, symmetric about the origin", () => {
    const model = fitPca([
      [0, 0],
      [3, 4],
    ]);
    expectVectorClose(model.components[0], [0.6, 0.8]);
    expect(model.components[1]).toEqual([0, 0]);
    expectVectorClose(model.explainedVarianceRatio, [1, 0]);
    expectVectorClose(model.project([[0, 0]])[0], [-2.5, 0]);
    expectVectorClose(model.project([[3, 4]])[0], [2.5, 0]);
  });

  it("maps identical vectors to zeros, never NaN", () => {
    const same = Array.from({ length: 5 }, () => [0.1, 0.7, 0.3]);
    const model = fitPca(same);
    expect(model.project(same)).toEqual(same.map(() => [0, 0]));
    expect(model.explainedVarianceRatio).toEqual([0, 0]);
  });

  it("projects new vectors onto the fitted components", () => {
    const model = fitPca(cross);
    expectVectorClose(model.project([[4, -1, 9]])[0], [4, -1]);
  });

  it("throws on no vectors, a bad component count, or new vectors of another dimension", () => {
    expect(() => fitPca([])).toThrow("Cannot fit PCA to zero vectors: pass at least one.");
    expect(() => fitPca(cross, { components: 4 })).toThrow(
      "components must be an integer from 1 to 3 (the dimension), got 4.",
    );
    expect(() => fitPca(cross).project([[1, 2]])).toThrow("vectors[0] has 2 dimensions, expected 3");
  });

  it("has documented defaults", () => {
    expect(defaults).toEqual({ components: 2, seed: 42 });
    expect(fitPca(cross).components).toHaveLength(2);
  });
});

describe("pca(vectors)", () => {
  it("returns [x, y] points and the model", () => {
    const { points, model } = pca(cross);
    points.forEach((point, i) => expectVectorClose(point, cross[i].slice(0, 2)));
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(0.8, 9);
  });

  it("sets y to 0 for one-dimensional vectors", () => {
    expect(pca([[1], [3]]).points).toEqual([
      [-1, 0],
      [1, 0],
    ]);
  });
});
