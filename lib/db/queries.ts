import { createHash } from "node:crypto";
import { fromSql, toSql } from "../vectors";
import type { Database } from "./database";
import { scheduleIndexing } from "./embedding-index";
import { Prisma } from "./generated/prisma/client";
import { encodeBinaryCopy } from "./pg-copy";
import { vocabularyStore } from "./vocabulary-store";

/**
 * Every query of the app. pgvector columns are untyped `vector` so one table holds every model;
 * searches cast to `vector(<dims>)` with the dimension inlined as a literal, which is what lets
 * PostgreSQL match the partial HNSW index `... WHERE dims = <dims>` for that dimension.
 */

export interface ScoredText {
  text: string;
  /** Cosine similarity to the query, in [-1, 1]. */
  score: number;
}

/** pgvector's HNSW (and IVFFlat) indexes take at most 2,000 dimensions of type `vector`. */
const maxIndexedDims = 2_000;

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Stored vectors for the texts that have one; texts never embedded with `model` are absent. */
export async function getEmbeddingsByTexts(
  db: Database,
  { model, texts }: { model: string; texts: string[] },
): Promise<Map<string, number[]>> {
  if (texts.length === 0) return new Map();
  const hashes = [...new Set(texts.map(hashText))];
  // Straight to the driver: every embed request that misses the memory cache waits for this.
  const rows = await db.query<{ text: string; embedding: string }>(
    `SELECT "text", "embedding"::text AS "embedding" FROM "embeddings" WHERE "model" = $1 AND "text_hash" = ANY($2::text[])`,
    [model, hashes],
  );
  return new Map(rows.map((row) => [row.text, fromSql(row.embedding)]));
}

/**
 * Stores vectors in one transaction, so a failure stores none of them. A text stored meanwhile by
 * a concurrent request is left as it is (same model, same text: same vector). The rows join their
 * HNSW index later, when the server is idle (`scheduleIndexing`).
 */
export async function saveEmbeddings(
  db: Database,
  { model, entries }: { model: string; entries: { text: string; vector: number[] }[] },
): Promise<void> {
  if (entries.length === 0) return;
  await ensureEmbeddingIndex(db, entries[0].vector.length);
  const inserted = await copyEmbeddings(db, { model, entries });
  scheduleIndexing(db, inserted);
}

/**
 * The rows go in by binary COPY into a staging table, then one INSERT … SELECT that skips texts
 * already stored (COPY itself cannot). Measured on PGlite for 32 rows of 512 dims: 2.2 ms, against
 * 23 ms for the same rows as text through Prisma, most of it PGlite parsing the floats.
 */
function copyEmbeddings(db: Database, { model, entries }: { model: string; entries: { text: string; vector: number[] }[] }): Promise<number> {
  return db.copyIn({
    setup: `CREATE TEMP TABLE IF NOT EXISTS "embeddings_staging" ("model" TEXT, "text" TEXT, "text_hash" CHAR(64), "dims" INTEGER, "embedding" vector) ON COMMIT DELETE ROWS`,
    table: `"embeddings_staging"`,
    rows: encodeBinaryCopy(entries.map(({ text, vector }) => [{ text: model }, { text }, { text: hashText(text) }, { int4: vector.length }, { vector }])),
    finish: `INSERT INTO "embeddings" ("model", "text", "text_hash", "dims", "embedding")
      SELECT "model", "text", "text_hash", "dims", "embedding" FROM "embeddings_staging"
      ON CONFLICT ("text_hash", "model") DO NOTHING`,
  });
}

/**
 * Cache rows written after the reply that asked for them, so the client does not wait for the
 * write; on PGlite, which runs statements on the server's own thread, the write overlaps the model
 * computing the next request in its worker thread. Rows queued within `writeDelayMs` of each other
 * go in one `saveEmbeddings` per model. Readers stay consistent: `deferredEmbeddings` answers rows
 * not written yet, and every other read of the table waits for them (`flushEmbeddingWrites`).
 */
interface DeferredWrites {
  vectors: Map<string, number[]>;
  /** The batch still taking rows, until its write starts. */
  collecting?: { rows: Map<string, { text: string; vector: number[] }[]>; written: Promise<boolean> };
  /** Settles when every batch so far is written or has failed. */
  tail: Promise<void>;
}

const deferred = new WeakMap<Database, DeferredWrites>();
/**
 * How long a batch collects rows. PGlite blocks this thread while it writes: waiting a moment lets
 * a request that arrives right after a reply send its texts to the model's worker thread first.
 */
const writeDelayMs = 50;
const deferredKey = (model: string, text: string) => `${model}\u0000${text}`;

/** Queues rows for `saveEmbeddings`; resolves to whether their batch was stored (a failure is logged, not thrown). */
export function saveEmbeddingsLater(
  db: Database,
  { model, entries }: { model: string; entries: { text: string; vector: number[] }[] },
): Promise<boolean> {
  let queue = deferred.get(db);
  if (!queue) deferred.set(db, (queue = { vectors: new Map(), tail: Promise.resolve() }));
  for (const { text, vector } of entries) queue.vectors.set(deferredKey(model, text), vector);
  if (!queue.collecting) {
    const rows = new Map<string, { text: string; vector: number[] }[]>();
    const written = queue.tail
      .then(() => new Promise((resolve) => setTimeout(resolve, writeDelayMs)))
      .then(() => writeBatch(db, queue, rows));
    queue.collecting = { rows, written };
    queue.tail = written.then(() => {});
  }
  const batch = queue.collecting.rows;
  batch.set(model, [...(batch.get(model) ?? []), ...entries]);
  return queue.collecting.written;
}

async function writeBatch(db: Database, queue: DeferredWrites, rows: Map<string, { text: string; vector: number[] }[]>): Promise<boolean> {
  queue.collecting = undefined; // rows queued from now on go in the next batch
  let stored = true;
  for (const [model, entries] of rows) {
    try {
      // Well under PostgreSQL's 65,535 bind parameters (5 a row) however many requests queued rows.
      for (let from = 0; from < entries.length; from += 2_000) await saveEmbeddings(db, { model, entries: entries.slice(from, from + 2_000) });
    } catch (error) {
      stored = false;
      console.error(`[embeddings] could not store ${entries.length} ${model} vector(s) in the cache:`, error);
    }
    for (const { text, vector } of entries) {
      if (queue.vectors.get(deferredKey(model, text)) === vector) queue.vectors.delete(deferredKey(model, text));
    }
  }
  return stored;
}

/** Vectors queued by `saveEmbeddingsLater` and not written yet, for the texts that have one. */
export function deferredEmbeddings(db: Database, { model, texts }: { model: string; texts: string[] }): Map<string, number[]> {
  const vectors = deferred.get(db)?.vectors;
  const found = new Map<string, number[]>();
  if (!vectors?.size) return found;
  for (const text of texts) {
    const vector = vectors.get(deferredKey(model, text));
    if (vector) found.set(text, vector.slice());
  }
  return found;
}

/** True while rows queued by `saveEmbeddingsLater` are still to be written. */
export function hasDeferredEmbeddings(db: Database): boolean {
  return (deferred.get(db)?.vectors.size ?? 0) > 0;
}

/** Resolves once every row queued so far is written (or has failed). */
export async function flushEmbeddingWrites(db: Database): Promise<void> {
  await deferred.get(db)?.tail;
}

const indexedDims = new WeakMap<Database, Set<number>>();

/**
 * The migration indexes the local models' dimensions (512, 100); a remote model may bring another.
 * Creates that dimension's HNSW index the first time it is seen.
 */
export async function ensureEmbeddingIndex(db: Database, dims: number): Promise<void> {
  assertDims(dims);
  const known = indexedDims.get(db) ?? new Set([512, 100]);
  indexedDims.set(db, known);
  if (known.has(dims) || dims > maxIndexedDims) return;
  await db.prisma.$executeRawUnsafe(
    `CREATE INDEX IF NOT EXISTS "embeddings_hnsw_${dims}" ON "embeddings"
     USING hnsw (("embedding"::vector(${dims})) vector_cosine_ops) WHERE "dims" = ${dims} AND "indexed"`,
  );
  known.add(dims);
}

/**
 * The `k` stored texts of `model` nearest to `vector` by cosine, best first: through HNSW among
 * the indexed rows, exactly among those not indexed yet (see embedding-index.ts). Every text
 * anyone embedded: never an answer to a client, which gets `findNearestReadableTexts`.
 */
export async function findNearestEmbeddings(
  db: Database,
  { model, vector, k, excludeTexts = [] }: { model: string; vector: number[]; k: number; excludeTexts?: string[] },
): Promise<ScoredText[]> {
  await flushEmbeddingWrites(db);
  return toScored(await db.prisma.$queryRaw<NearestRow[]>(nearestEmbeddingsSql({ model, vector, k, excludeTexts })));
}

function nearestEmbeddingsSql({ model, vector, k, excludeTexts = [] }: { model: string; vector: number[]; k: number; excludeTexts?: string[] }): Prisma.Sql {
  const exclude = Prisma.sql`AND NOT ("text_hash" = ANY(${excludeTexts.map(hashText)}::text[]))`;
  const part = (indexed: boolean) =>
    nearestSql({ table: "embeddings", model, vector, k, exclude: Prisma.sql`AND ${Prisma.raw(indexed ? "" : "NOT ")}"indexed" ${exclude}` });
  return Prisma.sql`(${part(true)}) UNION ALL (${part(false)}) ORDER BY "distance" LIMIT ${k}`;
}

/**
 * What a caller of scope `texts` may read. Nothing else stored is ever an answer: the cache holds
 * every text anyone embedded, including items of explorations nobody shared.
 */
export interface ReadableSources {
  /** Texts everyone may read (the built-in examples' items), matched in the cache by hash. */
  publicTexts: string[];
  /** Saved explorations whose items the caller may read: holding the slug is reading it. */
  explorationSlugs: string[];
  /** Private collections the caller holds a key for (internal ids); public collections are always readable. */
  collectionIds: bigint[];
}

/**
 * The `k` texts nearest to `vector` by cosine, best first, among those the caller may read: cached
 * vectors of the readable texts (examples' items, the named explorations' items) and the chunks of
 * public and named collections of `model`. A text both places hold counts once.
 *
 * Exact, inside the query: the readable rows are picked by index (the cache's text hash, the
 * chunks' collection) and compared, never the whole table. An HNSW walk filtered to them would
 * mostly visit rows the caller may not read and, bounded by `hnsw.max_scan_tuples`, could stop
 * short of k; the readable set is small (2,000 items an exploration) and ~3 ms per 1,000 rows.
 */
export async function findNearestReadableTexts(
  db: Database,
  { model, vector, k, excludeTexts = [], readable }: { model: string; vector: number[]; k: number; excludeTexts?: string[]; readable: ReadableSources },
): Promise<ScoredText[]> {
  await flushEmbeddingWrites(db);
  const sql = nearestReadableSql({ model, vector, k, excludeTexts, readable });
  return toScored(await db.query<NearestRow>(sql.text, sql.values));
}

/** The plan of a readable-texts search; tests check that it never reads a whole table. */
export async function explainNearestReadable(db: Database, args: Parameters<typeof nearestReadableSql>[0]): Promise<string> {
  return explainSql(db, nearestReadableSql(args));
}

function nearestReadableSql({
  model,
  vector,
  k,
  excludeTexts = [],
  readable,
}: {
  model: string;
  vector: number[];
  k: number;
  excludeTexts?: string[];
  readable: ReadableSources;
}): Prisma.Sql {
  const dims = Prisma.raw(String(assertDims(vector.length)));
  // No cast to vector(<dims>): that would match the HNSW index, and this compares exactly.
  const query = Prisma.sql`${toSql(vector)}::vector`;
  // Each side reads its rows by index: the cache by (text_hash, model) for the readable texts'
  // hashes, the chunks by collection for the readable collections (ARRAY(...) is computed once).
  return Prisma.sql`
    SELECT "text", min("distance") AS "distance" FROM (
      SELECT e."text", e."embedding" <=> ${query} AS "distance"
      FROM "embeddings" e
      WHERE e."model" = ${model} AND e."dims" = ${dims}
        AND e."text_hash" = ANY(ARRAY(
          SELECT encode(sha256(convert_to(i."text", 'UTF8')), 'hex')::char(64)
          FROM "explorations" x JOIN "exploration_items" i ON i."exploration_id" = x."id"
          WHERE x."slug" = ANY(${readable.explorationSlugs}::text[])
          UNION
          SELECT unnest(${readable.publicTexts.map(hashText)}::char(64)[])))
        AND NOT (e."text_hash" = ANY(${excludeTexts.map(hashText)}::char(64)[]))
      UNION ALL
      SELECT c."text", c."embedding" <=> ${query}
      FROM "collection_chunks" c
      WHERE c."collection_id" = ANY(ARRAY(
          SELECT o."id" FROM "collections" o
          WHERE o."model" = ${model} AND (o."is_public" OR o."id" = ANY(${readable.collectionIds.map(String)}::bigint[]))))
        AND c."dims" = ${dims} AND NOT (c."text" = ANY(${excludeTexts}::text[]))
    ) AS "candidates"
    GROUP BY "text"
    ORDER BY "distance"
    LIMIT ${k}`;
}

/** Which of these slugs name a saved exploration. */
export async function findExistingSlugs(db: Database, { slugs }: { slugs: string[] }): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const rows = await db.query<{ slug: string }>(`SELECT "slug" FROM "explorations" WHERE "slug" = ANY($1::text[])`, [slugs]);
  return new Set(rows.map((row) => row.slug));
}

/** The `k` vocabulary words nearest to `vector`, best first, through HNSW. */
export async function findNearestVocabularyWords(
  db: Database,
  { model, vector, k, excludeWords = [] }: { model: string; vector: number[]; k: number; excludeWords?: string[] },
): Promise<ScoredText[]> {
  const exclude = Prisma.sql`AND NOT ("word" = ANY(${excludeWords}::text[]))`;
  // Straight to the driver: this is the request path of every vocabulary search.
  const sql = nearestSql({ table: "vocabulary_words", model, vector, k, exclude });
  return toScored(await vocabularyStore(db).query<NearestRow>(sql.text, sql.values));
}

/** The SQL plan of a nearest-neighbour search; tests check that it uses the HNSW index. */
export async function explainNearest(
  db: Database,
  args: { table: VectorTable; model: string; vector: number[]; k: number },
): Promise<string> {
  if (args.table === "embeddings") return explainSql(db, nearestEmbeddingsSql(args));
  const sql = nearestSql(args);
  const rows = await vocabularyStore(db).query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql.text}`, sql.values);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

async function explainSql(db: Database, sql: Prisma.Sql): Promise<string> {
  const rows = await db.prisma.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN ${sql}`;
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

type VectorTable = "embeddings" | "vocabulary_words";
type NearestRow = { text: string; distance: number };

const labelColumn: Record<VectorTable, string> = { embeddings: "text", vocabulary_words: "word" };

function nearestSql({
  table,
  model,
  vector,
  k,
  exclude = Prisma.empty,
}: {
  table: VectorTable;
  model: string;
  vector: number[];
  k: number;
  exclude?: Prisma.Sql;
}): Prisma.Sql {
  const dims = Prisma.raw(String(assertDims(vector.length)));
  const distance = Prisma.sql`"embedding"::vector(${dims}) <=> ${toSql(vector)}::vector(${dims})`;
  return Prisma.sql`
    SELECT ${Prisma.raw(`"${labelColumn[table]}"`)} AS "text", ${distance} AS "distance"
    FROM ${Prisma.raw(`"${table}"`)}
    WHERE "dims" = ${dims} AND "model" = ${model} ${exclude}
    ORDER BY "distance"
    LIMIT ${k}`;
}

// Iterative scans in relaxed order may return rows slightly out of order; the contract is best first.
function toScored(rows: NearestRow[]): ScoredText[] {
  return rows
    .map((row) => ({ text: row.text, score: 1 - Number(row.distance) }))
    .sort((a, b) => b.score - a.score);
}

function assertDims(dims: number): number {
  if (!Number.isInteger(dims) || dims < 1 || dims > 16_000) {
    throw new Error(`A vector must have 1 to 16,000 dimensions, not ${dims}.`);
  }
  return dims;
}
