import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connection";
import { explainNearest, findNearestVocabularyWords } from "@/lib/db/queries";
import { saveVocabularyWords, startVocabularyLoad } from "@/lib/db/vocabulary-queries";
import { vocabularyStore, vocabularyStoreOptions } from "@/lib/db/vocabulary-store";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "@/lib/embeddings/glove";
import { getVocabularyStatus, loadVocabulary, requireVocabulary, type VocabularyStatus } from "@/lib/embeddings/vocabulary";
import { normalize } from "@/lib/vectors";

// The smallest vocabulary the configuration allows: the real GloVe words, loaded in about a second.
const wordsTarget = 1000;

async function unitVectorOf(word: string): Promise<number[]> {
  return normalize((await loadGloveVocabulary()).vectorOf(word)!);
}

/** The app's vocabulary search (its SQL, from lib/db/queries.ts) run against the store, with the plan it got. */
/** The nearest words and the query's plan, both through the database's vocabulary store. */
async function searchStore(db: Database, word: string): Promise<{ words: string[]; plan: string }> {
  const vector = await unitVectorOf(word);
  const results = await findNearestVocabularyWords(db, { model: GLOVE_MODEL_ID, vector, k: 3, excludeWords: [word] });
  const plan = await explainNearest(db, { table: "vocabulary_words", model: GLOVE_MODEL_ID, vector, k: 3 });
  return { words: results.map((result) => result.text), plan };
}

/** A PGlite database in a new directory, with or without the vocabulary in a worker thread. */
async function openPglite(dir: string, pgliteWorker: boolean): Promise<Database> {
  vocabularyStoreOptions.pgliteWorker = pgliteWorker;
  const db = await openDatabase({ pgliteDir: dir });
  vocabularyStore(db); // decided now, with the option as set
  return db;
}

describe("the vocabulary in a PGlite of its own, in a worker thread", () => {
  const dirs: string[] = [];
  const opened: Database[] = [];
  let savedSize: string | undefined;
  const savedWorker = vocabularyStoreOptions.pgliteWorker;

  const newDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-vocabulary-"));
    dirs.push(dir);
    return dir;
  };
  const open = async (dir: string, pgliteWorker = true) => {
    const db = await openPglite(dir, pgliteWorker);
    opened.push(db);
    return db;
  };

  beforeAll(() => {
    savedSize = process.env.GLOVE_VOCABULARY_SIZE;
    process.env.GLOVE_VOCABULARY_SIZE = String(wordsTarget);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    vocabularyStoreOptions.pgliteWorker = savedWorker;
    if (savedSize === undefined) delete process.env.GLOVE_VOCABULARY_SIZE;
    else process.env.GLOVE_VOCABULARY_SIZE = savedSize;
  });

  /**
   * Loads the vocabulary and, while its index is being built, asks the server's database and the
   * vocabulary's status over and over; returns what was answered before the build ended.
   */
  async function answeredDuringBuild(db: Database): Promise<{ queries: number; statuses: VocabularyStatus[]; refusals: string[] }> {
    const store = vocabularyStore(db);
    const build = store.runMaintenance;
    let building = false;
    const answered = { queries: 0, statuses: [] as VocabularyStatus[], refusals: [] as string[] };
    const probes: Promise<void>[] = [];
    store.runMaintenance = async (statements) => {
      building = true;
      const probe = async () => {
        while (building) {
          // PGlite answers through microtasks alone: yield, or the worker's reply is never read.
          await new Promise((resolve) => setImmediate(resolve));
          await db.prisma.$queryRaw`SELECT 1`;
          const status = await getVocabularyStatus(db);
          const refusal = await requireVocabulary(db).then(() => "", (error: Error) => error.message);
          if (!building) return;
          answered.queries++;
          answered.statuses.push(status);
          answered.refusals.push(refusal);
        }
      };
      const built = build(statements);
      // From the next turn of the event loop: the server's PGlite, building on this thread, lets none come sooner.
      probes.push(new Promise((resolve) => setImmediate(resolve)).then(probe));
      try {
        await built;
      } finally {
        building = false;
      }
    };
    try {
      await loadVocabulary(db, { onProgress: () => {} });
      await Promise.all(probes);
    } finally {
      store.runMaintenance = build;
    }
    return answered;
  }

  it("the server's database answers while the index is built, and the status says indexing", async () => {
    const db = await open(newDir());
    const answered = await answeredDuringBuild(db);
    expect(answered.queries).toBeGreaterThan(0);
    expect(answered.statuses[0]).toEqual({ state: "indexing", wordsLoaded: wordsTarget, wordsTarget });
    expect(answered.refusals[0]).toBe(
      "The glove-100d vocabulary is being loaded into pgvector (all 1,000 words are in, their HNSW index is being built); this happens once. Retry in a few seconds.",
    );
    expect(await getVocabularyStatus(db)).toEqual({ state: "ready", wordsLoaded: wordsTarget, wordsTarget });
  });

  it("with the words in the server's own PGlite, nothing else is answered until the build ends", async () => {
    const db = await open(newDir(), false);
    const answered = await answeredDuringBuild(db);
    expect(answered.queries).toBe(0);
  });

  it("finds the same nearest words by exact scan before the index exists and through it after", async () => {
    const db = await open(newDir());
    const glove = await loadGloveVocabulary();
    const words = [...glove.entries({ limit: wordsTarget })].map(({ rank, word, vector }) => ({ rank, word, vector: normalize(vector) }));
    await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget });
    await saveVocabularyWords(db, { model: GLOVE_MODEL_ID, words });
    const before = await searchStore(db, "king");
    expect(before.plan).not.toMatch(/vocabulary_words_hnsw/);

    await loadVocabulary(db, { onProgress: () => {} }); // all words in: builds the index only
    const after = await searchStore(db, "king");
    expect(after.plan).toMatch(/Index Scan using vocabulary_words_hnsw_100/);
    // Among the 1,000 most frequent words; "prince" and "queen" come later.
    expect(before.words).toEqual(["son", "father", "ii"]);
    expect(after.words).toEqual(before.words);
  });

  it("keeps the words in its own directory, out of the server's database, and finds them after a restart", async () => {
    const dir = newDir();
    const db = await open(dir);
    await loadVocabulary(db, { onProgress: () => {} });
    expect(fs.existsSync(path.join(dir, "vocabulary", "PG_VERSION"))).toBe(true);
    expect(await db.prisma.vocabularyWord.count()).toBe(0);
    await db.close();
    opened.splice(opened.indexOf(db), 1);

    const reopened = await open(dir);
    expect(await getVocabularyStatus(reopened)).toEqual({ state: "ready", wordsLoaded: wordsTarget, wordsTarget });
    const progress: VocabularyStatus[] = [];
    await loadVocabulary(reopened, { onProgress: (status) => progress.push(status) });
    expect(progress).toEqual([]); // complete: nothing loaded again
    expect((await searchStore(reopened, "king")).words).toEqual(["son", "father", "ii"]);
  });

  it("reports a new directory's vocabulary absent without creating its database", async () => {
    const dir = newDir();
    const db = await open(dir);
    expect(await getVocabularyStatus(db)).toEqual({ state: "absent", wordsLoaded: 0, wordsTarget });
    expect(fs.existsSync(path.join(dir, "vocabulary"))).toBe(false);
  });
});
