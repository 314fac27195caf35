import { describe, expect, it } from "vitest";
import { defaults, jacobiEigen, topEigenpairs } from "@/lib/projection/eigen";
import { createRandom } from "@/lib/projection/random";

/** A random symmetric PSD matrix with the given eigenvalues (QΛQᵀ with a seeded rotation). */
function withEigenvalues(values: number[], seed: number): Float64Array {
  const size = values.length;
  const random = createRandom(seed);
  const basis: number[][] = [];
  while (basis.length < size) {
    const v = Array.from({ length: size }, () => random() - 0.5);
    for (const q of basis) {
      const p = q.reduce((sum, value, i) => sum + value * v[i], 0);
      q.forEach((value, i) => (v[i] -= p * value));
    }
    const length = Math.hypot(...v);
    basis.push(v.map((value) => value / length));
  }
  const matrix = new Float64Array(size * size);
  basis.forEach((q, k) => {
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) matrix[i * size + j] += values[k] * q[i] * q[j];
  });
  return matrix;
}

function residual(matrix: Float64Array, size: number, value: number, vector: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < size; i++) {
    let image = 0;
    for (let j = 0; j < size; j++) image += matrix[i * size + j] * vector[j];
    sum += (image - value * vector[i]) ** 2;
  }
  return Math.sqrt(sum);
}

describe("topEigenpairs(matrix, size, count)", () => {
  it("finds the largest eigenvalues of a diagonal matrix, largest first", () => {
    const matrix = Float64Array.from([1, 0, 0, 0, 3, 0, 0, 0, 2]);
    const { values, vectors } = topEigenpairs(matrix, 3, 2);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(2, 10);
    expect(Math.abs(vectors[0][1])).toBeCloseTo(1, 8);
    expect(Math.abs(vectors[1][2])).toBeCloseTo(1, 8);
  });

  it("separates eigenvalues that are close together", () => {
    const eigenvalues = [5, 4.99, 4.98, 4.9, ...Array.from({ length: 36 }, (_, i) => 4 - i * 0.1)];
    const matrix = withEigenvalues(eigenvalues, 3);
    const { values, vectors } = topEigenpairs(matrix, 40, 3);
    values.forEach((value, k) => expect(value).toBeCloseTo(eigenvalues[k], 6));
    vectors.forEach((vector, k) => expect(residual(matrix, 40, values[k], vector)).toBeLessThan(1e-5));
  });

  it("returns zeros and orthonormal vectors beyond the matrix's rank", () => {
    const u = Array.from({ length: 10 }, (_, i) => i + 1);
    const matrix = Float64Array.from({ length: 100 }, (_, k) => u[Math.floor(k / 10)] * u[k % 10]);
    const { values, vectors } = topEigenpairs(matrix, 10, 3);
    expect(values[0]).toBeCloseTo(385, 8);
    expect(values[1]).toBeCloseTo(0, 8);
    expect(values[2]).toBeCloseTo(0, 8);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const product = vectors[a].reduce((sum, value, i) => sum + value * vectors[b][i], 0);
        expect(product).toBeCloseTo(a === b ? 1 : 0, 8);
      }
    }
  });

  it("returns zero eigenvalues for a zero matrix without NaN", () => {
    const { values, vectors } = topEigenpairs(new Float64Array(16), 4, 2);
    expect(values).toEqual([0, 0]);
    expect(vectors.flatMap((vector) => Array.from(vector)).every(Number.isFinite)).toBe(true);
  });

  it("gives identical results on every run", () => {
    const matrix = withEigenvalues(Array.from({ length: 30 }, (_, i) => 30 - i), 9);
    expect(topEigenpairs(matrix, 30, 2)).toEqual(topEigenpairs(matrix, 30, 2));
  });

  it("throws when count is not from 1 to size", () => {
    expect(() => topEigenpairs(new Float64Array(4), 2, 3)).toThrow("count must be an integer from 1 to 2, got 3.");
    expect(() => topEigenpairs(new Float64Array(4), 2, 0)).toThrow("count must be an integer from 1 to 2, got 0.");
  });

  it("has documented defaults", () => {
    expect(defaults).toEqual({ seed: 42, oversampling: 8, maxIterations: 100, tolerance: 1e-6 });
  });
});

describe("jacobiEigen(matrix, size)", () => {
  it("decomposes [[2, 1], [1, 2]] into 3 along [1, 1] and 1 along [1, −1]", () => {
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0][0] * vectors[0][1]).toBeGreaterThan(0);
    expect(vectors[1][0] * vectors[1][1]).toBeLessThan(0);
  });

  it("reconstructs a random symmetric matrix from its eigenpairs", () => {
    const eigenvalues = [7, 3, 3, 1, 0.5, 0];
    const matrix = withEigenvalues(eigenvalues, 5);
    const { values, vectors } = jacobiEigen(matrix, 6);
    values.forEach((value, k) => expect(value).toBeCloseTo(eigenvalues[k], 10));
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        const rebuilt = values.reduce((sum, value, k) => sum + value * vectors[k][i] * vectors[k][j], 0);
        expect(rebuilt).toBeCloseTo(matrix[i * 6 + j], 10);
      }
    }
  });
});
