import type { Database } from "../db/connection";
import { listCollections, listDocumentsAfter, listEmbeddingsAfter, listExplorationsAfter, type DumpCollectionRow, type DumpDocumentRow, type DumpExplorationRow } from "../db/dump";
import { dumpFormat, dumpVersion, type DumpedCollection, type DumpedDocument, type DumpedEmbedding, type DumpedExploration, type DumpHeader } from "./format";

/**
 * Writes the whole database as one dump (see format.ts), one exploration, document or cache
 * entry per line. It reads a page of rows at a time and hands each line to `write` as soon as it
 * is made, so a large collection is never held in memory whole, let alone twice.
 */

export interface ExportOptions {
  /** Include every chunk's vector (about 6 kB per 512-d chunk). Default false: the importer re-embeds. */
  withVectors?: boolean;
  /** Include the shared embeddings cache (model, text, vector). Default false: it refills as texts are embedded. */
  withCache?: boolean;
  /** The header's timestamp. Default now. */
  now?: Date;
}

export interface ExportCounts {
  explorations: number;
  collections: number;
  documents: number;
  chunks: number;
  embeddings: number;
}

/** Rows read per query. */
const pageSize = 100;

/** Streams the dump to `write` (awaited, so a slow file or pipe holds the export back) and returns what it wrote. */
export async function exportDump(db: Database, write: (text: string) => Promise<void>, options: ExportOptions = {}): Promise<ExportCounts> {
  const withVectors = options.withVectors ?? false;
  const counts: ExportCounts = { explorations: 0, collections: 0, documents: 0, chunks: 0, embeddings: 0 };
  const header: DumpHeader = { format: dumpFormat, version: dumpVersion, exportedAt: (options.now ?? new Date()).toISOString(), withVectors };
  await write(`${JSON.stringify(header).slice(0, -1)},\n"explorations":[`);

  for await (const row of paged((afterId) => listExplorationsAfter(db, { afterId, limit: pageSize }))) {
    await write(`${counts.explorations++ === 0 ? "" : ","}\n${JSON.stringify(toDumpedExploration(row))}`);
  }

  await write(`],\n"collections":[`);
  for (const collection of await listCollections(db)) {
    const { documents: _none, ...fields } = toDumpedCollection(collection);
    await write(`${counts.collections++ === 0 ? "" : ","}\n${JSON.stringify(fields).slice(0, -1)},"documents":[`);
    let first = true;
    for await (const document of paged((afterId) => listDocumentsAfter(db, { collectionId: collection.id, afterId, limit: pageSize, withVectors }))) {
      await write(`${first ? "" : ","}\n${JSON.stringify(toDumpedDocument(document))}`);
      first = false;
      counts.documents++;
      counts.chunks += document.chunks.length;
    }
    await write("]}");
  }
  await write("]");

  if (options.withCache) {
    await write(`,\n"embeddings":[`);
    for await (const { model, text, vector } of paged((afterId) => listEmbeddingsAfter(db, { afterId, limit: pageSize }))) {
      const entry: DumpedEmbedding = { model, text, vector };
      await write(`${counts.embeddings++ === 0 ? "" : ","}\n${JSON.stringify(entry)}`);
    }
    await write("]");
  }
  await write("}\n");
  return counts;
}

/** Every row of a query read a page at a time, by id (keyset paging: no OFFSET scans). */
async function* paged<Row extends { id: bigint }>(readPage: (afterId: bigint) => Promise<Row[]>): AsyncGenerator<Row> {
  for (let afterId = 0n; ; ) {
    const page = await readPage(afterId);
    if (page.length === 0) return;
    yield* page;
    afterId = page[page.length - 1].id;
  }
}

function toDumpedExploration(row: DumpExplorationRow): DumpedExploration {
  return {
    slug: row.slug,
    editKeyHash: row.editKeyHash,
    title: row.title,
    model: row.model,
    cells: row.cells as DumpedExploration["cells"],
    version: row.version,
    forkedFrom: row.forkedFrom,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    items: row.items,
  };
}

function toDumpedCollection(row: DumpCollectionRow): DumpedCollection {
  return {
    publicId: row.publicId,
    name: row.name,
    model: row.model,
    public: row.isPublic,
    readKeyHash: row.readKeyHash,
    writeKeyHash: row.writeKeyHash,
    chunking: { size: row.chunkSize, overlap: row.chunkOverlap },
    createdAt: row.createdAt.toISOString(),
    documents: [],
  };
}

function toDumpedDocument(row: DumpDocumentRow): DumpedDocument {
  return {
    publicId: row.publicId,
    contentHash: row.contentHash,
    text: row.text,
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
    chunks: row.chunks,
  };
}
