import { findABParams } from "umap-js/dist/umap";
import { describe, expect, it } from "vitest";
import { fuzzyNeighbourGraph } from "@/lib/projection/graph";
import { exactNeighbours } from "@/lib/projection/knn";
import { createLayout, defaults } from "@/lib/projection/layout";
import { normalizeRows, toDenseMatrix } from "@/lib/projection/matrix";
import { createRandom } from "@/lib/projection/random";
import { clusteredVectors } from "./fixtures";

const CLUSTERS = 4;
const N = 120;
const graph = fuzzyNeighbourGraph(exactNeighbours(normalizeRows(toDenseMatrix(clusteredVectors(N, 16, CLUSTERS, 9))), 10));
const { a, b } = findABParams(1, 0.1);

function randomStart(seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: 2 * N }, () => random() * 20 - 10);
}

function run(seed: number, nEpochs: number): Float64Array {
  const embedding = randomStart(seed);
  const layout = createLayout(graph, embedding, { nEpochs, a, b, random: createRandom(seed) });
  for (let epoch = 0; epoch < nEpochs; epoch++) layout.step();
  return embedding;
}

/** Mean map distance over the graph's edges, as a share of the mean distance over all pairs. */
function edgeLengthRatio(embedding: Float64Array): number {
  const distance = (i: number, j: number) => Math.hypot(embedding[2 * i] - embedding[2 * j], embedding[2 * i + 1] - embedding[2 * j + 1]);
  let edges = 0;
  graph.from.forEach((i, e) => (edges += distance(i, graph.to[e])));
  let pairs = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) pairs += distance(i, j);
  return edges / graph.from.length / (pairs / (N * N));
}

describe("createLayout(graph, embedding, options)", () => {
  it("has documented defaults", () => {
    expect(defaults).toEqual({ learningRate: 1, repulsionStrength: 1, negativeSampleRate: 5 });
  });

  it("pulls neighbours together: edges end up far shorter than the average pair", () => {
    expect(edgeLengthRatio(randomStart(1))).toBeGreaterThan(0.8);
    expect(edgeLengthRatio(run(1, 150))).toBeLessThan(0.2);
  });

  it("keeps clusters apart: each point's nearest point on the map is from its own cluster", () => {
    const embedding = run(2, 150);
    for (let i = 0; i < N; i++) {
      let nearest = -1;
      let best = Infinity;
      for (let j = 0; j < N; j++) {
        const d = Math.hypot(embedding[2 * i] - embedding[2 * j], embedding[2 * i + 1] - embedding[2 * j + 1]);
        if (j !== i && d < best) [nearest, best] = [j, d];
      }
      expect(nearest % CLUSTERS).toBe(i % CLUSTERS);
    }
  });

  it("gives identical points for the same seed, and other points for another", () => {
    expect(run(3, 30)).toStrictEqual(run(3, 30));
    expect(run(4, 30)).not.toEqual(run(3, 30));
  });

  it("counts epochs and does nothing after the last", () => {
    const embedding = randomStart(5);
    const layout = createLayout(graph, embedding, { nEpochs: 3, a, b, random: createRandom(5) });
    expect([layout.step(), layout.step(), layout.step()]).toEqual([1, 2, 3]);
    const done = embedding.slice();
    expect(layout.step()).toBe(3);
    expect(embedding).toStrictEqual(done);
  });
});
