import { chunkSearchTerms } from "../hybrid-search/tsvector";
import { createSlug } from "../keys";
import { toSql } from "../vectors";
import type { Database } from "./connection";
import { encodeBinaryCopy, type CopyValue } from "./pg-copy";

/**
 * Rows of an imported table (lib/jobs/imports/, and the word map example): each row one document
 * of one chunk, stored a batch per transaction, tagged with its job (if any) and row number so that an import resumes after its
 * last stored row and a failed one can be taken back out.
 */

export interface ImportedRow {
  row: number;
  /** Identifies the row within the collection: a second row with the same hash is not stored. */
  contentHash: string;
  /** "" when the file has no text column (own vectors only). */
  text: string;
  metadata: Record<string, string | number | boolean>;
  /** L2-normalised; null when the model could not read the row's text (kept off the map and out of vector search). */
  vector: ArrayLike<number> | null;
  position: { x: number; y: number } | null;
}

/**
 * Stores a batch of rows in one statement (all or nothing; a few hundred rows take milliseconds, so
 * the embedded database's one connection is never held for long). A row whose hash the collection
 * already holds is left out. Returns how many were stored.
 *
 * Past Prisma, which sends every vector as text for the database to parse: the batch goes in as one
 * binary COPY into a staging table, then one INSERT … SELECT into documents and chunks.
 */
export async function insertImportedRows(db: Database, { collectionId, jobId, rows }: { collectionId: bigint; jobId: bigint | null; rows: ImportedRow[] }): Promise<number> {
  if (rows.length === 0) return 0;
  const staged = rows.map((row) => ({ ...row, publicId: createSlug(), search: chunkSearchTerms(row.text) }));
  return db.copyIn({
    setup: `CREATE TEMP TABLE IF NOT EXISTS ${staging} (${stagingColumns}) ON COMMIT DELETE ROWS`,
    table: staging,
    rows: encodeBinaryCopy(staged.map(copyRow)),
    finish: insertFromStaging(collectionId, jobId),
  });
}

type StagedRow = ImportedRow & { publicId: string; search: { tsvector: string; length: number } };

/** Documents and their chunks from the staging table; a row whose hash the collection holds is left out. */
function insertFromStaging(collectionId: bigint, jobId: bigint | null): string {
  // Both ids come from the database as bigints, never from a request: safe to inline. Chunk ids
  // are drawn first ("numbered", materialised because it is read twice), so a row's position from
  // the file goes into collection_points in the same statement.
  return `
    WITH "inserted" AS (
      INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text", "metadata", "import_job_id", "import_row")
      SELECT ${collectionId}, "public_id", "content_hash", "text", "metadata"::jsonb, ${jobId ?? "NULL"}, "import_row" FROM ${staging}
      ON CONFLICT ("collection_id", "content_hash") DO NOTHING
      RETURNING "id", "import_row"),
    "numbered" AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('"collection_chunks"', 'id')) AS "chunk_id", i."id" AS "document_id", s.*
      FROM "inserted" i JOIN ${staging} s ON s."import_row" = i."import_row"),
    "points" AS (
      INSERT INTO "collection_points" ("chunk_id", "collection_id", "x", "y")
      SELECT "chunk_id", ${collectionId}, "x", "y" FROM "numbered" WHERE "x" IS NOT NULL AND "y" IS NOT NULL)
    INSERT INTO "collection_chunks"
      ("id", "collection_id", "document_id", "position", "text", "start_offset", "end_offset", "metadata", "dims", "embedding", "search_terms", "search_length")
    SELECT "chunk_id", ${collectionId}, "document_id", 0, "text", 0, "end_offset", "metadata"::jsonb, "dims", "embedding", "search_terms"::tsvector, "search_length"
    FROM "numbered"`;
}

const staging = `"imported_rows_staging"`;
const stagingColumns = `"import_row" INTEGER, "public_id" TEXT, "content_hash" TEXT, "text" TEXT, "metadata" TEXT, "end_offset" INTEGER,
  "dims" INTEGER, "embedding" vector, "search_terms" TEXT, "search_length" INTEGER, "x" REAL, "y" REAL`;

function copyRow(row: StagedRow): CopyValue[] {
  return [
    { int4: row.row },
    { text: row.publicId },
    { text: row.contentHash },
    { text: row.text },
    { text: JSON.stringify(row.metadata) },
    { int4: row.text.length },
    { int4: row.vector?.length ?? 0 },
    row.vector ? { vector: row.vector } : null,
    { text: row.search.tsvector },
    { int4: row.search.length },
    row.position ? { float4: row.position.x } : null,
    row.position ? { float4: row.position.y } : null,
  ];
}

/** The last row number this job has stored (0 when none): a resumed import goes on after it. */
export async function lastImportedRow(db: Database, { jobId }: { jobId: bigint }): Promise<number> {
  const rows = await db.prisma.$queryRaw<{ last: number | null }[]>`
    SELECT max("import_row") AS "last" FROM "collection_documents" WHERE "import_job_id" = ${jobId}`;
  return rows[0]?.last ?? 0;
}

export interface ImportTally {
  stored: number;
  /** Rows stored without a vector (the model could not read their text), and the first of their numbers. */
  unreadable: { count: number; rows: number[] };
}

/** What the job has stored, counted from the rows themselves (so it holds across restarts). */
export async function tallyImport(db: Database, { jobId, listed }: { jobId: bigint; listed: number }): Promise<ImportTally> {
  const [counts] = await db.prisma.$queryRaw<{ stored: bigint; unreadable: bigint }[]>`
    SELECT count(*) AS "stored", count(*) FILTER (WHERE c."embedding" IS NULL) AS "unreadable"
    FROM "collection_documents" d JOIN "collection_chunks" c ON c."document_id" = d."id"
    WHERE d."import_job_id" = ${jobId}`;
  const unreadable = await db.prisma.$queryRaw<{ import_row: number }[]>`
    SELECT d."import_row" FROM "collection_documents" d JOIN "collection_chunks" c ON c."document_id" = d."id"
    WHERE d."import_job_id" = ${jobId} AND c."embedding" IS NULL
    ORDER BY d."import_row" LIMIT ${listed}`;
  return { stored: Number(counts.stored), unreadable: { count: Number(counts.unreadable), rows: unreadable.map((row) => row.import_row) } };
}

/** The texts of the rows this job stored with a vector, after `afterRow`, in row order: a page at a time. */
export async function importedTexts(db: Database, { jobId, afterRow, limit }: { jobId: bigint; afterRow: number; limit: number }): Promise<{ row: number; text: string }[]> {
  const rows = await db.prisma.$queryRaw<{ import_row: number; text: string }[]>`
    SELECT d."import_row", d."text" FROM "collection_documents" d JOIN "collection_chunks" c ON c."document_id" = d."id"
    WHERE d."import_job_id" = ${jobId} AND d."import_row" > ${afterRow} AND c."embedding" IS NOT NULL
    ORDER BY d."import_row" LIMIT ${limit}`;
  return rows.map((row) => ({ row: row.import_row, text: row.text }));
}

/** The dimension of the vectors a collection holds (null while it holds none). */
export async function collectionVectorDims(db: Database, { collectionId }: { collectionId: bigint }): Promise<number | null> {
  const rows = await db.prisma.$queryRaw<{ dims: number }[]>`
    SELECT "dims" FROM "collection_chunks" WHERE "collection_id" = ${collectionId} AND "embedding" IS NOT NULL LIMIT 1`;
  return rows[0]?.dims ?? null;
}

/** Deletes the rows a job stored (discarding a failed import); returns how many. */
export async function deleteImportedRows(db: Database, { jobId }: { jobId: bigint }): Promise<number> {
  return db.prisma.collectionDocument.deleteMany({ where: { importJobId: jobId } }).then((result) => result.count);
}

/** The files of import jobs in these states (a sweep of the imports folder keeps them). */
export async function filesOfImportJobs(db: Database, { states }: { states: string[] }): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ file: string | null }[]>`
    SELECT "params"->>'file' AS "file" FROM "jobs" WHERE "kind" = 'import' AND "state" = ANY(${states}::text[])`;
  return rows.flatMap((row) => (row.file ? [row.file] : []));
}

/**
 * Refreshes the planner's statistics of the collection tables after a bulk import: PGlite runs no
 * autovacuum, and without them it plans a 100,000-row collection as if it were empty (a page of an
 * export sorted the whole collection).
 */
export async function analyzeCollectionTables(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`ANALYZE "collection_documents", "collection_chunks"`);
}
