import { createHash } from "node:crypto";
import { AppError } from "../api/errors";
import type { Database } from "../db/connection";
import { mergeWarnings, type TextWarning } from "../embeddings/readability";
import { embedTexts, type EmbeddedTexts } from "../embeddings/service";
import type { ModelInfo } from "../embeddings/types";
import { project, type Projection } from "../projection";
import type { MapLayout, MapParams } from "./schemas";

/**
 * Embeds texts and lays them out on a map. Fitted projections are kept in a small in-memory cache
 * so placing a new text on a map just computed (UMAP's transform) does not refit; after a restart
 * the refit is the same anyway, because every projection is seeded and deterministic.
 */

const cache = new Map<string, Promise<Projection>>();
const maxCached = 16;

export interface ComputedLayout {
  model: ModelInfo;
  layout: MapLayout;
  /** Coordinates of the `place` texts, in order, on the same map. */
  placed: [number, number][];
  /** Texts (axis ends included) the model embedded without knowing all their pieces. */
  warnings: TextWarning[];
}

export async function computeLayout(
  db: Database,
  {
    model: modelId,
    texts,
    method,
    params = {},
    place = [],
  }: { model?: string; texts: string[]; method: MapLayout["method"]; params?: MapParams; place?: string[] },
): Promise<ComputedLayout> {
  if (method === "axes" && !params.axes) {
    throw new AppError("bad_request:params", 'The axes method needs params.axes, e.g. { "x": ["man", "woman"], "y": ["small", "big"] }.');
  }
  // Axis ends are checked before anything is stored: two texts with the same vector make no axis.
  const axes =
    method === "axes" && params.axes ? await embedAxisEnds(db, modelId, [params.axes.x, ...(params.axes.y ? [params.axes.y] : [])]) : undefined;
  const axisVectors = axes?.vectors ?? [];
  const { model, vectors, warnings } = await embedTexts(db, { model: modelId, texts: [...texts, ...place] });
  const textVectors = vectors.slice(0, texts.length);
  const placeVectors = vectors.slice(texts.length);

  const key = createHash("sha256").update(JSON.stringify([model.id, texts, method, params])).digest("hex");
  let projection = cache.get(key);
  if (!projection) {
    projection = project(textVectors, projectionOptions(method, params, axisVectors));
    projection.catch(() => cache.delete(key));
    cache.set(key, projection);
    if (cache.size > maxCached) cache.delete(cache.keys().next().value!);
  }
  const fitted = await projection;
  const placed = place.length > 0 ? await fitted.place(placeVectors) : [];
  return {
    model,
    layout: {
      method: fitted.method,
      ...(fitted.note ? { note: fitted.note } : {}),
      points: fitted.points.map((point) => [round(point.x), round(point.y)]),
    },
    placed: placed.map((point) => [round(point.x), round(point.y)]),
    warnings: mergeWarnings(warnings, axes?.warnings ?? []),
  };
}

async function embedAxisEnds(db: Database, model: string | undefined, axes: [string, string][]): Promise<EmbeddedTexts> {
  const embedded = await embedTexts(db, { model, texts: axes.flat(), store: false });
  const { vectors } = embedded;
  axes.forEach(([from, to], i) => {
    if (vectors[2 * i].every((value, d) => value === vectors[2 * i + 1][d])) {
      throw new AppError("bad_request:params", `The axis from "${from.slice(0, 40)}" to "${to.slice(0, 40)}" has no direction: the model gives both the same vector. Choose two texts that differ in meaning.`);
    }
  });
  return embedded;
}

function projectionOptions(method: MapLayout["method"], params: MapParams, axisVectors: number[][]) {
  if (method === "axes") {
    const [xFrom, xTo, yFrom, yTo] = axisVectors;
    return { method, x: [xFrom, xTo] as [number[], number[]], ...(yFrom ? { y: [yFrom, yTo] as [number[], number[]] } : {}) };
  }
  if (method === "umap") return { method, nNeighbors: params.nNeighbors, minDist: params.minDist, seed: params.seed };
  return { method };
}

// Six decimals are far below a pixel at any zoom and keep saved explorations compact.
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
