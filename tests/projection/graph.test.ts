import { UMAP } from "umap-js";
import { describe, expect, it } from "vitest";
import { fuzzyNeighbourGraph, type FuzzyGraph } from "@/lib/projection/graph";
import { exactNeighbours, type NearestNeighbours } from "@/lib/projection/knn";
import { normalizeRows, toDenseMatrix, toRows } from "@/lib/projection/matrix";
import { clusteredVectors, randomUnitVectors } from "./fixtures";

const K = 8;

function neighboursOf(vectors: number[][]): NearestNeighbours {
  return exactNeighbours(normalizeRows(toDenseMatrix(vectors)), K);
}

/** umap-js's own fuzzy graph from the same kNN lists, as "from,to" → weight. */
function umapJsGraph(vectors: number[][], neighbours: NearestNeighbours): Map<string, number> {
  const rows = (values: ArrayLike<number>) =>
    Array.from({ length: neighbours.n }, (_, i) => Array.from(values).slice(i * K, (i + 1) * K));
  const umap = new UMAP({ nNeighbors: K, random: () => 0.5 });
  umap.setPrecomputedKNN(rows(neighbours.indices), rows(neighbours.distances));
  umap.initializeFit(toRows(normalizeRows(toDenseMatrix(vectors))));
  // The graph is private in umap-js: read it to compare, not to use.
  const { graph } = umap as unknown as { graph: { getAll(): { row: number; col: number; value: number }[] } };
  return new Map(graph.getAll().filter(({ value }) => value > 0).map(({ row, col, value }) => [`${row},${col}`, value]));
}

function asMap(graph: FuzzyGraph): Map<string, number> {
  return new Map(Array.from(graph.from, (from, e) => [`${from},${graph.to[e]}`, graph.weights[e]]));
}

describe("fuzzyNeighbourGraph(neighbours)", () => {
  it.each([
    ["random directions", randomUnitVectors(120, 10, 1)],
    ["tight clusters", clusteredVectors(90, 12, 3, 2)],
  ])("has the edges and weights of umap-js's fuzzySimplicialSet: %s", (_, vectors) => {
    const neighbours = neighboursOf(vectors);
    const ours = asMap(fuzzyNeighbourGraph(neighbours));
    const theirs = umapJsGraph(vectors, neighbours);
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [edge, weight] of theirs) expect(ours.get(edge)).toBeCloseTo(weight, 12);
  });

  it("is symmetric, each edge once each way, sorted by from then to, weights in (0, 1]", () => {
    const graph = fuzzyNeighbourGraph(neighboursOf(randomUnitVectors(60, 6, 3)));
    const edges = asMap(graph);
    expect(edges.size).toBe(graph.from.length);
    for (const [edge, weight] of edges) {
      const [from, to] = edge.split(",");
      expect(edges.get(`${to},${from}`)).toBe(weight);
      expect(weight).toBeGreaterThan(0);
      expect(weight).toBeLessThanOrEqual(1);
    }
    for (let e = 1; e < graph.from.length; e++) {
      expect(graph.from[e] > graph.from[e - 1] || (graph.from[e] === graph.from[e - 1] && graph.to[e] > graph.to[e - 1])).toBe(true);
    }
  });

  it("gives each point's nearest neighbour full membership, and duplicates too", () => {
    const vectors = [[1, 0, 0], [1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, 0.1], [0, 0, 1]];
    const neighbours = exactNeighbours(normalizeRows(toDenseMatrix(vectors)), 3);
    const edges = asMap(fuzzyNeighbourGraph(neighbours));
    expect(edges.get("0,1")).toBe(1);
    expect(edges.get("3,4")).toBe(1);
    expect(edges.has("0,0")).toBe(false);
  });
});
