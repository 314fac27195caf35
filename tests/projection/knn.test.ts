import { describe, expect, it } from "vitest";
import { exactCosineNeighbours } from "@/lib/projection/knn";
import { normalizeRows, toDenseMatrix } from "@/lib/projection/matrix";
import { clusteredVectors, randomUnitVectors } from "./fixtures";

/** Every pair's cosine in float64, sorted by (distance, index): the answer to check against. */
function bruteForce(vectors: number[][], k: number): { indices: number[][]; distances: number[][] } {
  const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0);
  const indices: number[][] = [];
  const distances: number[][] = [];
  vectors.forEach((vector, i) => {
    const others = vectors
      .map((other, j) => ({ j, distance: Math.max(0, 1 - dot(vector, other)) }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.distance - b.distance || a.j - b.j)
      .slice(0, k - 1);
    indices.push([i, ...others.map(({ j }) => j)]);
    distances.push([0, ...others.map(({ distance }) => distance)]);
  });
  return { indices, distances };
}

const unit = (vectors: number[][]) => normalizeRows(toDenseMatrix(vectors));

describe("exactCosineNeighbours(unitRows, k)", () => {
  it.each([
    ["random directions, odd n across several tiles", randomUnitVectors(203, 24, 1), 15],
    ["tight clusters", clusteredVectors(150, 16, 5, 2), 10],
    ["k = n (every point)", randomUnitVectors(9, 5, 3), 9],
  ])("finds the same neighbours as brute force: %s", (_, vectors, k) => {
    const expected = bruteForce(vectors, k);
    const actual = exactCosineNeighbours(unit(vectors), k);
    expect(actual.indices).toEqual(expected.indices);
    actual.distances.forEach((row, i) => row.forEach((distance, j) => expect(distance).toBeCloseTo(expected.distances[i][j], 6)));
  });

  it("lists each point first at distance 0, then nearest first", () => {
    const { indices, distances } = exactCosineNeighbours(unit(randomUnitVectors(40, 8, 4)), 6);
    indices.forEach((row, i) => expect(row[0]).toBe(i));
    distances.forEach((row) => {
      expect(row[0]).toBe(0);
      row.forEach((distance, j) => j > 0 && expect(distance).toBeGreaterThanOrEqual(row[j - 1]));
    });
  });

  it("breaks ties by the lower index, also between duplicates of the point itself", () => {
    // Axis vectors: every pair of different axes has cosine exactly 0; 4 and 5 repeat axis 0.
    const vectors = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [1, 0, 0, 0]];
    const { indices, distances } = exactCosineNeighbours(unit(vectors), 4);
    expect(indices).toEqual([
      [0, 4, 5, 1],
      [1, 0, 2, 3],
      [2, 0, 1, 3],
      [3, 0, 1, 2],
      [4, 0, 5, 1],
      [5, 0, 4, 1],
    ]);
    expect(distances[0]).toEqual([0, 0, 0, 1]);
  });

  it("returns only the point itself for k = 1", () => {
    expect(exactCosineNeighbours(unit([[1, 0], [0, 1]]), 1)).toEqual({ indices: [[0], [1]], distances: [[0], [0]] });
  });

  it("throws when k is not from 1 to n", () => {
    const data = unit(randomUnitVectors(5, 3, 5));
    expect(() => exactCosineNeighbours(data, 6)).toThrow("k must be an integer from 1 to the number of points (5), got 6.");
    expect(() => exactCosineNeighbours(data, 0)).toThrow("k must be an integer from 1 to the number of points (5), got 0.");
  });
});
