import { AppError } from "../api/errors";
import type { Database } from "../db/connection";
import { getEmbeddingsByTexts, saveEmbeddings } from "../db/queries";
import { normalize } from "../vectors";
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
 * all of them, so a failing request stores nothing.
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
  const stored = await getEmbeddingsByTexts(db, { model: id, texts });
  const missing = [...new Set(texts.filter((text) => !stored.has(text)))];
  if (missing.length > 0) {
    const fresh = checkShape(id, missing, await model.embed(missing));
    if (store) await saveEmbeddings(db, { model: id, entries: missing.map((text, i) => ({ text, vector: fresh[i] })) });
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
