import type { Database } from "./connection";
import { encodeBinaryCopy } from "./pg-copy";
import { vocabularyStore } from "./vocabulary-store";

/**
 * Loading a word model's vocabulary into pgvector in bulk: rows first, without the HNSW index,
 * then the index built once over all of them. Building it once is much faster than growing it row
 * by row (PGlite, 100k × 100-d: rows with the index maintained ~190 s; rows alone 2–5 s, then
 * ~42 s of CPU for the build). A load is complete only when its index exists, so "completed"
 * means searchable. Everything goes through the database's vocabulary store (vocabulary-store.ts):
 * the database itself, or on PGlite an embedded database of its own in a worker thread.
 */

/**
 * The partial HNSW index a model's vocabulary is searched through, one per model, e.g.
 * `vocabulary_words_hnsw_100_glove_100d`: a load then rebuilds only its own model's index, and a
 * search walks a graph of its own model's words only (no filtering through other models' nodes).
 * Model ids come from code (the registry's word models), not from requests.
 */
export function vocabularyIndexName(model: string, dims = 100): string {
  return `vocabulary_words_hnsw_${dims}_${model.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`.slice(0, 63);
}

/**
 * pgvector's defaults except `ef_construction` (64 → 40): on PGlite (one WASM thread) the build
 * time grows about linearly with it (61 s of CPU at 64, 33 s at 32), while recall@10 at the app's
 * `hnsw.ef_search` of 80 drops less than a point (0.980 → 0.971); BENCHMARKS.md, "Vocabulary load".
 */
export const vocabularyIndexOptions = { m: 16, efConstruction: 40 };

/**
 * Memory for the build. The graph must fit, or pgvector builds on disk at a fraction of the speed:
 * ~1 kB per 100-d word, so 512 MB covers the 200k-word maximum.
 */
const buildMemory = "512MB";

export interface VocabularyLoadState {
  wordsTarget: number;
  wordsLoaded: number;
  /** Every word is in and the HNSW index is built. */
  completed: boolean;
}

export interface VocabularyWordRow {
  /** 1 for the most frequent word; ranks arrive in order without gaps. */
  rank: number;
  word: string;
  /** Unit length: the index and the search use cosine distance. */
  vector: ArrayLike<number>;
}

type LoadRow = { words_target: number; words_loaded: number; completed: boolean };

const loadState = (row: LoadRow): VocabularyLoadState => ({ wordsTarget: row.words_target, wordsLoaded: row.words_loaded, completed: row.completed });

export async function getVocabularyLoad(db: Database, { model }: { model: string }): Promise<VocabularyLoadState | null> {
  const store = vocabularyStore(db);
  if (!store.mayHoldData()) return null;
  const [row] = await store.query<LoadRow>(
    `SELECT "words_target", "words_loaded", "completed_at" IS NOT NULL AS "completed" FROM "vocabulary_loads" WHERE "model" = $1`,
    [model],
  );
  return row ? loadState(row) : null;
}

/**
 * Starts, resumes or re-targets a load; it continues after the words already stored. When words
 * are missing, drops the model's HNSW index first, so the inserts don't maintain it; the load
 * rebuilds it at the end with `buildVocabularyIndex`. Other models' vocabularies stay searchable.
 */
export async function startVocabularyLoad(
  db: Database,
  { model, wordsTarget, dims = 100 }: { model: string; wordsTarget: number; dims?: number },
): Promise<VocabularyLoadState> {
  const store = vocabularyStore(db);
  const [{ count: loaded }] = await store.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "vocabulary_words" WHERE "model" = $1`, [model]);
  const indexed = loaded >= wordsTarget && (await vocabularyIndexExists(db, vocabularyIndexName(model, dims)));
  if (loaded < wordsTarget) await store.query(`DROP INDEX IF EXISTS "${vocabularyIndexName(model, dims)}"`);
  const [row] = await store.query<LoadRow>(
    `INSERT INTO "vocabulary_loads" ("model", "words_target", "words_loaded", "completed_at")
     VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END)
     ON CONFLICT ("model") DO UPDATE
       SET "words_target" = EXCLUDED."words_target", "words_loaded" = EXCLUDED."words_loaded", "completed_at" = EXCLUDED."completed_at"
     RETURNING "words_target", "words_loaded", "completed_at" IS NOT NULL AS "completed"`,
    [model, wordsTarget, loaded, indexed],
  );
  return loadState(row);
}

/**
 * Stores the next words of a load and advances its progress in the same transaction, so a load
 * interrupted anywhere resumes after the last batch stored. PGlite gets one binary COPY per batch;
 * PostgreSQL one INSERT from arrays (pg has no COPY without another package, and parses fast).
 */
export async function saveVocabularyWords(
  db: Database,
  { model, words }: { model: string; words: VocabularyWordRow[] },
): Promise<void> {
  if (words.length === 0) return;
  const store = vocabularyStore(db);
  const dims = words[0].vector.length;
  const progress = { text: `UPDATE "vocabulary_loads" SET "words_loaded" = $1 WHERE "model" = $2`, values: [words[words.length - 1].rank, model] };
  if (store.kind === "pglite") {
    const copy = encodeBinaryCopy(
      words.map(({ rank, word, vector }) => [{ text: model }, { int4: rank }, { text: word }, { int4: dims }, { vector }]),
    );
    const text = `COPY "vocabulary_words" ("model", "rank", "word", "dims", "embedding") FROM '/dev/blob' WITH (FORMAT binary)`;
    await store.transaction([{ text, copy }, progress]);
    return;
  }
  const ranks = words.map((entry) => entry.rank);
  const texts = words.map((entry) => entry.word);
  const vectors = words.map((entry) => `[${Array.prototype.join.call(entry.vector, ",")}]`);
  const insert = {
    text: `INSERT INTO "vocabulary_words" ("model", "rank", "word", "dims", "embedding")
      SELECT $1, "rank", "word", $2::int, "embedding"::vector
      FROM unnest($3::int[], $4::text[], $5::text[]) AS "row"("rank", "word", "embedding")
      ON CONFLICT DO NOTHING`,
    values: [model, dims, ranks, texts, vectors],
  };
  await store.transaction([insert, progress]);
}

/**
 * Builds the HNSW index over the model's stored words of `dims` (default 100) dimensions (if it
 * is missing) in one pass, with enough memory for the graph and, on PostgreSQL, up to
 * `parallelWorkers` helper processes (default 1: two processes on a two-core machine). PGlite runs
 * it on the thread of the vocabulary's database: the worker's (~30–60 s for 100k words), or with
 * the vocabulary in the main database the server's own, which then answers nothing else meanwhile.
 * Searches pass the model as a parameter; the planner still picks this partial index, since it
 * plans each (unnamed) statement with its values.
 */
export async function buildVocabularyIndex(
  db: Database,
  { model, dims = 100, parallelWorkers = 1 }: { model: string; dims?: number; parallelWorkers?: number },
): Promise<void> {
  if (!Number.isInteger(dims) || dims < 1 || dims > 2000) throw new Error(`A vocabulary index takes 1 to 2,000 dimensions, not ${dims}.`);
  const store = vocabularyStore(db);
  const parallel = store.kind === "postgres" ? `SET LOCAL max_parallel_maintenance_workers = ${Math.max(0, Math.floor(parallelWorkers))};` : "";
  await store.runMaintenance(`
    SET LOCAL maintenance_work_mem = '${buildMemory}';
    ${parallel}
    CREATE INDEX IF NOT EXISTS "${vocabularyIndexName(model, dims)}" ON "vocabulary_words"
      USING hnsw (("embedding"::vector(${dims})) vector_cosine_ops)
      WITH (m = ${vocabularyIndexOptions.m}, ef_construction = ${vocabularyIndexOptions.efConstruction})
      WHERE "model" = '${model.replace(/'/g, "''")}' AND "dims" = ${dims}`);
}

/** Marks a load complete: every word stored, index built. */
export async function completeVocabularyLoad(db: Database, { model }: { model: string }): Promise<void> {
  await vocabularyStore(db).query(`UPDATE "vocabulary_loads" SET "completed_at" = now() WHERE "model" = $1`, [model]);
}

async function vocabularyIndexExists(db: Database, indexName: string): Promise<boolean> {
  const [row] = await vocabularyStore(db).query<{ exists: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE tablename = 'vocabulary_words' AND indexname = $1) AS "exists"`,
    [indexName],
  );
  return row.exists;
}
