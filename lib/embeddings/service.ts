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
 * them, so a failing model call stores nothing of its texts. For a model computing off this thread
 * (`overlapBatchSize`), many new texts go in slices, each stored while the model computes the next:
 * a failure then keeps the slices already stored, which are correct vectors of valid texts.
 * Recently used vectors are also kept in memory (EMBEDDING_MEMORY_CACHE_MB), so a text asked for
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
  const sliceSize = store ? (model.overlapBatchSize ?? missing.length) : missing.length;
  const embedSlice = async (from: number) => {
    const slice = missing.slice(from, from + sliceSize);
    return { slice, fresh: checkShape(id, slice, await model.embed(slice)) };
  };
  let next = missing.length > 0 ? embedSlice(0) : undefined;
  for (let from = 0; next; from += sliceSize) {
    const { slice, fresh } = await next;
    next = from + sliceSize < missing.length ? embedSlice(from + sliceSize) : undefined;
    next?.catch(() => {}); // awaited on the next turn; a failure of this slice's store must not leave it unhandled
    if (store) {
      await saveEmbeddings(db, { model: id, entries: slice.map((text, i) => ({ text, vector: fresh[i] })) });
      slice.forEach((text, i) => memory?.set(id, text, fresh[i]));
    }
    slice.forEach((text, i) => stored.set(text, fresh[i]));
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
    cache = bytes > 0 ? new VectorMemoryCache(Math.floor(bytes / Float64Array.BYTES_PER_ELEMENT)) : null;
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
