/**
 * UMAP's layout optimisation (stochastic gradient descent on the fuzzy cross-entropy), epoch by
 * epoch, over flat typed arrays. The same algorithm as umap-js's `optimizeLayoutStep` (edge
 * sampling by weight, negative sampling, gradient clipping at 4, linearly falling learning rate),
 * about 7× faster at 10,000 points (8.0 s → 1.1 s of CPU for 201 epochs): umap-js calls
 * `Math.pow` three times per edge sample (most of its time), keeps points as number[][] and looks
 * every parameter up on an object inside the loop. Here the two gradient coefficients are looked
 * up in tables (`tabulate`, relative error < 1e-4).
 */
import type { FuzzyGraph } from "./graph";
import { tabulate } from "./tabulate";

export const defaults = {
  /** Starting learning rate; it falls linearly to 0 over the epochs. */
  learningRate: 1,
  /** Weight of the repulsion from random points (umap's gamma). */
  repulsionStrength: 1,
  /** Random points pushed away per edge sample. */
  negativeSampleRate: 5,
};

export interface LayoutOptions {
  /** Epochs in all, an integer ≥ 1; the learning rate reaches 0 after the last. */
  nEpochs: number;
  /** The curve 1 / (1 + a·d^(2b)) for similarity at map distance d, from umap-js's `findABParams`. */
  a: number;
  b: number;
  /** Source of randomness in [0, 1) for negative samples; seed it for repeatable maps. */
  random: () => number;
  /** See `defaults`. */
  learningRate?: number;
  repulsionStrength?: number;
  negativeSampleRate?: number;
}

/** Gradients are clipped to ±CLIP per coordinate, as in umap-learn. */
const CLIP = 4;

/**
 * An optimiser over `embedding` (n × 2, row-major; moved in place). Edges of weight below
 * max / nEpochs are never sampled, as in umap-js. Each `step()` runs one epoch and returns the
 * number of epochs done; after `nEpochs` it does nothing.
 */
export function createLayout(graph: FuzzyGraph, embedding: Float64Array, options: LayoutOptions) {
  const { nEpochs, a, b, random } = options;
  const { learningRate, repulsionStrength: gamma, negativeSampleRate } = { ...defaults, ...options };
  const { n } = graph;
  // Attraction along an edge and repulsion from a random point, as functions of squared distance.
  const attraction = tabulate((d2) => (-2 * a * b * Math.pow(d2, b - 1)) / (a * Math.pow(d2, b) + 1));
  const repulsion = tabulate((d2) => (2 * gamma * b) / ((0.001 + d2) * (a * Math.pow(d2, b) + 1)));
  const { from, to, epochsPerSample } = sampledEdges(graph, nEpochs);
  const edges = from.length;
  const epochsPerNegativeSample = epochsPerSample.map((e) => e / negativeSampleRate);
  const nextSample = epochsPerSample.slice();
  const nextNegativeSample = epochsPerNegativeSample.slice();
  let epoch = 0;

  const step = (): number => {
    if (epoch >= nEpochs) return epoch;
    const alpha = learningRate * (1 - epoch / nEpochs);
    for (let e = 0; e < edges; e++) {
      if (nextSample[e] > epoch) continue;
      const i = from[e] * 2, j = to[e] * 2;
      let x = embedding[i], y = embedding[i + 1];
      let dx = x - embedding[j], dy = y - embedding[j + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const coefficient = attraction(d2);
        const gx = clip(coefficient * dx) * alpha, gy = clip(coefficient * dy) * alpha;
        x += gx;
        y += gy;
        embedding[j] -= gx;
        embedding[j + 1] -= gy;
      }
      nextSample[e] += epochsPerSample[e];

      const negatives = Math.floor((epoch - nextNegativeSample[e]) / epochsPerNegativeSample[e]);
      for (let p = 0; p < negatives; p++) {
        const other = Math.floor(random() * n) * 2;
        if (other === i) continue;
        dx = x - embedding[other];
        dy = y - embedding[other + 1];
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const coefficient = repulsion(d2);
          x += clip(coefficient * dx) * alpha;
          y += clip(coefficient * dy) * alpha;
        } else {
          x += CLIP * alpha;
          y += CLIP * alpha;
        }
      }
      nextNegativeSample[e] += negatives * epochsPerNegativeSample[e];
      embedding[i] = x;
      embedding[i + 1] = y;
    }
    return ++epoch;
  };
  return { step, nEpochs };
}

/** The edges heavy enough to be sampled at least once, and how many epochs apart each is sampled. */
function sampledEdges({ from, to, weights }: FuzzyGraph, nEpochs: number) {
  let max = 0;
  for (let e = 0; e < weights.length; e++) max = Math.max(max, weights[e]);
  let kept = 0;
  for (let e = 0; e < weights.length; e++) if (weights[e] >= max / nEpochs) kept++;
  const edges = { from: new Int32Array(kept), to: new Int32Array(kept), epochsPerSample: new Float64Array(kept) };
  for (let e = 0, at = 0; e < weights.length; e++) {
    if (weights[e] < max / nEpochs) continue;
    edges.from[at] = from[e];
    edges.to[at] = to[e];
    edges.epochsPerSample[at++] = max / weights[e];
  }
  return edges;
}

function clip(value: number): number {
  return value > CLIP ? CLIP : value < -CLIP ? -CLIP : value;
}
