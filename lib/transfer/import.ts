import type { Database } from "../db/connection";
import {
  collectionPublicIdExists,
  explorationSlugExists,
  insertDumpedCollection,
  insertDumpedEmbeddings,
  insertDumpedExploration,
  type DumpedCollectionWrite,
  type ImportOutcome,
} from "../db/dump";
import { embedTexts } from "../embeddings/service";
import { createSlug } from "../keys";
import type { Dump, DumpedCollection, DumpedEmbedding } from "./format";

/**
 * Reads a parsed dump (see format.ts: parse it first, so a bad file writes nothing) into a
 * database. Each exploration and each collection is its own transaction; one that already exists
 * (same slug, same public id) is skipped, or replaced with `replace`. Chunks that come without a
 * vector are embedded again with their collection's model, before its transaction opens.
 */

export interface ImportOptions {
  /** Replace explorations and collections that already exist instead of skipping them. Default false. */
  replace?: boolean;
  /** Told about each entry as it is done (scripts print it). */
  log?: (line: string) => void;
}

export interface OutcomeCounts {
  inserted: number;
  replaced: number;
  skipped: number;
}

export interface ImportReport {
  explorations: OutcomeCounts;
  collections: OutcomeCounts & { documents: number; chunks: number; reembeddedChunks: number };
  /** Cache entries offered; texts the target already had for the model are kept as they were. */
  embeddings: number;
}

/** Texts per embedding call while re-embedding chunks: keeps each model call (and its memory) small. */
const embedBatch = 256;

export async function importDump(db: Database, dump: Dump, options: ImportOptions = {}): Promise<ImportReport> {
  const replace = options.replace ?? false;
  const log = options.log ?? (() => {});
  const report: ImportReport = {
    explorations: { inserted: 0, replaced: 0, skipped: 0 },
    collections: { inserted: 0, replaced: 0, skipped: 0, documents: 0, chunks: 0, reembeddedChunks: 0 },
    embeddings: 0,
  };

  for (const exploration of dump.explorations) {
    const outcome: ImportOutcome =
      !replace && (await explorationSlugExists(db, { slug: exploration.slug }))
        ? "skipped"
        : await insertDumpedExploration(db, {
            exploration: { ...exploration, createdAt: new Date(exploration.createdAt), updatedAt: new Date(exploration.updatedAt) },
            replace,
          });
    report.explorations[outcome]++;
    log(`exploration ${exploration.slug} "${exploration.title}": ${outcome}`);
  }

  for (const collection of dump.collections) {
    // Checked before embedding: skipping a collection should not cost its re-embedding.
    if (!replace && (await collectionPublicIdExists(db, { publicId: collection.publicId }))) {
      report.collections.skipped++;
      log(`collection ${collection.publicId} "${collection.name}": skipped`);
      continue;
    }
    const { write, reembedded } = await withEveryVector(db, collection);
    const outcome = await insertDumpedCollection(db, { collection: write, replace });
    report.collections[outcome]++;
    if (outcome !== "skipped") {
      report.collections.documents += write.documents.length;
      report.collections.chunks += write.documents.reduce((sum, document) => sum + document.chunks.length, 0);
      report.collections.reembeddedChunks += reembedded;
    }
    log(`collection ${collection.publicId} "${collection.name}": ${outcome} (${write.documents.length} documents, ${reembedded} chunks re-embedded)`);
  }

  for (const [model, entries] of groupByModelAndDims(dump.embeddings ?? [])) {
    await insertDumpedEmbeddings(db, { model, entries });
    report.embeddings += entries.length;
  }
  if (dump.embeddings) log(`embeddings cache: ${report.embeddings} entries offered`);
  return report;
}

/**
 * The collection ready to write, every chunk with a vector. Missing ones are embedded with the
 * collection's model and `store: false`: a private collection's text must not enter the shared
 * cache, where `scope: "texts"` search would show it to everyone.
 */
async function withEveryVector(db: Database, collection: DumpedCollection): Promise<{ write: DumpedCollectionWrite; reembedded: number }> {
  const missing = collection.documents.flatMap((document) => document.chunks.filter((chunk) => !chunk.vector).map((chunk) => chunk.text));
  const fresh: number[][] = [];
  try {
    for (let from = 0; from < missing.length; from += embedBatch) {
      fresh.push(...(await embedTexts(db, { model: collection.model, texts: missing.slice(from, from + embedBatch), store: false })).vectors);
    }
  } catch (error) {
    throw new Error(`Collection ${collection.publicId} ("${collection.name}"): embedding its chunks again with ${collection.model} failed: ${(error as Error).message}`);
  }
  const given = collection.documents.flatMap((document) => document.chunks).find((chunk) => chunk.vector)?.vector;
  if (given && fresh.length > 0 && given.length !== fresh[0].length) {
    throw new Error(
      `Collection ${collection.publicId} ("${collection.name}"): its stored vectors have ${given.length} dimensions but ${collection.model} now makes ${fresh[0].length}; export it again with --vectors for every chunk.`,
    );
  }
  let next = 0;
  const write: DumpedCollectionWrite = {
    publicId: collection.publicId,
    name: collection.name,
    model: collection.model,
    isPublic: collection.public,
    readKeyHash: collection.readKeyHash,
    writeKeyHash: collection.writeKeyHash,
    chunkSize: collection.chunking.size,
    chunkOverlap: collection.chunking.overlap,
    createdAt: new Date(collection.createdAt),
    documents: collection.documents.map((document) => ({
      // A version 1 file has no document ids: the documents get new ones, as an upload would.
      publicId: document.publicId ?? createSlug(),
      contentHash: document.contentHash,
      text: document.text,
      metadata: document.metadata as DumpedCollectionWrite["documents"][number]["metadata"],
      createdAt: new Date(document.createdAt),
      chunks: document.chunks.map((chunk) => ({
        position: chunk.position,
        text: chunk.text,
        start: chunk.start,
        end: chunk.end,
        metadata: chunk.metadata as DumpedCollectionWrite["documents"][number]["metadata"],
        vector: chunk.vector ?? fresh[next++],
      })),
    })),
  };
  return { write, reembedded: missing.length };
}

/** Cache entries grouped so each batch has one model and one dimension (one HNSW index). */
function groupByModelAndDims(entries: DumpedEmbedding[]): [model: string, entries: { text: string; vector: number[] }[]][] {
  const groups = new Map<string, { model: string; entries: { text: string; vector: number[] }[] }>();
  for (const { model, text, vector } of entries) {
    const key = `${model}\u0000${vector.length}`;
    if (!groups.has(key)) groups.set(key, { model, entries: [] });
    groups.get(key)!.entries.push({ text, vector });
  }
  return [...groups.values()].map((group): [string, { text: string; vector: number[] }[]] => [group.model, group.entries]);
}
