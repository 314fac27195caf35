/**
 * One entry point from vectors to a 2-D map: `project(vectors, { method, …options })`. Pure:
 * arrays and options in, numbers out; no database, React or fetch. Each result can `place` more
 * vectors on the same map without moving the points already there.
 */
import { projectOnAxes, type AxesOptions } from "./axes";
import { pca, type PcaOptions } from "./pca";
import { fitUmap, type UmapOptions } from "./umap";

export { projectOnAxes, type AxesOptions, type AxesProjection, type AxisEnds } from "./axes";
export { nearestNeighbours, neighboursFromMatrix, type Neighbour, type NeighbourOptions } from "./neighbours";
export { orderBySimilarity } from "./ordering";
export { fitPca, pca, type PcaModel, type PcaOptions, type PcaProjection } from "./pca";
export { createRandom } from "./random";
export { fitUmap, MIN_UMAP_POINTS, type UmapOptions, type UmapProjection } from "./umap";

export const defaults = {
  /** UMAP: it keeps neighbourhoods, which is what an embeddings map is read for. */
  method: "umap" as const,
};

/** Options for `project`: the method, plus that method's own options (each documented there). */
export type ProjectOptions =
  | ({ method?: "umap" } & UmapOptions)
  | ({ method: "pca" } & Omit<PcaOptions, "components">)
  | ({ method: "axes" } & AxesOptions);

export interface Point {
  x: number;
  y: number;
}

export interface Projection {
  /** One point per input vector, in input order. */
  points: Point[];
  /** The method that actually ran: "pca" when UMAP fell back to it (see `note`). */
  method: "umap" | "pca" | "axes";
  /** Why the result differs from what was asked (fallback, clamped options, stopped early, what y means). */
  note?: string;
  /**
   * Points for new vectors on this same map (UMAP transform, PCA projection or axes projection).
   * The existing points never move, and the same vector always lands on the same point.
   */
  place(newVectors: readonly ArrayLike<number>[]): Point[];
}

/**
 * Projects vectors to 2-D with UMAP (default), PCA or semantic axes. Async because UMAP yields to
 * the event loop during its neighbour search and between epochs. An empty list gives no points;
 * placing onto it throws, since no map exists yet.
 */
export async function project(
  vectors: readonly ArrayLike<number>[],
  options: ProjectOptions = {},
): Promise<Projection> {
  const method = options.method ?? defaults.method;
  if (method !== "umap" && method !== "pca" && method !== "axes") {
    throw new Error(`method must be "umap", "pca" or "axes", got ${JSON.stringify(method)}.`);
  }
  if (vectors.length === 0 && method !== "axes") {
    return {
      points: [],
      method,
      note: "No vectors to project.",
      place: () => {
        throw new Error("Nothing has been projected yet: project at least one vector before placing more.");
      },
    };
  }
  switch (options.method) {
    case "pca": {
      const { model, points } = pca(vectors, { seed: options.seed });
      const ratio = model.explainedVarianceRatio.reduce((sum, value) => sum + value, 0);
      return {
        points: points.map(toXY),
        method: "pca",
        note:
          ratio > 0
            ? `The two components explain ${(ratio * 100).toFixed(1)}% of the variance.`
            : "The vectors do not vary: every point is at the origin.",
        place: (newVectors) => model.project(newVectors).map(([x, y = 0]) => ({ x, y })),
      };
    }
    case "axes": {
      const result = projectOnAxes(vectors, options);
      const note = {
        axis: undefined,
        residual: "y is the main direction of variation left after the x axis.",
        none: "y is 0: nothing varies apart from the x axis.",
      }[result.y];
      return {
        points: result.points.map(toXY),
        method: "axes",
        ...(note && { note }),
        place: (newVectors) => result.place(newVectors).map(toXY),
      };
    }
    case "umap":
    case undefined: {
      const result = await fitUmap(vectors, options);
      return {
        points: result.points.map(toXY),
        method: result.method,
        ...(result.note && { note: result.note }),
        place: (newVectors) => result.transform(newVectors).map(toXY),
      };
    }
  }
}

function toXY([x, y]: readonly [number, number]): Point {
  return { x, y };
}
