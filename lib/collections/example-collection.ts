import type { Database } from "../db/connection";
import { oncePerDatabase } from "../db/once-per-database";
import { countCollectionContents, getCollectionByPublicId } from "../db/collection-queries";
import { exampleCollection, readExampleDocuments } from "./example";
import { createCollection, storeDocuments } from "./store";

/** The example collection's fixed id: the home page and the example notebook link to it. */
export const exampleCollectionId = "example";

/**
 * Creates the public example collection from the documents that ship in lib/collections/example,
 * once per database (a fresh install has it without any network). Nobody holds its write key:
 * the key is generated and dropped, so the example can't be changed through the API.
 */
export const ensureExampleCollection = oncePerDatabase(seed);

async function seed(db: Database): Promise<void> {
  let row = await getCollectionByPublicId(db, { publicId: exampleCollectionId });
  if (!row) {
    await createCollection(
      db,
      // The model's own chunking: chunks it reads whole (model-chunking.ts).
      { name: exampleCollection.name, model: exampleCollection.model, public: true },
      { publicId: exampleCollectionId },
    ).catch(async (error) => {
      // Another process made it meanwhile: the unique id says so.
      if (!(await getCollectionByPublicId(db, { publicId: exampleCollectionId }))) throw error;
    });
    row = (await getCollectionByPublicId(db, { publicId: exampleCollectionId }))!;
  }
  // Also completes a seeding that was cut short (documents are stored once: they dedupe by content).
  const documents = readExampleDocuments().map((document) => ({ text: document.text, metadata: document.metadata }));
  const { documents: stored } = await countCollectionContents(db, { collectionId: row.id });
  if (stored < documents.length) await storeDocuments(db, row, documents);
}
