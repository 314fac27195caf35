import { afterEach, describe, expect, it } from "vitest";
import { layoutTable, placeRows } from "@/lib/maps/layout";
import { neighbourDefaults, tableNeighbours } from "@/lib/maps/neighbours";
import { normalizeTable, type VectorTable } from "@/lib/maps/vectors";
import { exactNeighbours } from "@/lib/projection/knn";
import { createRandom } from "@/lib/projection/random";

/**
 * The layout of big collections' maps, on generated clusters with known labels: neighbours found
 * group by group against the exact kNN, the map keeping clusters together, placement of new rows
 * leaving the mapped ones where they were, and the same seed giving the same map.
 */

/** `rows` unit vectors in `clusters` tight Gaussian clusters of `dims` dimensions; label i % clusters. */
function clustered(rows: number, dims: number, clusters: number, seed = 7): { table: VectorTable; labels: Int32Array } {
  const random = createRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, gaussian));
  const data = new Float32Array(rows * dims);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % clusters;
    for (let t = 0; t < dims; t++) data[i * dims + t] = centres[labels[i]][t] + 0.35 * gaussian();
  }
  return { table: normalizeTable({ rows, dims, data }), labels };
}

/** Run a generator to its end (what runYielding does, without the pauses). */
function run<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Share of points whose nearest point on the map has their label. */
function mapPurity(points: Float32Array, labels: Int32Array, sample = 400): number {
  const n = labels.length;
  let same = 0;
  for (let s = 0; s < sample; s++) {
    const i = Math.floor((s * n) / sample);
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const distance = (points[2 * i] - points[2 * j]) ** 2 + (points[2 * i + 1] - points[2 * j + 1]) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [j, distance];
    }
    if (labels[best] === labels[i]) same++;
  }
  return same / sample;
}

/** Share of the exact 15 nearest found, checking that each row comes first in its own list. */
function recallAgainstExact(table: VectorTable, found: { indices: Int32Array }): number {
  const exact = exactNeighbours({ rows: table.rows, columns: table.dims, data: Float64Array.from(table.data) }, 15);
  let hits = 0;
  for (let i = 0; i < table.rows; i++) {
    expect(found.indices[i * 15]).toBe(i);
    const truth = new Set(exact.indices.subarray(i * 15, (i + 1) * 15));
    for (const j of found.indices.subarray(i * 15, (i + 1) * 15)) if (truth.has(j)) hits++;
  }
  return hits / (table.rows * 15);
}

const saved = { ...neighbourDefaults };
afterEach(() => {
  Object.assign(neighbourDefaults, saved);
});

describe("tableNeighbours", () => {
  it("is the exact kNN while the rows fit one group", () => {
    const { table } = clustered(300, 16, 5);
    const found = run(tableNeighbours(table, 10, { seed: 1 }));
    const exact = exactNeighbours({ rows: table.rows, columns: table.dims, data: Float64Array.from(table.data) }, 10);
    expect(Array.from(found.indices)).toEqual(Array.from(exact.indices));
    found.distances.forEach((distance, slot) => expect(distance).toBeCloseTo(exact.distances[slot], 5));
  });

  it("finds most of the exact neighbours group by group, each row first in its own list", () => {
    neighbourDefaults.groupSize = 150;
    const { table } = clustered(3_000, 24, 12);
    const found = run(tableNeighbours(table, 15, { seed: 3 }));
    expect(recallAgainstExact(table, found)).toBeGreaterThan(0.8);
    // The same seed gives the same lists.
    expect(Array.from(run(tableNeighbours(table, 15, { seed: 3 })).indices)).toEqual(Array.from(found.indices));
  });

  it("with k-means over a sample of the rows, still finds most of the exact neighbours, the same for the same seed", () => {
    neighbourDefaults.groupSize = 150;
    neighbourDefaults.kmeansSample = 600;
    const { table } = clustered(3_000, 24, 12);
    const found = run(tableNeighbours(table, 15, { seed: 3 }));
    expect(recallAgainstExact(table, found)).toBeGreaterThan(0.8);
    expect(Array.from(run(tableNeighbours(table, 15, { seed: 3 })).indices)).toEqual(Array.from(found.indices));
  });

  it("with candidates, looks only among them, and lists only the rows asked for", () => {
    neighbourDefaults.groupSize = 100;
    const { table } = clustered(1_000, 8, 4);
    const candidates = Uint8Array.from({ length: 1_000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const queries = Uint8Array.from(candidates, (flag) => 1 - flag);
    const found = run(tableNeighbours(table, 5, { seed: 1, candidates, queries }));
    for (let i = 0; i < 1_000; i++) {
      const list = Array.from(found.indices.subarray(i * 5, (i + 1) * 5));
      if (queries[i]) expect(list.every((j) => j >= 0 && candidates[j] === 1)).toBe(true);
      else expect(list).toEqual([-1, -1, -1, -1, -1]);
    }
  });
});

describe("layoutTable and placeRows", () => {
  it("lays clusters out apart, the same way for the same seed", async () => {
    neighbourDefaults.groupSize = 300;
    const { table, labels } = clustered(2_400, 32, 8);
    const layout = await layoutTable(table, { seed: 5 });
    expect(layout.method).toBe("umap");
    expect(layout.points).toHaveLength(4_800);
    expect(layout.points.every(Number.isFinite)).toBe(true);
    expect(mapPurity(layout.points, labels)).toBeGreaterThan(0.95);
    expect(Array.from((await layoutTable(table, { seed: 5 })).points)).toEqual(Array.from(layout.points));
  });

  it("places new rows among their neighbours without moving the mapped ones", async () => {
    const { table, labels } = clustered(1_200, 16, 6);
    const mapped = { rows: 900, dims: 16, data: table.data.subarray(0, 900 * 16) };
    const first = await layoutTable(mapped, { seed: 2 });
    const points = new Float32Array(2_400);
    points.set(first.points);
    const placed = Uint8Array.from({ length: 1_200 }, (_, i) => (i < 900 ? 1 : 0));
    expect(await placeRows(table, placed, points, { seed: 2 })).toBe(300);
    expect(Array.from(points.subarray(0, 1_800))).toEqual(Array.from(first.points));
    expect(mapPurity(points, labels)).toBeGreaterThan(0.95);
  });

  it("maps up to three rows, or rows all alike, by PCA", async () => {
    const three = await layoutTable(normalizeTable({ rows: 3, dims: 2, data: Float32Array.of(1, 0, 0, 1, 1, 1) }));
    expect(three.method).toBe("pca");
    const alike = await layoutTable({ rows: 5, dims: 2, data: new Float32Array(10).fill(0.5) });
    expect(alike.method).toBe("pca");
    expect(alike.points.every(Number.isFinite)).toBe(true);
  });
});
