import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/connection";
import { explainNearest, findNearestVocabularyWords } from "@/lib/db/queries";
import { saveVocabularyWords, startVocabularyLoad } from "@/lib/db/vocabulary-queries";
import { vocabularyStore } from "@/lib/db/vocabulary-store";
import { GLOVE_MODEL_ID, loadGloveVocabulary } from "@/lib/embeddings/glove";
import { getVocabularyStatus, loadVocabulary, requireVocabulary, type VocabularyStatus } from "@/lib/embeddings/vocabulary";
import { normalize } from "@/lib/vectors";
import { testBackends, type TestDatabase } from "../support/databases";

// The smallest vocabulary the configuration allows: the real GloVe words, loaded in about a second.
const wordsTarget = 1000;

async function unitVectorOf(word: string): Promise<number[]> {
  return normalize((await loadGloveVocabulary()).vectorOf(word)!);
}

describe.each(testBackends)("loadVocabulary on $name", (backend) => {
  let handle: TestDatabase;
  let db: Database;
  let savedSize: string | undefined;

  beforeAll(() => {
    savedSize = process.env.GLOVE_VOCABULARY_SIZE;
    process.env.GLOVE_VOCABULARY_SIZE = String(wordsTarget);
  });
  afterAll(() => {
    if (savedSize === undefined) delete process.env.GLOVE_VOCABULARY_SIZE;
    else process.env.GLOVE_VOCABULARY_SIZE = savedSize;
  });
  beforeEach(async () => {
    if (!backend.enabled) return;
    handle = await backend.open();
    db = handle.db;
  });
  afterEach(async () => handle?.dispose());

  it.skipIf(!backend.enabled)("reports loading, then indexing, then ready, and searches through the HNSW index", async () => {
    expect(await getVocabularyStatus(db)).toEqual({ state: "absent", wordsLoaded: 0, wordsTarget });
    const progress: VocabularyStatus[] = [];
    await loadVocabulary(db, { onProgress: (status) => progress.push(status) });
    expect(progress).toEqual([
      { state: "loading", wordsLoaded: 0, wordsTarget },
      { state: "loading", wordsLoaded: wordsTarget, wordsTarget },
      { state: "indexing", wordsLoaded: wordsTarget, wordsTarget },
      { state: "ready", wordsLoaded: wordsTarget, wordsTarget },
    ]);
    expect(await getVocabularyStatus(db)).toEqual({ state: "ready", wordsLoaded: wordsTarget, wordsTarget });
    await expect(requireVocabulary(db)).resolves.toBeUndefined();

    const vector = await unitVectorOf("king");
    const plan = await explainNearest(db, { table: "vocabulary_words", model: GLOVE_MODEL_ID, vector, k: 5 });
    expect(plan).toMatch(/Index Scan using vocabulary_words_hnsw_100/);
    const nearest = await findNearestVocabularyWords(db, { model: GLOVE_MODEL_ID, vector, k: 3, excludeWords: ["king"] });
    // Among the 1,000 most frequent words; "prince" and "queen" come later.
    expect(nearest.map((result) => result.text)).toEqual(["son", "father", "ii"]);
  });

  it.skipIf(!backend.enabled)("resumes after the words already stored by an interrupted load", async () => {
    const glove = await loadGloveVocabulary();
    const first = [...glove.entries({ limit: 400 })].map(({ rank, word, vector }) => ({ rank, word, vector: normalize(vector) }));
    await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget });
    await saveVocabularyWords(db, { model: GLOVE_MODEL_ID, words: first });
    expect(await getVocabularyStatus(db)).toEqual({ state: "loading", wordsLoaded: 400, wordsTarget });

    const progress: VocabularyStatus[] = [];
    await loadVocabulary(db, { onProgress: (status) => progress.push(status) });
    expect(progress.map((status) => [status.state, status.wordsLoaded])).toEqual([
      ["loading", 400],
      ["loading", wordsTarget],
      ["indexing", wordsTarget],
      ["ready", wordsTarget],
    ]);
    const ranks = await vocabularyStore(db).query(`SELECT count(*)::int AS "count", min("rank") AS "min", max("rank") AS "max" FROM "vocabulary_words"`);
    expect(ranks).toEqual([{ count: wordsTarget, min: 1, max: wordsTarget }]);
  });

  it.skipIf(!backend.enabled)("resumes an interrupted index build: all words in, status indexing, only the index is built", async () => {
    const glove = await loadGloveVocabulary();
    const all = [...glove.entries({ limit: wordsTarget })].map(({ rank, word, vector }) => ({ rank, word, vector: normalize(vector) }));
    await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget });
    await saveVocabularyWords(db, { model: GLOVE_MODEL_ID, words: all });
    expect(await getVocabularyStatus(db)).toEqual({ state: "indexing", wordsLoaded: wordsTarget, wordsTarget });
    await expect(requireVocabulary(db)).rejects.toThrow(/all 1,000 words are in, their HNSW index is being built/);
    await loadVocabulary(db); // the same load requireVocabulary started

    const progress: VocabularyStatus[] = [];
    await loadVocabulary(db, { onProgress: (status) => progress.push(status) });
    expect(progress).toEqual([]); // already complete: nothing to do
    expect(await getVocabularyStatus(db)).toMatchObject({ state: "ready" });
  });

  it.skipIf(!backend.enabled)("logs progress by default: loading, indexing, ready, each with the seconds since the start", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await loadVocabulary(db);
      const lines = log.mock.calls.map(([line]) => String(line)).filter((line) => line.startsWith("[vocabulary]"));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe("[vocabulary] glove-100d: 0 of 1,000 words in pgvector (0%) after 0.0 s");
      expect(lines[1]).toMatch(/^\[vocabulary\] glove-100d: 1,000 of 1,000 words in pgvector \(100%\) after \d+\.\d s$/);
      expect(lines[2]).toMatch(/1,000 of 1,000 words in pgvector after \d+\.\d s; building the HNSW index \(the longest step\)…$/);
      expect(lines[3]).toMatch(/1,000 of 1,000 words in pgvector with their HNSW index after \d+\.\d s: ready$/);
    } finally {
      log.mockRestore();
    }
  });

  it.skipIf(!backend.enabled)("a 503 while loading says how far it has come", async () => {
    await startVocabularyLoad(db, { model: GLOVE_MODEL_ID, wordsTarget });
    const error = await requireVocabulary(db).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "unavailable:vocabulary" });
    const pause = vocabularyStore(db).sharesServerSession ? " While the index is built (about a minute) the server answers nothing else." : "";
    expect((error as Error).message).toBe(
      `The glove-100d vocabulary is being loaded into pgvector (0 of 1,000 words, 0%); this happens once.${pause} Retry in a few seconds.`,
    );
    await loadVocabulary(db);
  });

  it.skipIf(!backend.enabled)("after a failed load, waits a minute before trying again, and says why", async () => {
    const store = vocabularyStore(db);
    const build = store.runMaintenance;
    let builds = 0;
    store.runMaintenance = async () => {
      builds++;
      throw new Error("could not extend file: No space left on device");
    };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(loadVocabulary(db)).rejects.toThrow(/No space left/);
      const error = await requireVocabulary(db).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "unavailable:vocabulary" });
      expect((error as Error).message).toMatch(/failed \(could not extend file: No space left on device\); the next attempt starts in (60|59) s\.$/);
      expect(Number((error as { headers?: Record<string, string> }).headers?.["Retry-After"])).toBeGreaterThan(55);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(builds).toBe(1); // the 503 did not start another load
    } finally {
      store.runMaintenance = build;
      errors.mockRestore();
    }
  });
});
