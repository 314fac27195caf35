import { AppError } from "../api/errors";
import { readConfig } from "../config";
import type { Database } from "../db/connection";
import { getVocabularyLoad, saveVocabularyBatch, startVocabularyLoad } from "../db/queries";
import { normalize } from "../vectors";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "./glove";

/**
 * GloVe's vocabulary in pgvector, so analogies and "nearest words" search 100k words through HNSW.
 * Loaded once per database, in batches (one transaction each, resumable after a restart), with
 * progress logged and reported; the HNSW index grows with each batch.
 */

export type VocabularyStatus =
  | { state: "absent"; wordsLoaded: 0; wordsTarget: number }
  | { state: "loading" | "ready"; wordsLoaded: number; wordsTarget: number };

const batchSize = 1000;
const loads = new WeakMap<Database, Promise<void>>();

/** How far the vocabulary load of this database has come. */
export async function getVocabularyStatus(db: Database): Promise<VocabularyStatus> {
  const wordsTarget = readConfig().GLOVE_VOCABULARY_SIZE;
  const load = await getVocabularyLoad(db, { model: GLOVE_MODEL_ID });
  if (!load) return { state: "absent", wordsLoaded: 0, wordsTarget };
  const ready = load.completed && load.wordsTarget >= wordsTarget;
  return { state: ready ? "ready" : "loading", wordsLoaded: load.wordsLoaded, wordsTarget };
}

/**
 * Loads the vocabulary if it is not complete; resolves when it is. Concurrent callers share one
 * load. `GLOVE_VOCABULARY_SIZE` (default 100,000) sets how many of the most frequent words go in.
 */
export function loadVocabulary(
  db: Database,
  { onProgress = logProgress }: { onProgress?: (status: VocabularyStatus) => void } = {},
): Promise<void> {
  let pending = loads.get(db);
  if (!pending) {
    pending = runLoad(db, onProgress).finally(() => loads.delete(db));
    loads.set(db, pending);
  }
  return pending;
}

/**
 * For requests that need the vocabulary: returns when it is ready; otherwise starts loading it in
 * the background and throws a 503 that says how far it has come and when to retry.
 */
export async function requireVocabulary(db: Database): Promise<void> {
  const status = await getVocabularyStatus(db);
  if (status.state === "ready") return;
  loadVocabulary(db).catch((error) => console.error("[vocabulary] load failed:", error));
  const percent = Math.floor((100 * status.wordsLoaded) / status.wordsTarget);
  throw new AppError(
    "unavailable:vocabulary",
    `The ${GLOVE_MODEL_ID} vocabulary is being loaded into pgvector (${status.wordsLoaded.toLocaleString("en")} of ` +
      `${status.wordsTarget.toLocaleString("en")} words, ${percent}%); this happens once. Retry in a few seconds.`,
    { headers: { "Retry-After": "5" } },
  );
}

async function runLoad(db: Database, onProgress: (status: VocabularyStatus) => void): Promise<void> {
  const wordsTarget = readConfig().GLOVE_VOCABULARY_SIZE;
  const vocabulary = await loadGloveVocabulary();
  const target = Math.min(wordsTarget, vocabulary.wordCount);
  const start = await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget: target });
  if (start.completed) return;
  let lastReported = -1;
  for (const batch of vocabulary.batches({ limit: target, batchSize })) {
    const lastRank = batch[batch.length - 1].rank;
    if (lastRank <= start.wordsLoaded) continue;
    const words = batch
      .filter((entry) => entry.rank > start.wordsLoaded)
      .map((entry) => ({ rank: entry.rank, word: entry.word, vector: normalize(entry.vector) }));
    await saveVocabularyBatch(db, { model: GLOVE_MODEL_ID, words, wordsTarget: target });
    const decile = Math.floor((10 * lastRank) / target);
    if (decile !== lastReported) {
      lastReported = decile;
      onProgress({ state: lastRank >= target ? "ready" : "loading", wordsLoaded: lastRank, wordsTarget: target });
    }
    // The embedded database runs on this thread: let waiting requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function logProgress(status: VocabularyStatus): void {
  const percent = Math.floor((100 * status.wordsLoaded) / status.wordsTarget);
  console.log(`[vocabulary] ${GLOVE_MODEL_ID}: ${status.wordsLoaded} of ${status.wordsTarget} words in pgvector (${percent}%)`);
}
