import { describe, expect, it } from "vitest";
import { pca } from "@/lib/projection/pca";
import { defaultEpochs, defaults, fitUmap, MIN_UMAP_POINTS } from "@/lib/projection/umap";
import { clusteredVectors, distance2d, randomUnitVectors } from "./fixtures";

const CLUSTERS = 4;
const vectors = clusteredVectors(80, 16, CLUSTERS, 5);
/** Enough epochs to separate the clusters, few enough to keep the file fast. */
const quick = { nEpochs: 90 };

function extent(points: [number, number][]): number {
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  return Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
}

function nearestPoint(points: [number, number][], target: [number, number], skip = -1): number {
  let best = -1;
  points.forEach((point, i) => {
    if (i !== skip && (best < 0 || distance2d(point, target) < distance2d(points[best], target))) best = i;
  });
  return best;
}

describe("fitUmap(vectors)", () => {
  it("gives identical points for the same input and options, and other points for another seed", async () => {
    const first = await fitUmap(vectors, quick);
    const second = await fitUmap(vectors, quick);
    expect(second.points).toStrictEqual(first.points);
    const reseeded = await fitUmap(vectors, { ...quick, seed: 7 });
    expect(reseeded.points).not.toEqual(first.points);
  });

  it("keeps clusters apart: each point's nearest point on the map is from its own cluster", async () => {
    const { points, method, note } = await fitUmap(vectors, quick);
    expect(method).toBe("umap");
    expect(note).toBeUndefined();
    const sameCluster = points.filter((point, i) => nearestPoint(points, point, i) % CLUSTERS === i % CLUSTERS);
    expect(sameCluster.length).toBe(points.length);
  });

  it(`falls back to PCA below ${MIN_UMAP_POINTS} points, on the normalised vectors`, async () => {
    const three = [
      [2, 0, 0],
      [0, 1, 0],
      [0, 0, 3],
    ];
    const result = await fitUmap(three);
    expect(result.method).toBe("pca");
    expect(result.note).toBe("UMAP needs at least 4 points, got 3; PCA shows up to three exactly.");
    expect(result.points).toEqual(pca([[1, 0, 0], [0, 1, 0], [0, 0, 1]]).points);
    expect((await fitUmap([[1, 2]])).points).toEqual([[0, 0]]);
  });

  it("falls back to PCA when every vector is the same", async () => {
    const result = await fitUmap(Array.from({ length: 10 }, () => [0.2, 0.4, 0.4]));
    expect(result.method).toBe("pca");
    expect(result.note).toMatch(/All vectors are identical/);
    expect(result.points.every(([x, y]) => x === 0 && y === 0)).toBe(true);
  });

  it("lowers nNeighbors to n − 1 for small sets and says so", async () => {
    const result = await fitUmap(vectors.slice(0, 6), quick);
    expect(result.method).toBe("umap");
    expect(result.note).toBe("nNeighbors lowered from 15 to 5: only 6 points.");
    expect(result.points.flat().every(Number.isFinite)).toBe(true);
  });

  it("rejects zero vectors for cosine distance but not for euclidean", async () => {
    const withZero = [...vectors.slice(0, 9), new Array(16).fill(0)];
    await expect(fitUmap(withZero)).rejects.toThrow("vectors[9] is all zeros");
    const result = await fitUmap(withZero, { ...quick, distance: "euclidean" });
    expect(result.points.flat().every(Number.isFinite)).toBe(true);
  });

  it("rejects options out of range with the fix in the message", async () => {
    await expect(fitUmap(vectors, { nNeighbors: 1 })).rejects.toThrow("nNeighbors must be an integer ≥ 2, got 1: try 15.");
    await expect(fitUmap(vectors, { minDist: 2 })).rejects.toThrow("minDist must be from 0 to spread (1), got 2: try 0.1.");
    await expect(fitUmap(vectors, { spread: 0 })).rejects.toThrow("spread must be a finite number > 0, got 0: try 1.");
    await expect(fitUmap(vectors, { nEpochs: 0 })).rejects.toThrow("nEpochs must be an integer ≥ 1, got 0");
    await expect(fitUmap([])).rejects.toThrow("Cannot fit UMAP to zero vectors: pass at least one.");
  });

  it("has documented defaults, and undefined options keep them", async () => {
    expect(defaults).toEqual({ nNeighbors: 15, minDist: 0.1, spread: 1, seed: 42, distance: "cosine" });
    const explicit = await fitUmap(vectors, { ...quick, nNeighbors: undefined, seed: undefined });
    expect(explicit.points).toStrictEqual((await fitUmap(vectors, quick)).points);
  });
});

describe("defaultEpochs(n)", () => {
  it("follows umap-js's choice by n, rounded up to a multiple of 3", () => {
    expect([4, 2500, 2501, 5000, 5001, 7500, 7501, 100_000].map(defaultEpochs)).toEqual([501, 501, 402, 402, 300, 300, 201, 201]);
  });

  it("is what fitUmap runs when nEpochs is not given", async () => {
    let total = 0;
    await fitUmap(vectors, { onProgress: (_, all) => void (total = all) });
    expect(total).toBe(defaultEpochs(vectors.length));
  });
});

describe("fitUmap(vectors, { onProgress })", () => {
  it("lets timers run while it searches for neighbours, before the first epoch", async () => {
    let timerRan = false;
    let ranBeforeFirstEpoch: boolean | undefined;
    setTimeout(() => (timerRan = true), 0);
    await fitUmap(randomUnitVectors(4000, 100, 3), {
      nEpochs: 3,
      onProgress: (epoch) => void (epoch === 1 && (ranBeforeFirstEpoch = timerRan)),
    });
    expect(ranBeforeFirstEpoch).toBe(true);
  });

  it("reports every epoch with the total", async () => {
    const calls: [number, number][] = [];
    await fitUmap(vectors, { nEpochs: 30, onProgress: (epoch, total) => void calls.push([epoch, total]) });
    expect(calls).toEqual(Array.from({ length: 30 }, (_, i) => [i + 1, 30]));
  });

  it("stops when the callback returns false and says where", async () => {
    const result = await fitUmap(vectors, { onProgress: (epoch) => epoch < 10 });
    expect(result.note).toBe("Stopped early at epoch 10 of 501.");
    expect(result.points.flat().every(Number.isFinite)).toBe(true);
  });

  it("rounds nEpochs up to a multiple of 3, so transform returns", async () => {
    let total = 0;
    // Checked before transform: umap-js's transform loops forever on 50 / 3 epochs.
    const result = await fitUmap(vectors, { nEpochs: 50, onProgress: (_, all) => void (total = all) });
    expect(total).toBe(51);
    expect(result.transform([vectors[0]])[0].every(Number.isFinite)).toBe(true);
  });
});

describe("fitUmap(vectors).transform(newVectors)", () => {
  it("never moves the fitted points, even for a batch as large as the fit", async () => {
    const result = await fitUmap(vectors, quick);
    const before = structuredClone(result.points);
    const probe = result.transform([vectors[3]]);
    // umap-js moves fitted points when a transform batch has as many rows as the fit.
    result.transform(randomUnitVectors(vectors.length, 16, 99));
    expect(result.points).toStrictEqual(before);
    expect(result.transform([vectors[3]])).toStrictEqual(probe);
  });

  it("places a copy of a fitted vector near that vector's point", async () => {
    const result = await fitUmap(vectors, quick);
    const size = extent(result.points);
    for (const i of [0, 1, 17, 42]) {
      const [placed] = result.transform([vectors[i]]);
      expect(distance2d(placed, result.points[i])).toBeLessThan(0.1 * size);
      expect(nearestPoint(result.points, placed) % CLUSTERS).toBe(i % CLUSTERS);
    }
  });

  it("places a vector in the same spot alone, in a batch, and every time", async () => {
    const result = await fitUmap(vectors, quick);
    const fresh = clusteredVectors(12, 16, CLUSTERS, 5).slice(8);
    const batch = result.transform(fresh);
    fresh.forEach((vector, i) => expect(result.transform([vector])[0]).toStrictEqual(batch[i]));
    expect(result.transform(fresh)).toStrictEqual(batch);
  });

  it("places a vector whose neighbours are exact duplicates among those duplicates, never NaN", async () => {
    const corners = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ];
    const duplicates = corners.flatMap((corner) => Array.from({ length: 20 }, () => corner));
    const result = await fitUmap(duplicates, { nEpochs: 60 });
    const [[x, y]] = result.transform([[0, 2, 0, 0]]);
    const group = result.points.slice(20, 40);
    const xs = group.map((point) => point[0]);
    const ys = group.map((point) => point[1]);
    expect(x).toBeGreaterThanOrEqual(Math.min(...xs));
    expect(x).toBeLessThanOrEqual(Math.max(...xs));
    expect(y).toBeGreaterThanOrEqual(Math.min(...ys));
    expect(y).toBeLessThanOrEqual(Math.max(...ys));
  });

  it("places a new vector next to the fitted point it is closest to, the first one included", async () => {
    const result = await fitUmap(vectors, quick);
    const [placed] = result.transform([vectors[0]]);
    const distances = result.points.map((point) => Math.hypot(point[0] - placed[0], point[1] - placed[1]));
    const spread = Math.max(...result.points.map((point) => Math.hypot(point[0] - result.points[0][0], point[1] - result.points[0][1])));
    expect(distances[0]).toBeLessThan(spread * 0.15);
  });

  it("uses PCA projection after a PCA fallback", async () => {
    const result = await fitUmap([
      [1, 0],
      [0, 1],
    ]);
    expect(result.transform([[1, 0]])).toEqual([result.points[0]]);
  });

  it("throws on new vectors of another dimension", async () => {
    const result = await fitUmap(vectors, quick);
    expect(() => result.transform([[1, 2, 3]])).toThrow("newVectors[0] has 3 dimensions, expected 16");
  });
});
