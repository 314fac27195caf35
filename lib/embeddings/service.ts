import { AppError } from "../api/errors";
import { readConfig } from "../config";
import type { Database } from "../db/connection";
import { duringEmbedding } from "../db/embedding-index";
import { deferredEmbeddings, flushEmbeddingWrites, getEmbeddingsByTexts, hasDeferredEmbeddings, saveEmbeddingsLater } from "../db/queries";
import { normalize } from "../vectors";
import { VectorMemoryCache } from "./memory-cache";
import { checkReadable, type TextWarning } from "./readability";
import { resolveModel } from "./registry";
import type { EmbeddingModel, ModelInfo } from "./types";

export interface EmbeddedTexts {
  model: ModelInfo;
  dims: number;
  /** One L2-normalised vector per input text, in input order. */
  vectors: number[][];
  /** Texts the model embedded without knowing all their pieces; empty when it knew everything. */
  warnings: TextWarning[];
}

/**
 * Embeds texts with a model, through the database cache: each distinct text is embedded at most
 * once per model, ever. New vectors are stored in one statement after the model has answered for
 * all of them, so a failing request stores nothing; the statement runs after the reply
 * (`saveEmbeddingsLater`), and a search of stored texts waits for it. The rows join the HNSW index
 * once the server is idle (embedding-index.ts), which keeps out of the way while this runs.
 * Recently used vectors are also kept in memory (EMBEDDING_MEMORY_CACHE_MB), so a text asked for
 * again needs no database round trip.
 *
 * Texts the model cannot read are refused first (`unreadable:texts`, see readability.ts): they are
 * never embedded, cached or stored.
 *
 * `store: false` reads the cache but adds nothing to it: for texts that must not become visible to
 * everyone through `scope: "texts"` search (private collections' chunks and the questions asked
 * of them).
 */
export function embedTexts(db: Database, request: { model?: string; texts: string[]; store?: boolean }): Promise<EmbeddedTexts> {
  return duringEmbedding(db, () => embedThroughCaches(db, request));
}

async function embedThroughCaches(
  db: Database,
  { model: modelId, texts, store = true }: { model?: string; texts: string[]; store?: boolean },
): Promise<EmbeddedTexts> {
  const model = resolveModel(modelId);
  const id = model.info().id;
  const warnings = await checkReadable(model, texts);
  const memory = memoryCacheFor(db);
  const stored = new Map<string, number[]>();
  for (const text of texts) {
    const vector = memory?.get(id, text);
    if (vector) stored.set(text, vector);
  }
  for (const [text, vector] of deferredEmbeddings(db, { model: id, texts: texts.filter((text) => !stored.has(text)) })) {
    stored.set(text, vector);
  }
  const unknown = [...new Set(texts.filter((text) => !stored.has(text)))];
  // Start the model before the database lookup when little can be wasted (the lookup may find
  // some of these texts): for a few texts, as when a word is typed, or while earlier rows are
  // still being written, behind which the lookup queues on PGlite.
  const early =
    unknown.length > 0 && (unknown.length <= speculativeTexts || hasDeferredEmbeddings(db)) ? embedChecked(model, unknown) : undefined;
  if (early) {
    early.catch(() => {}); // awaited below when needed; never left unhandled
    // PGlite runs the lookup on this thread: let the model's batcher hand the texts over first.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (unknown.length > 0) {
    for (const [text, vector] of await getEmbeddingsByTexts(db, { model: id, texts: unknown })) {
      stored.set(text, vector);
      memory?.set(id, text, vector);
    }
  }
  const missing = unknown.filter((text) => !stored.has(text));
  if (missing.length > 0) {
    const computed = early ? await early : await embedChecked(model, missing);
    const fresh = missing.map((text) => computed.get(text)!);
    if (store) {
      const entries = missing.map((text, i) => ({ text, vector: fresh[i] }));
      entries.forEach(({ text, vector }) => memory?.set(id, text, vector));
      // Written after the reply; a failed write takes the vectors out of memory again.
      void saveEmbeddingsLater(db, { model: id, entries }).then((written) => {
        if (!written) entries.forEach(({ text }) => memory?.delete(id, text));
      });
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
  return { model: model.info(), dims, vectors, warnings };
}

/**
 * Waits until every cache row deferred by `embedTexts` for `db` is written (the production server
 * calls it on SIGTERM, before the database closes). Next.js bundles this module, and the queue in
 * lib/db/queries.ts it writes through, once per layer that imports it, each copy with a queue of
 * its own; so each copy adds its flush to one set on globalThis, and this waits for all of them.
 */
export async function flushDeferredEmbeddings(db: Database): Promise<void> {
  await Promise.all([...deferredWriteFlushes].map((flush) => flush(db)));
}

const flushRegistry = globalThis as unknown as { embeddingsNotebookDeferredWriteFlushes?: Set<(db: Database) => Promise<void>> };
const deferredWriteFlushes = (flushRegistry.embeddingsNotebookDeferredWriteFlushes ??= new Set());
deferredWriteFlushes.add(flushEmbeddingWrites);

/** Up to this many texts missing from memory, the model starts before the database is asked. */
const speculativeTexts = 8;

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

/** The model's normalised vectors for `texts`, by text. */
async function embedChecked(model: EmbeddingModel, texts: string[]): Promise<Map<string, number[]>> {
  const vectors = checkShape(model.info().id, texts, await model.embed(texts));
  return new Map(texts.map((text, i) => [text, vectors[i]]));
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
