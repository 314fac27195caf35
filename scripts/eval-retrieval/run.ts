import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "../../lib/api/errors";
import { openDatabase, type Database } from "../../lib/db/connection";
import { addDocuments, createCollection, deleteCollection, searchCollection } from "../../lib/collections/service";
import { addDocumentsSchema, collectionLimits } from "../../lib/collections/schemas";
import { resolveModel } from "../../lib/embeddings/registry";
import type { SearchMode } from "../../lib/hybrid-search/search";
import { createBm25Index } from "./bm25";
import { evalChunking, type Corpus } from "./corpus";
import { pageRank, passageRank } from "./metrics";
import type { Question } from "./questions";

/**
 * Runs every question through every ranker: the app's collection search (createCollection,
 * addDocuments and searchCollection, as the API calls them) in each mode for each model, on a
 * fresh PGlite database in a temporary directory, or the PostgreSQL of `databaseUrl` (the
 * collections are deleted afterwards); and the plain BM25 baseline of bm25.ts over the same chunks.
 */

/** Chunks each search returns: the API's largest k, so MRR counts ranks up to 100. */
export const searchDepth = 100;

export interface RankerRun {
  /** e.g. "use-lite hybrid", "keyword (app)", "BM25 baseline". */
  name: string;
  model?: string;
  mode?: SearchMode;
  /** Per question, in the order given: the ranks of its answer (null: not in the first 100 chunks). */
  ranks: { passage: number | null; page: number | null }[];
  /** Mean time per question, ms (embedding the question included). */
  msPerQuestion: number;
  /** Questions the model could not read (no known word): refused by the app, counted as not found. */
  unreadable: number;
}

export interface Ingestion {
  model: string;
  documents: number;
  chunks: number;
  seconds: number;
}

export interface EvaluationRun {
  backend: "pglite" | "postgres";
  ingestions: Ingestion[];
  rankers: RankerRun[];
}

export interface RunOptions {
  models: string[];
  /** PostgreSQL to use instead of a temporary PGlite. */
  databaseUrl?: string;
  log?: (line: string) => void;
}

export async function evaluateRankers(corpus: Corpus, questions: Question[], { models, databaseUrl, log = () => undefined }: RunOptions): Promise<EvaluationRun> {
  const rankOf = (question: Question, ranked: number[]) => ({
    passage: question.relevant ? passageRank(ranked, question.relevant) : null,
    page: pageRank(ranked, question.page, (chunk) => corpus.chunks[chunk].page),
  });

  const bm25 = createBm25Index(corpus.chunks.map((chunk) => chunk.text));
  const started = performance.now();
  const baseline = questions.map((question) => rankOf(question, bm25.search(question.question, searchDepth).map((hit) => hit.index)));
  const rankers: RankerRun[] = [{ name: "BM25 baseline", ranks: baseline, msPerQuestion: (performance.now() - started) / questions.length, unreadable: 0 }];

  const dir = databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), "eval-retrieval-"));
  const db = await openDatabase(databaseUrl ? { url: databaseUrl } : { pgliteDir: dir! });
  const ingestions: Ingestion[] = [];
  try {
    for (const [i, model] of models.entries()) {
      const { collection, writeKey } = await createCollection(db, { name: `eval:retrieval ${model}`, model, public: false, chunking: evalChunking });
      try {
        const ingestion = await ingest(db, corpus, { id: collection.id, key: writeKey, model, log });
        ingestions.push(ingestion.figures);
        // Keyword search ranks the same chunks whatever the model: once is enough.
        const modes: SearchMode[] = i === 0 ? ["vector", "keyword", "hybrid"] : ["vector", "hybrid"];
        for (const mode of modes) {
          const began = performance.now();
          const ranks: RankerRun["ranks"] = [];
          let unreadable = 0;
          for (const question of questions) {
            try {
              const { results } = await searchCollection(db, { id: collection.id, key: writeKey, query: question.question, k: searchDepth, mode });
              ranks.push(rankOf(question, results.map((result) => ingestion.chunkOf(result))));
            } catch (error) {
              // A question with no word the model knows is refused (400 unreadable:texts), as the API would.
              if (!(error instanceof AppError && error.code === "unreadable:texts")) throw error;
              ranks.push({ passage: null, page: null });
              unreadable++;
            }
          }
          const name = mode === "keyword" ? "keyword (app)" : `${model} ${mode}`;
          rankers.push({ name, model: mode === "keyword" ? undefined : model, mode, ranks, msPerQuestion: (performance.now() - began) / questions.length, unreadable });
          log(`${name}: ${questions.length} questions in ${((performance.now() - began) / 1000).toFixed(1)} s`);
        }
      } finally {
        await deleteCollection(db, { id: collection.id, key: writeKey });
      }
    }
  } finally {
    await db.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { backend: databaseUrl ? "postgres" : "pglite", ingestions, rankers };
}

/**
 * The pages with a chunk that one of `models` cannot read (no word of it known: character tables
 * for glove-100d). The app refuses to store such a chunk with that model, so these pages are left
 * out of the corpus for every model of the run, which then all see the same collection.
 */
export async function pagesUnreadableBy(corpus: Corpus, models: string[]): Promise<Map<number, string[]>> {
  const pages = new Map<number, string[]>();
  for (const id of models) {
    const model = resolveModel(id);
    if (!model.read) continue;
    const readings = await model.read(corpus.chunks.map((chunk) => chunk.text));
    for (const chunk of corpus.chunks.filter((_, i) => !readings[i].readable)) {
      const by = pages.get(chunk.page) ?? [];
      if (!by.includes(id)) by.push(id);
      pages.set(chunk.page, by);
    }
  }
  return pages;
}

interface StoredChunk {
  documentId: string;
  position: number;
  text: string;
  start: number;
  end: number;
}

/**
 * Stores the corpus's documents in requests the API would accept (at most 100 documents and
 * 2,000 chunks each), and returns how to find a search result's chunk in the corpus: by its
 * document and position, checked against the text and offsets the evaluation expects.
 */
async function ingest(
  db: Database,
  corpus: Corpus,
  { id, key, model, log }: { id: string; key: string; model: string; log: (line: string) => void },
): Promise<{ figures: Ingestion; chunkOf: (result: StoredChunk) => number }> {
  const chunkCounts = corpus.documents.map((_, document) => corpus.chunks.filter((chunk) => chunk.document === document).length);
  const batches: number[][] = [];
  let chunksInBatch = 0;
  corpus.documents.forEach((_, document) => {
    const last = batches.at(-1);
    if (!last || last.length >= collectionLimits.maxDocumentsPerRequest || chunksInBatch + chunkCounts[document] > collectionLimits.maxChunksPerRequest) {
      batches.push([document]);
      chunksInBatch = chunkCounts[document];
    } else {
      last.push(document);
      chunksInBatch += chunkCounts[document];
    }
  });

  const documentIndex = new Map<string, number>();
  const started = performance.now();
  let stored = 0;
  for (const batch of batches) {
    const input = addDocumentsSchema.parse({
      documents: batch.map((document) => ({ text: corpus.documents[document].text, metadata: { page: corpus.pages[corpus.documents[document].page].name.slice(0, 500) } })),
    });
    input.documents.forEach((document, i) => {
      if (document.text !== corpus.documents[batch[i]].text) throw new Error(`The app normalises document ${batch[i]} differently from the evaluation: their chunks would not match.`);
    });
    const added = await addDocuments(db, { id, key, documents: input.documents });
    added.forEach((result, i) => {
      if (result.duplicate) {
        throw new Error(`"${corpus.pages[corpus.documents[batch[i]].page].name}" has the same text as another document: the answer to its questions would be ambiguous. Remove one of them.`);
      }
      documentIndex.set(result.documentId, batch[i]);
    });
    stored += batch.reduce((sum, document) => sum + chunkCounts[document], 0);
    const seconds = (performance.now() - started) / 1000;
    log(`${model}: ${stored.toLocaleString("en")} of ${corpus.chunks.length.toLocaleString("en")} chunks stored (${(stored / seconds).toFixed(1)} chunks/s)`);
  }
  const figures = { model, documents: corpus.documents.length, chunks: corpus.chunks.length, seconds: (performance.now() - started) / 1000 };

  const byPlace = new Map(corpus.chunks.map((chunk) => [`${chunk.document}:${chunk.position}`, chunk]));
  const chunkOf = (result: StoredChunk) => {
    const document = documentIndex.get(result.documentId);
    const chunk = document === undefined ? undefined : byPlace.get(`${document}:${result.position}`);
    const offset = document === undefined ? 0 : corpus.documents[document].offset;
    if (!chunk || chunk.text !== result.text || chunk.start !== offset + result.start || chunk.end !== offset + result.end) {
      throw new Error(`Search returned chunk ${result.position} of document ${result.documentId}, which is not the chunk the evaluation made there: the app's chunking and the evaluation's differ.`);
    }
    return chunk.id;
  };
  return { figures, chunkOf };
}
