import { describe, expect, it } from "vitest";
import { exactNeighbours, exactNeighbourSteps, neighboursOf, type NearestNeighbours } from "@/lib/projection/knn";
import { normalizeRows, toDenseMatrix } from "@/lib/projection/matrix";
import { clusteredVectors, randomUnitVectors } from "./fixtures";

type Measure = (a: number[], b: number[]) => number;
const cosineDistance: Measure = (a, b) => Math.max(0, 1 - a.reduce((sum, value, i) => sum + value * b[i], 0));
const euclideanDistance: Measure = (a, b) => Math.hypot(...a.map((value, i) => value - b[i]));

/** Every pair's distance in float64, sorted by (distance, index): the answer to check against. */
function bruteForce(vectors: number[][], k: number, measure: Measure): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  vectors.forEach((vector, i) => {
    const others = vectors
      .map((other, j) => ({ j, distance: measure(vector, other) }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.distance - b.distance || a.j - b.j)
      .slice(0, k - 1);
    indices.push([i, ...others.map(({ j }) => j)]);
    distances.push([0, ...others.map(({ distance }) => distance)]);
  });
  return { indices, distances };
}

const unit = (vectors: number[][]) => normalizeRows(toDenseMatrix(vectors));
const rows = (neighbours: NearestNeighbours, of: "indices" | "distances") =>
  Array.from({ length: neighbours.n }, (_, i) => Array.from(neighbours[of].subarray(i * neighbours.k, (i + 1) * neighbours.k)));

describe.each(["wasm", "js"] as const)("exactNeighbours(rows, k) with the %s kernel", (kernel) => {
  it.each([
    ["random directions, odd n across several tiles", randomUnitVectors(203, 24, 1), 15],
    ["tight clusters", clusteredVectors(150, 16, 5, 2), 10],
    ["k = n (every point)", randomUnitVectors(9, 5, 3), 9],
  ])("finds the same neighbours as brute force: %s", (_, vectors, k) => {
    const expected = bruteForce(vectors, k, cosineDistance);
    const actual = exactNeighbours(unit(vectors), k, "cosine", kernel);
    expect(rows(actual, "indices")).toEqual(expected.indices);
    rows(actual, "distances").forEach((row, i) => row.forEach((distance, j) => expect(distance).toBeCloseTo(expected.distances[i][j], 6)));
  });

  it("lists each point first at distance 0, then nearest first", () => {
    const neighbours = exactNeighbours(unit(randomUnitVectors(40, 8, 4)), 6, "cosine", kernel);
    rows(neighbours, "indices").forEach((row, i) => expect(row[0]).toBe(i));
    rows(neighbours, "distances").forEach((row) => {
      expect(row[0]).toBe(0);
      row.forEach((distance, j) => j > 0 && expect(distance).toBeGreaterThanOrEqual(row[j - 1]));
    });
  });

  it("breaks ties by the lower index, also between duplicates of the point itself", () => {
    // Axis vectors: every pair of different axes has cosine exactly 0; 4 and 5 repeat axis 0.
    const vectors = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [1, 0, 0, 0]];
    const neighbours = exactNeighbours(unit(vectors), 4, "cosine", kernel);
    expect(rows(neighbours, "indices")).toEqual([
      [0, 4, 5, 1],
      [1, 0, 2, 3],
      [2, 0, 1, 3],
      [3, 0, 1, 2],
      [4, 0, 5, 1],
      [5, 0, 4, 1],
    ]);
    expect(Array.from(neighboursOf(neighbours, 0))).toEqual([0, 4, 5, 1]);
    expect(rows(neighbours, "distances")[0]).toEqual([0, 0, 0, 1]);
  });

  it("returns only the point itself for k = 1", () => {
    const neighbours = exactNeighbours(unit([[1, 0], [0, 1]]), 1, "cosine", kernel);
    expect(rows(neighbours, "indices")).toEqual([[0], [1]]);
    expect(rows(neighbours, "distances")).toEqual([[0], [0]]);
  });

  it("throws when k is not from 1 to n", () => {
    const data = unit(randomUnitVectors(5, 3, 5));
    expect(() => exactNeighbours(data, 6)).toThrow("k must be an integer from 1 to the number of points (5), got 6.");
    expect(() => exactNeighbours(data, 0)).toThrow("k must be an integer from 1 to the number of points (5), got 0.");
  });
});

describe.each(["wasm", "js"] as const)('exactNeighbours(rows, k, "euclidean") with the %s kernel', (kernel) => {
  it("finds the same neighbours and distances as brute force on vectors of any length, far from the origin", () => {
    // Lengths from 0.5 to 10 and an offset of 50: the products are large, the distances small.
    const vectors = randomUnitVectors(120, 12, 6).map((vector, i) => vector.map((value) => 50 + value * (0.5 + (i % 20) / 2)));
    const expected = bruteForce(vectors, 8, euclideanDistance);
    const actual = exactNeighbours(toDenseMatrix(vectors), 8, "euclidean", kernel);
    expect(rows(actual, "indices")).toEqual(expected.indices);
    rows(actual, "distances").forEach((row, i) => row.forEach((distance, j) => expect(distance).toBeCloseTo(expected.distances[i][j], 4)));
  });

  it("puts exact duplicates at distance 0, lower index first, and allows zero vectors", () => {
    const [a, b] = randomUnitVectors(2, 37, 8).map((vector) => vector.map((value) => value * 3.3));
    const copies = exactNeighbours(toDenseMatrix([a, b, a, b, a]), 5, "euclidean", kernel);
    expect(rows(copies, "indices")[0]).toEqual([0, 2, 4, 1, 3]);
    expect(rows(copies, "distances")[0].slice(0, 3)).toEqual([0, 0, 0]);
    const neighbours = exactNeighbours(toDenseMatrix([[0, 0], [3, 4], [0, 0], [3, 4]]), 3, "euclidean", kernel);
    expect(rows(neighbours, "indices")).toEqual([[0, 2, 1], [1, 3, 0], [2, 0, 1], [3, 1, 0]]);
    expect(rows(neighbours, "distances")).toEqual([[0, 0, 5], [0, 0, 5], [0, 0, 5], [0, 0, 5]]);
  });
});

describe("exactNeighbourSteps(rows, k)", () => {
  it("pauses once per block of 64 rows and returns what exactNeighbours does", () => {
    const data = unit(randomUnitVectors(150, 8, 7));
    const steps = exactNeighbourSteps(data, 5);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBe(3);
    expect(step.value).toEqual(exactNeighbours(data, 5));
  });
});
