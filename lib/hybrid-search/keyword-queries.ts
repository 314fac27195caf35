import { explain, toLocatedChunk, type LocatedChunk, type LocatedChunkColumns } from "../db/collection-queries";
import type { Database } from "../db/database";
import { Prisma } from "../db/generated/prisma/client";
import { toSql } from "../vectors";
import { isStopTerm } from "./analyze";
import { anyTermQuery, chunkSearchTerms } from "./tsvector";

/**
 * BM25 over collection chunks in SQL: the GIN index finds the chunks holding any of the
 * question's terms other than stop words (a chunk holding only "the" and "of" is no answer, and
 * looking those up would read the whole collection), each term's frequency is the number of
 * positions the chunk's tsvector keeps for it, and document frequencies are counted over all the
 * chunks the metadata filter lets through, so scores are those of plain Okapi BM25 over them.
 */

/** Okapi BM25's usual constants: term-frequency saturation and length normalisation. */
const k1 = 1.2;
const b = 0.75;

export interface KeywordHit extends LocatedChunk {
  score: number;
  /** The question's terms this chunk holds. */
  terms: string[];
  /** Cosine similarity to `vector`, when one was given. */
  cosine: number | null;
}

export interface ChunkStatistics {
  /** Chunks the filter lets through. */
  count: number;
  /** Their mean term count (BM25's average document length). */
  averageLength: number;
  /** How many of them hold each of the asked terms. */
  documentFrequencies: Map<string, number>;
}

/**
 * How many chunks of a collection a metadata filter lets through, their mean term count, and how
 * many hold each of `terms`: one pass over the filtered chunks.
 */
export async function matchingChunkStatistics(
  db: Database,
  { collectionId, filter, terms = [] }: { collectionId: bigint; filter: Prisma.InputJsonObject; terms?: string[] },
): Promise<ChunkStatistics> {
  const frequencies = terms.map((term, i) => Prisma.sql`, count(*) FILTER (WHERE "search_terms" @@ ${anyTermQuery([term])}::tsquery) AS ${Prisma.raw(`"df${i}"`)}`);
  const [row] = await db.prisma.$queryRaw<Record<string, unknown>[]>`
    SELECT count(*) AS "count", avg("search_length")::float8 AS "average" ${frequencies.length > 0 ? Prisma.join(frequencies, "") : Prisma.empty} FROM "collection_chunks"
    WHERE "collection_id" = ${collectionId} AND "metadata" @> ${JSON.stringify(filter)}::jsonb`;
  return {
    count: Number(row.count),
    averageLength: (row.average as number | null) ?? 0,
    documentFrequencies: new Map(terms.map((term, i) => [term, Number(row[`df${i}`])])),
  };
}

/** The `limit` chunks with the best BM25 score for `terms` (already analysed), best first. */
export async function keywordSearchChunks(
  db: Database,
  args: { collectionId: bigint; terms: string[]; limit: number; filter: Prisma.InputJsonObject; statistics: ChunkStatistics; vector?: number[] },
): Promise<KeywordHit[]> {
  if (args.terms.length === 0 || args.statistics.count === 0 || args.terms.every((term) => !args.statistics.documentFrequencies.get(term))) return [];
  const rows = await db.prisma.$queryRaw<(LocatedChunkColumns & { score: number; terms: string[]; distance: number | null })[]>(keywordSearchSql(args));
  return rows.map((row) => ({
    ...toLocatedChunk(row),
    score: Number(row.score),
    terms: row.terms,
    cosine: row.distance === null ? null : 1 - Number(row.distance),
  }));
}

/** The plan of a keyword search; tests check that it reads the GIN index. */
export async function explainKeywordSearch(db: Database, args: Parameters<typeof keywordSearchSql>[0]): Promise<string> {
  return explain(db, keywordSearchSql(args));
}

function keywordSearchSql({
  collectionId,
  terms,
  limit,
  filter,
  statistics,
  vector,
}: {
  collectionId: bigint;
  terms: string[];
  limit: number;
  filter: Prisma.InputJsonObject;
  statistics: ChunkStatistics;
  vector?: number[];
}): Prisma.Sql {
  const distance = vector ? Prisma.sql`c."embedding" <=> ${toSql(vector)}::vector` : Prisma.sql`NULL::float8`;
  // The length normaliser of an empty collection average is moot (no rows match); avoid 0/0.
  const averageLength = Math.max(statistics.averageLength, 1);
  const present = terms.filter((term) => (statistics.documentFrequencies.get(term) ?? 0) > 0);
  const lookup = present.filter((term) => !isStopTerm(term));
  const frequencies = present.map((term) => statistics.documentFrequencies.get(term)!);
  return Prisma.sql`
    WITH "matched" AS (
      SELECT "id", "search_terms", "search_length" FROM "collection_chunks"
      WHERE "collection_id" = ${collectionId} AND "metadata" @> ${JSON.stringify(filter)}::jsonb
        AND "search_terms" @@ ${anyTermQuery(lookup.length > 0 ? lookup : present)}::tsquery
    ), "document_frequencies" AS (
      SELECT * FROM unnest(${present}::text[], ${frequencies}::float8[]) AS d("term", "df")
    ), "frequencies" AS (
      SELECT m."id", t."lexeme" AS "term", coalesce(array_length(t."positions", 1), 1)::float8 AS "tf", m."search_length"::float8 AS "length"
      FROM "matched" m, unnest(m."search_terms") t
      WHERE t."lexeme" = ANY(${present}::text[])
    ), "scored" AS (
      SELECT f."id",
             sum(ln(1 + (${statistics.count}::float8 - d."df" + 0.5) / (d."df" + 0.5))
                 * f."tf" * ${k1 + 1}::float8 / (f."tf" + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * f."length" / ${averageLength}::float8))) AS "score",
             array_agg(f."term" ORDER BY f."term") AS "terms"
      FROM "frequencies" f JOIN "document_frequencies" d USING ("term")
      GROUP BY f."id"
    )
    SELECT d."public_id" AS "document_public_id", c."position", c."text", c."start_offset", c."end_offset", c."metadata", s."score", s."terms",
           ${distance} AS "distance"
    FROM "scored" s JOIN "collection_chunks" c ON c."id" = s."id" JOIN "collection_documents" d ON d."id" = c."document_id"
    ORDER BY s."score" DESC, c."id"
    LIMIT ${limit}`;
}

/**
 * Analyses the chunks of a collection that have no terms yet (stored before keyword search
 * existed, or written by an import), a batch at a time. Cheap when there are none: a partial
 * index holds exactly the unanalysed chunks.
 */
export async function analysePendingChunks(db: Database, { collectionId, batchSize = 500 }: { collectionId: bigint; batchSize?: number }): Promise<number> {
  let analysed = 0;
  for (;;) {
    const pending = await db.prisma.$queryRaw<{ id: bigint; text: string }[]>`
      SELECT "id", "text" FROM "collection_chunks"
      WHERE "collection_id" = ${collectionId} AND "search_length" IS NULL
      ORDER BY "id" LIMIT ${batchSize}`;
    if (pending.length === 0) return analysed;
    const rows = pending.map(({ id, text }) => {
      const search = chunkSearchTerms(text);
      return Prisma.sql`(${id}::bigint, ${search.tsvector}::tsvector, ${search.length}::int)`;
    });
    await db.prisma.$executeRaw`
      UPDATE "collection_chunks" AS c SET "search_terms" = v."terms", "search_length" = v."length"
      FROM (VALUES ${Prisma.join(rows)}) AS v("id", "terms", "length")
      WHERE c."id" = v."id"`;
    analysed += pending.length;
  }
}
