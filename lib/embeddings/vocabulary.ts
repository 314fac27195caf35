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
import { vocabularyStore } from "../db/vocabulary-store";
import { glove, loadGloveVocabulary } from "./glove";
import { tokenizeForGlove } from "./glove-tokens";
import type { EmbeddingModel, ModelVocabulary } from "./types";

/**
 * A word model's vocabulary in pgvector, so analogies and "nearest words" search its words
 * through HNSW: GloVe's 100k most frequent words, or the Chinese headwords of cedict-glove-100d.
 * Loaded once per database and model: the words in bulk batches (one transaction each, resumable
 * after a restart), then the model's own HNSW index built once over all of them; progress logged
 * and reported. Every function takes the model (default glove-100d). Where the words live is the
 * database's vocabulary store (lib/db/vocabulary-store.ts): on PGlite possibly a database of its
 * own in a worker thread, whose index build leaves the server answering.
 */

/** A model that offers a vocabulary (see `EmbeddingModel.vocabulary`). */
export type WordModel = EmbeddingModel & { vocabulary: ModelVocabulary };

/** GloVe's vocabulary: its `GLOVE_VOCABULARY_SIZE` (default 100,000) most frequent words. */
export const gloveVocabulary: ModelVocabulary = {
  wordsTarget: () => readConfig().GLOVE_VOCABULARY_SIZE,
  async load() {
    const words = await loadGloveVocabulary();
    return { wordCount: words.wordCount, batches: (options) => words.batches(options) };
  },
  wordsIn: async (text) => tokenizeForGlove(text),
};

/** glove-100d with its vocabulary, as the registry lists it. */
export const gloveWordModel: WordModel = { ...glove, vocabulary: gloveVocabulary };

/** True when the model offers a vocabulary for scope "vocabulary". */
export function hasVocabulary(model: EmbeddingModel): model is WordModel {
  return model.vocabulary !== undefined;
}

/**
 * `loading`: words going in (`wordsLoaded` of `wordsTarget`); `indexing`: all words in, the HNSW
 * index being built (the longest step; with the words in the main PGlite, the server answers
 * nothing else meanwhile).
 */
export type VocabularyStatus =
  | { state: "absent"; wordsLoaded: 0; wordsTarget: number }
  | { state: "loading" | "indexing" | "ready"; wordsLoaded: number; wordsTarget: number };

/** Words per transaction: ten progress steps for 100k words, ~4 MB of COPY data each. */
const batchSize = 10_000;
const loads = new WeakMap<Database, Map<string, Promise<void>>>();
/** After a failed load, requests wait this long before starting another (on PGlite each try can stall the server). */
const retryAfterFailureMs = 60_000;
const failures = new WeakMap<Database, Map<string, { at: number; reason: string }>>();
/**
 * Per database, the models whose vocabulary was seen complete. A complete load stays complete
 * (nothing deletes words), so search requests skip the status query once it has said "ready": one query fewer per
 * request, which counts on PGlite, where every query runs on the server's own thread.
 */
const seenReady = new WeakMap<Database, Set<string>>();
/**
 * Per database, the last progress of each load this process runs. Status checks read it instead of
 * asking the vocabulary's database, which is busy with the index build for most of the load.
 */
const running = new WeakMap<Database, Map<string, VocabularyStatus>>();

/** The database's entry of a per-database map, made on first use. */
function forDatabase<T>(map: WeakMap<Database, T>, db: Database, make: () => T): T {
  let entry = map.get(db);
  if (entry === undefined) map.set(db, (entry = make()));
  return entry;
}

/** How far the load of the model's vocabulary (default glove-100d's) into this database has come. */
export async function getVocabularyStatus(db: Database, model: WordModel = gloveWordModel): Promise<VocabularyStatus> {
  const wordsTarget = model.vocabulary.wordsTarget();
  const progress = running.get(db)?.get(model.info().id);
  if (progress && progress.wordsTarget >= wordsTarget) return progress;
  const load = await getVocabularyLoad(db, { model: model.info().id });
  if (!load) return { state: "absent", wordsLoaded: 0, wordsTarget };
  const ready = load.completed && load.wordsTarget >= wordsTarget;
  const state = ready ? "ready" : load.wordsLoaded >= wordsTarget ? "indexing" : "loading";
  return { state, wordsLoaded: load.wordsLoaded, wordsTarget };
}

/**
 * Loads the model's vocabulary (default glove-100d's) if it is not complete; resolves when it is.
 * Concurrent callers share one load per model. The model's `wordsTarget()` sets how many words go
 * in (for GloVe, `GLOVE_VOCABULARY_SIZE`, default 100,000).
 */
export function loadVocabulary(
  db: Database,
  { model = gloveWordModel, onProgress = progressLogger(model.info().id) }: { model?: WordModel; onProgress?: (status: VocabularyStatus) => void } = {},
): Promise<void> {
  const id = model.info().id;
  const modelLoads = forDatabase(loads, db, () => new Map());
  let pending = modelLoads.get(id);
  if (!pending) {
    const progress = forDatabase(running, db, () => new Map());
    const report = (status: VocabularyStatus) => {
      progress.set(id, status);
      onProgress(status);
    };
    // A database of its own that does not exist yet holds no words: say so while it is being created.
    if (!vocabularyStore(db).mayHoldData()) progress.set(id, { state: "loading", wordsLoaded: 0, wordsTarget: model.vocabulary.wordsTarget() });
    pending = runLoad(db, model, report)
      .then(
        () => void forDatabase(failures, db, () => new Map()).delete(id),
        (error: unknown) => {
          forDatabase(failures, db, () => new Map()).set(id, { at: Date.now(), reason: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      )
      .finally(() => {
        modelLoads.delete(id);
        progress.delete(id);
      });
    modelLoads.set(id, pending);
  }
  return pending;
}

/**
 * For requests that need the vocabulary: returns when it is ready; otherwise starts loading it in
 * the background and throws a 503 that says how far it has come and when to retry.
 */
export async function requireVocabulary(db: Database, model: WordModel = gloveWordModel): Promise<void> {
  const id = model.info().id;
  if (forDatabase(seenReady, db, () => new Set<string>()).has(id)) return;
  const status = await getVocabularyStatus(db, model);
  if (status.state === "ready") {
    forDatabase(seenReady, db, () => new Set<string>()).add(id);
    return;
  }
  const failure = forDatabase(failures, db, () => new Map()).get(id);
  const waitMs = failure ? failure.at + retryAfterFailureMs - Date.now() : 0;
  if (failure && waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    throw new AppError(
      "unavailable:vocabulary",
      `Loading the ${id} vocabulary into pgvector failed (${failure.reason.slice(0, 200)}); the next attempt starts in ${seconds} s.`,
      { headers: { "Retry-After": String(seconds) } },
    );
  }
  loadVocabulary(db, { model }).catch((error) => console.error(`[vocabulary] ${id}: load failed:`, error));
  const percent = Math.floor((100 * status.wordsLoaded) / status.wordsTarget);
  const progress =
    status.state === "indexing"
      ? `all ${status.wordsTarget.toLocaleString("en")} words are in, their HNSW index is being built`
      : `${status.wordsLoaded.toLocaleString("en")} of ${status.wordsTarget.toLocaleString("en")} words, ${percent}%`;
  // The main embedded database builds the index on the server's own thread: say so, or the pause looks like a hang.
  const pause = vocabularyStore(db).sharesServerSession ? " While the index is built (about a minute) the server answers nothing else." : "";
  throw new AppError(
    "unavailable:vocabulary",
    `The ${id} vocabulary is being loaded into pgvector (${progress}); this happens once.${pause} Retry in a few seconds.`,
    { headers: { "Retry-After": "5" } },
  );
}

async function runLoad(db: Database, model: WordModel, onProgress: (status: VocabularyStatus) => void): Promise<void> {
  const id = model.info().id;
  // A database of its own takes seconds to create: meanwhile, read the words.
  const [vocabulary] = await Promise.all([model.vocabulary.load(), vocabularyStore(db).open()]);
  const target = Math.min(model.vocabulary.wordsTarget(), vocabulary.wordCount);
  const [[first]] = vocabulary.batches({ limit: 1, batchSize: 1 });
  const dims = first.vector.length;
  const start = await startVocabularyLoad(db, { model: id, wordsTarget: target, dims });
  if (start.completed) return;
  if (start.wordsLoaded < target) onProgress({ state: "loading", wordsLoaded: start.wordsLoaded, wordsTarget: target });
  for (const batch of vocabulary.batches({ limit: target, batchSize })) {
    const lastRank = batch[batch.length - 1].rank;
    if (lastRank <= start.wordsLoaded) continue;
    const words = batch
      .filter((entry) => entry.rank > start.wordsLoaded)
      .map((entry) => ({ rank: entry.rank, word: entry.word, vector: unitFloat32(entry.vector) }));
    await saveVocabularyWords(db, { model: id, words });
    onProgress({ state: "loading", wordsLoaded: lastRank, wordsTarget: target });
    // The embedded database runs on this thread: let waiting requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  onProgress({ state: "indexing", wordsLoaded: target, wordsTarget: target });
  await buildVocabularyIndex(db, { model: id, dims });
  await completeVocabularyLoad(db, { model: id });
  onProgress({ state: "ready", wordsLoaded: target, wordsTarget: target });
}

/** Unit length in float32, what pgvector stores; vocabulary words have no zero vectors. */
function unitFloat32(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const length = Math.sqrt(sum);
  return Float32Array.from(vector, (value) => value / length);
}

/** Logs each report with the seconds since the load's first one (its start, or its index build when resuming there). */
function progressLogger(model: string): (status: VocabularyStatus) => void {
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
    console.log(`[vocabulary] ${model}: ${message}`);
  };
}
