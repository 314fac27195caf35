import { AppError } from "../api/errors";
import { readConfig } from "../config";
import type { Database } from "../db/connection";
import {
  buildVocabularyIndex,
  completeVocabularyLoad,
  getVocabularyLoad,
  saveVocabularyWords,
  startVocabularyLoad,
} from "../db/vocabulary-queries";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "./glove";

/**
 * GloVe's vocabulary in pgvector, so analogies and "nearest words" search 100k words through HNSW.
 * Loaded once per database: the words in bulk batches (one transaction each, resumable after a
 * restart), then the HNSW index built once over all of them; progress logged and reported.
 */

/**
 * `loading`: words going in (`wordsLoaded` of `wordsTarget`); `indexing`: all words in, the HNSW
 * index being built (the longest step; on PGlite the server answers nothing else meanwhile).
 */
export type VocabularyStatus =
  | { state: "absent"; wordsLoaded: 0; wordsTarget: number }
  | { state: "loading" | "indexing" | "ready"; wordsLoaded: number; wordsTarget: number };

/** Words per transaction: ten progress steps for 100k words, ~4 MB of COPY data each. */
const batchSize = 10_000;
const loads = new WeakMap<Database, Promise<void>>();
/** After a failed load, requests wait this long before starting another (on PGlite each try can stall the server). */
const retryAfterFailureMs = 60_000;
const failures = new WeakMap<Database, { at: number; reason: string }>();
/**
 * Databases whose vocabulary was seen complete. A complete load stays complete (nothing deletes
 * words), so search requests skip the status query once it has said "ready": one query fewer per
 * request, which counts on PGlite, where every query runs on the server's own thread.
 */
const seenReady = new WeakSet<Database>();

/** How far the vocabulary load of this database has come. */
export async function getVocabularyStatus(db: Database): Promise<VocabularyStatus> {
  const wordsTarget = readConfig().GLOVE_VOCABULARY_SIZE;
  const load = await getVocabularyLoad(db, { model: GLOVE_MODEL_ID });
  if (!load) return { state: "absent", wordsLoaded: 0, wordsTarget };
  const ready = load.completed && load.wordsTarget >= wordsTarget;
  const state = ready ? "ready" : load.wordsLoaded >= wordsTarget ? "indexing" : "loading";
  return { state, wordsLoaded: load.wordsLoaded, wordsTarget };
}

/**
 * Loads the vocabulary if it is not complete; resolves when it is. Concurrent callers share one
 * load. `GLOVE_VOCABULARY_SIZE` (default 100,000) sets how many of the most frequent words go in.
 */
export function loadVocabulary(
  db: Database,
  { onProgress = progressLogger() }: { onProgress?: (status: VocabularyStatus) => void } = {},
): Promise<void> {
  let pending = loads.get(db);
  if (!pending) {
    pending = runLoad(db, onProgress)
      .then(
        () => void failures.delete(db),
        (error: unknown) => {
          failures.set(db, { at: Date.now(), reason: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      )
      .finally(() => loads.delete(db));
    loads.set(db, pending);
  }
  return pending;
}

/**
 * For requests that need the vocabulary: returns when it is ready; otherwise starts loading it in
 * the background and throws a 503 that says how far it has come and when to retry.
 */
export async function requireVocabulary(db: Database): Promise<void> {
  if (seenReady.has(db)) return;
  const status = await getVocabularyStatus(db);
  if (status.state === "ready") {
    seenReady.add(db);
    return;
  }
  const failure = failures.get(db);
  const waitMs = failure ? failure.at + retryAfterFailureMs - Date.now() : 0;
  if (failure && waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new AppError(
      "unavailable:vocabulary",
      `Loading the ${GLOVE_MODEL_ID} vocabulary into pgvector failed (${failure.reason.slice(0, 200)}); the next attempt starts in ${seconds} s.`,
      { headers: { "Retry-After": String(seconds) } },
    );
  }
  loadVocabulary(db).catch((error) => console.error("[vocabulary] load failed:", error));
  const percent = Math.floor((100 * status.wordsLoaded) / status.wordsTarget);
  const progress =
    status.state === "indexing"
      ? `all ${status.wordsTarget.toLocaleString("en")} words are in, their HNSW index is being built`
      : `${status.wordsLoaded.toLocaleString("en")} of ${status.wordsTarget.toLocaleString("en")} words, ${percent}%`;
  // The embedded database builds the index on the server's own thread: say so, or the pause looks like a hang.
  const pause = db.kind === "pglite" ? " While the index is built (about a minute) the server answers nothing else." : "";
  throw new AppError(
    "unavailable:vocabulary",
    `The ${GLOVE_MODEL_ID} vocabulary is being loaded into pgvector (${progress}); this happens once.${pause} Retry in a few seconds.`,
    { headers: { "Retry-After": "5" } },
  );
}

async function runLoad(db: Database, onProgress: (status: VocabularyStatus) => void): Promise<void> {
  const wordsTarget = readConfig().GLOVE_VOCABULARY_SIZE;
  const vocabulary = await loadGloveVocabulary();
  const target = Math.min(wordsTarget, vocabulary.wordCount);
  const start = await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget: target });
  if (start.completed) return;
  if (start.wordsLoaded < target) onProgress({ state: "loading", wordsLoaded: start.wordsLoaded, wordsTarget: target });
  for (const batch of vocabulary.batches({ limit: target, batchSize })) {
    const lastRank = batch[batch.length - 1].rank;
    if (lastRank <= start.wordsLoaded) continue;
    const words = batch
      .filter((entry) => entry.rank > start.wordsLoaded)
      .map((entry) => ({ rank: entry.rank, word: entry.word, vector: unitFloat32(entry.vector) }));
    await saveVocabularyWords(db, { model: GLOVE_MODEL_ID, words });
    onProgress({ state: "loading", wordsLoaded: lastRank, wordsTarget: target });
    // The embedded database runs on this thread: let waiting requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  onProgress({ state: "indexing", wordsLoaded: target, wordsTarget: target });
  await buildVocabularyIndex(db);
  await completeVocabularyLoad(db, { model: GLOVE_MODEL_ID });
  onProgress({ state: "ready", wordsLoaded: target, wordsTarget: target });
}

/** Unit length in float32, what pgvector stores; GloVe has no zero vectors. */
function unitFloat32(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const length = Math.sqrt(sum);
  return Float32Array.from(vector, (value) => value / length);
}

/** Logs each report with the seconds since the load's first one (its start, or its index build when resuming there). */
function progressLogger(): (status: VocabularyStatus) => void {
  let started = 0;
  return (status) => {
    started ||= performance.now();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const words = `${status.wordsLoaded.toLocaleString("en")} of ${status.wordsTarget.toLocaleString("en")} words`;
    const percent = Math.floor((100 * status.wordsLoaded) / status.wordsTarget);
    const message =
      status.state === "indexing"
        ? `${words} in pgvector after ${seconds} s; building the HNSW index (the longest step)…`
        : status.state === "ready"
          ? `${words} in pgvector with their HNSW index after ${seconds} s: ready`
          : `${words} in pgvector (${percent}%) after ${seconds} s`;
    console.log(`[vocabulary] ${GLOVE_MODEL_ID}: ${message}`);
  };
}
