import { AppError } from "../api/errors";
import { readConfig } from "../config";
import type { Database } from "../db/connection";
import { getEmbeddingsByTexts, saveEmbeddings } from "../db/queries";
import { normalize } from "../vectors";
import { VectorMemoryCache } from "./memory-cache";
import { resolveModel } from "./registry";
import type { ModelInfo } from "./types";

export interface EmbeddedTexts {
  model: ModelInfo;
  dims: number;
  /** One L2-normalised vector per input text, in input order. */
  vectors: number[][];
}

/**
 * Embeds texts with a model, through the database cache: each distinct text is embedded at most
 * once per model, ever. New vectors are stored in one statement after the model has answered for
 * all of them, so a failing request stores nothing. Recently used vectors are also kept in memory (EMBEDDING_MEMORY_CACHE_MB), so a text asked for
 * again needs no database round trip.
 *
 * `store: false` reads the cache but adds nothing to it: for texts that must not become visible to
 * everyone through `scope: "texts"` search (private collections' chunks and the questions asked
 * of them).
 */
export async function embedTexts(
  db: Database,
  { model: modelId, texts, store = true }: { model?: string; texts: string[]; store?: boolean },
): Promise<EmbeddedTexts> {
  const model = resolveModel(modelId);
  const id = model.info().id;
  const memory = memoryCacheFor(db);
  const stored = new Map<string, number[]>();
  for (const text of texts) {
    const vector = memory?.get(id, text);
    if (vector) stored.set(text, vector);
  }
  const notInMemory = texts.filter((text) => !stored.has(text));
  if (notInMemory.length > 0) {
    for (const [text, vector] of await getEmbeddingsByTexts(db, { model: id, texts: notInMemory })) {
      stored.set(text, vector);
      memory?.set(id, text, vector);
    }
  }
  const missing = [...new Set(texts.filter((text) => !stored.has(text)))];
  if (missing.length > 0) {
    const fresh = checkShape(id, missing, await model.embed(missing));
    if (store) {
      await saveEmbeddings(db, { model: id, entries: missing.map((text, i) => ({ text, vector: fresh[i] })) });
      missing.forEach((text, i) => memory?.set(id, text, fresh[i]));
    }
    missing.forEach((text, i) => stored.set(text, fresh[i]));
  }
  const vectors = texts.map((text) => stored.get(text)!);
  const dims = vectors[0].length;
  if (vectors.some((vector) => vector.length !== dims)) {
    throw new AppError(
      "conflict:model",
      `Stored ${id} vectors have different dimensions; the model changed. Use a new model id.`,
    );
  }
  return { model: model.info(), dims, vectors };
}

const memoryCaches = new WeakMap<Database, VectorMemoryCache | null>();

/** The memory cache in front of `db`'s embeddings table, or null when it is turned off. */
function memoryCacheFor(db: Database): VectorMemoryCache | null {
  let cache = memoryCaches.get(db);
  if (cache === undefined) {
    const bytes = readConfig().EMBEDDING_MEMORY_CACHE_MB * 2 ** 20;
    cache = bytes > 0 ? new VectorMemoryCache(bytes) : null;
    memoryCaches.set(db, cache);
  }
  return cache;
}

/** Guards the cache against a model that answers with the wrong count, ragged or empty vectors. */
function checkShape(modelId: string, texts: string[], vectors: number[][]): number[][] {
  if (vectors.length !== texts.length) {
    throw new AppError("bad_gateway:model", `${modelId} returned ${vectors.length} vectors for ${texts.length} texts.`);
  }
  return vectors.map((vector, i) => {
    if (vector.length === 0 || vector.length !== vectors[0].length) {
      throw new AppError("bad_gateway:model", `${modelId} returned vectors of inconsistent length (${vector.length} vs ${vectors[0].length}).`);
    }
    try {
      return normalize(vector);
    } catch {
      throw new AppError("bad_request:texts", `${modelId} gave "${texts[i].slice(0, 60)}" a zero vector; it has no direction to compare.`);
    }
  });
}
