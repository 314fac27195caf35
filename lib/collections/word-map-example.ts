import { createHash } from "node:crypto";
import type { Database } from "../db/connection";
import { oncePerDatabase } from "../db/once-per-database";
import { countCollectionContents, getCollectionByPublicId, type CollectionRow } from "../db/collection-queries";
import { insertImportedRows, type ImportedRow } from "../db/import-queries";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "../embeddings/glove";
import { queueMapJob } from "../jobs/maps/queue";
import { jobRunnerOf } from "../jobs/runner";
import { normalizeToFloat32 } from "../vectors";
import { createCollection } from "./store";

/**
 * A big example that works offline: the 50,000 most frequent English words of the GloVe model
 * the app ships, one row each with its GloVe vector, under the glove-100d model (so a search in
 * words finds words by meaning), mapped by a map job. Made the first time it is opened (about
 * ten seconds of COPY on the embedded database, then the map job), not at start-up: most servers,
 * and every test server, never need it.
 */

export const wordMapExample = {
  id: "glove-words",
  name: "The 50,000 most frequent English words",
  description: "Every word a point on the map, laid out from its GloVe vector: numbers, names, places and verbs gather in their own regions. Made on first open, mapped in the background.",
  words: 50_000,
};

const rowsPerBatch = 5_000;
export const ensureWordMapExample = oncePerDatabase(seed);

async function seed(db: Database): Promise<void> {
  const row = await collectionRow(db);
  const vocabulary = await loadGloveVocabulary();
  // A word without a direction (all zeros) belongs nowhere on a map.
  const words = [...vocabulary.entries({ limit: wordMapExample.words })].filter(({ vector }) => vector.some((value) => value !== 0));
  const { documents: stored } = await countCollectionContents(db, { collectionId: row.id });
  if (stored >= words.length) return;
  let batch: ImportedRow[] = [];
  // Rows already stored are skipped by their content hash, so a seeding cut short completes.
  for (const { word, rank, vector } of words) {
    batch.push({
      row: rank,
      contentHash: createHash("sha256").update(word).digest("hex"),
      text: word,
      metadata: { rank, kind: kindOf(word) },
      vector: normalizeToFloat32(vector),
      position: null,
    });
    if (batch.length === rowsPerBatch) {
      await insertImportedRows(db, { collectionId: row.id, jobId: null, rows: batch });
      batch = [];
    }
  }
  await insertImportedRows(db, { collectionId: row.id, jobId: null, rows: batch });
  await queueMapJob(db, { collectionId: row.id, relayout: false });
  jobRunnerOf(db)?.wake();
}

async function collectionRow(db: Database): Promise<CollectionRow> {
  const existing = await getCollectionByPublicId(db, { publicId: wordMapExample.id });
  if (existing) return existing;
  // Nobody holds its write key: it is generated and dropped, so the example can't be changed.
  await createCollection(db, { name: wordMapExample.name, model: GLOVE_MODEL_ID, public: true }, { publicId: wordMapExample.id }).catch(async (error) => {
    if (!(await getCollectionByPublicId(db, { publicId: wordMapExample.id }))) throw error;
  });
  return (await getCollectionByPublicId(db, { publicId: wordMapExample.id }))!;
}

/** What a word is made of, to colour the map by. */
function kindOf(word: string): string {
  if (/^\p{N}+([.,:/-]\p{N}+)*$/u.test(word)) return "number";
  if (/^\p{L}+$/u.test(word)) return "letters";
  if (/^[\p{L}\p{N}'.-]+$/u.test(word)) return "letters with marks";
  return "symbols";
}
