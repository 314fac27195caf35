import { searchChunks, type ChunkSearchStrategy, type LocatedChunk } from "../db/collection-queries";
import type { Database } from "../db/database";
import type { Prisma } from "../db/generated/prisma/client";
import { analyze, isStopTerm, queryTerms } from "./analyze";
import { reciprocalRankFusion } from "./fusion";
import { searchModes, type SearchMode } from "./modes";
import { analysePendingChunks, keywordSearchChunks, matchingChunkStatistics } from "./keyword-queries";

/**
 * Collection search in three modes: `vector` (cosine similarity through pgvector), `keyword`
 * (BM25 over the chunks' terms) and `hybrid` (both lists fused by reciprocal rank). Every result
 * says where it came from: its cosine and rank on the vector side, its BM25 score, rank and
 * matched terms on the keyword side, and the spans of its text that match the question.
 */

export { searchModes, type SearchMode };

/** At most this many chunks matching a filter are compared exactly; above it, HNSW does the work. */
export const exactSearchLimit = 10_000;

/**
 * How hybrid search fuses the two ranked lists: reciprocal rank fusion, each side's ranks weighed
 * (a vector rank counts a tenth of a keyword rank) and a small rank constant `c`. The offline
 * models are weak on real documents (npm run eval:retrieval, Debian's manual pages: GloVe finds
 * the passage in its first 5 chunks for a quarter of the questions, keyword search for four in
 * five). With equal weights their noise pushed good keyword answers down (hybrid R@5 0.65 against
 * keyword 0.88); a tenth brought R@5 level with keyword search, but with the paper's c = 60 the
 * top of the list is flat (1/61 against 1/62), so any vector vote swapped neighbouring keyword
 * ranks and R@1 fell to 0.50–0.57 against keyword's 0.67–0.86. A sweep over c and the weight
 * (c 1–60, weight 0.05–1, and a convex mix of normalised scores) on the English and Chinese
 * corpora: at c = 5 and a tenth, R@1 equals keyword search's for all three offline models and
 * R@5 is within one question of it; no setting is above keyword search everywhere, because
 * these vectors rarely know what the words do not.
 */
export const fusion = { c: 5, weights: { vector: 0.1, keyword: 1 } } as const;

/** How deep each side's list goes before fusion: RRF needs more than the k it returns. */
export const fusionDepth = (k: number) => Math.min(200, Math.max(50, 2 * k));

export interface ChunkHit extends LocatedChunk {
  /** vector: the cosine; keyword: the BM25 score; hybrid: the fused score. */
  score: number;
  parts: {
    /** The cosine to the question and the rank on the vector side (null when not among its best `fusionDepth` chunks). */
    vector: { score: number; rank: number | null } | null;
    /** BM25 score, rank and the question's terms found; null when the keyword side did not return the chunk. */
    keyword: { score: number; rank: number; terms: string[] } | null;
  };
  /** Spans of `text` (UTF-16 offsets, end exclusive) holding a term of the question. */
  highlights: [number, number][];
}

export interface ChunkSearch {
  mode: SearchMode;
  /** How the vector side searched; absent in keyword mode. */
  strategy?: ChunkSearchStrategy;
  /** The question's terms, as the keyword side matched them (words, `~` stems, CJK words and pairs). */
  terms: string[];
  results: ChunkHit[];
}

export async function searchCollectionChunks(
  db: Database,
  {
    collectionId,
    mode,
    vector,
    question,
    k,
    minScore,
    filter,
  }: {
    collectionId: bigint;
    mode: SearchMode;
    /** The question's vector; needed by the vector and hybrid modes. */
    vector?: number[];
    /** The question's text; needed by the keyword and hybrid modes, and for highlights. */
    question?: string;
    k: number;
    minScore?: number;
    filter: Prisma.InputJsonObject;
  },
): Promise<ChunkSearch> {
  const terms = question === undefined ? [] : queryTerms(question);
  if (mode !== "vector") await analysePendingChunks(db, { collectionId });
  const statistics = await matchingChunkStatistics(db, { collectionId, filter, terms: mode === "vector" ? [] : terms });
  const strategy: ChunkSearchStrategy = statistics.count <= exactSearchLimit ? "exact" : "hnsw";
  const depth = mode === "hybrid" ? fusionDepth(k) : k;

  const [vectorHits, keywordHits] = await Promise.all([
    mode !== "keyword" && statistics.count > 0 ? searchChunks(db, { collectionId, vector: vector!, k: depth, filter, strategy }) : [],
    mode !== "vector" ? keywordSearchChunks(db, { collectionId, terms, limit: depth, filter, statistics, vector: mode === "hybrid" ? vector : undefined }) : [],
  ]);

  const byId = new Map<string, Omit<ChunkHit, "score" | "highlights">>();
  vectorHits.forEach((hit, i) => {
    const { score, ...chunk } = hit;
    byId.set(hit.chunkId, { ...chunk, parts: { vector: { score, rank: i + 1 }, keyword: null } });
  });
  keywordHits.forEach((hit, i) => {
    const keyword = { score: hit.score, rank: i + 1, terms: hit.terms };
    const known = byId.get(hit.chunkId);
    if (known) known.parts.keyword = keyword;
    else {
      const { score: _score, terms: _terms, cosine, ...chunk } = hit;
      byId.set(hit.chunkId, { ...chunk, parts: { vector: cosine === null ? null : { score: cosine, rank: null }, keyword } });
    }
  });

  const fused = mode === "hybrid" ? reciprocalRankFusion([vectorHits.map((hit) => hit.chunkId), keywordHits.map((hit) => hit.chunkId)], { c: fusion.c, weights: [fusion.weights.vector, fusion.weights.keyword] }) : null;
  const scored = [...byId.values()].map((chunk) => ({
    ...chunk,
    score: fused ? fused.get(chunk.chunkId)! : mode === "vector" ? chunk.parts.vector!.score : chunk.parts.keyword!.score,
  }));
  const kept = minScore === undefined ? scored : scored.filter((chunk) => passes(chunk, mode, minScore));
  // Full ties keep the order the sides found them in (sort is stable): the vector side's, then the
  // keyword side's, each of which breaks its own ties by storage order in SQL.
  kept.sort((a, b) => b.score - a.score || (b.parts.vector?.score ?? 0) - (a.parts.vector?.score ?? 0));

  const results = kept.slice(0, k).map((chunk) => ({ ...chunk, highlights: highlightSpans(chunk.text, highlightTerms(terms)) }));
  return { mode, ...(mode === "keyword" ? {} : { strategy }), terms, results };
}

/** `minScore` is a cosine in the vector and hybrid modes (a hybrid result's own cosine), a BM25 score in keyword mode. */
function passes(chunk: { score: number; parts: ChunkHit["parts"] }, mode: SearchMode, minScore: number): boolean {
  if (mode === "keyword") return chunk.score >= minScore;
  return chunk.parts.vector !== null && chunk.parts.vector.score >= minScore;
}

/**
 * The question's terms worth marking in a result: its stop words count in the score, but marking
 * every "and" and "the" of a passage hides the words that matter; a question of stop words only
 * ("to be or not to be") keeps them all.
 */
export function highlightTerms(terms: string[]): Set<string> {
  const telling = terms.filter((term) => !isStopTerm(term));
  return new Set(telling.length > 0 ? telling : terms);
}

/** The spans of `text` whose terms are among `terms`, in order, overlapping ones merged. */
export function highlightSpans(text: string, terms: Set<string>): [number, number][] {
  if (terms.size === 0) return [];
  const spans: [number, number][] = [];
  for (const { term, start, end } of analyze(text)) {
    if (!terms.has(term)) continue;
    const last = spans[spans.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}
