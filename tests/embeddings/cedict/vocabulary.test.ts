import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { explainNearest } from "@/lib/db/queries";
import { vocabularyIndexName } from "@/lib/db/vocabulary-queries";
import { vocabularyStore } from "@/lib/db/vocabulary-store";
import { CEDICT_MODEL_ID, CEDICT_VOCABULARY_WORDS, cedictGlove } from "@/lib/embeddings/cedict/model";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { solveAnalogy, searchNearest } from "@/lib/embeddings/search";
import { getVocabularyStatus, gloveWordModel, loadVocabulary, requireVocabulary, type WordModel } from "@/lib/embeddings/vocabulary";
import { testBackends, useScratchDatabase } from "../../support/databases";

// cedict-glove-100d's Chinese headwords in pgvector beside GloVe's words, each with its own HNSW
// index: analogies in Chinese through the vocabulary, on both backends.
const cedict = cedictGlove as WordModel;

describe.each(testBackends)("cedict-glove-100d's vocabulary on $name", (backend) => {
  let db: Database;
  let savedSize: string | undefined;
  useScratchDatabase(backend, (opened) => (db = opened));

  beforeAll(async () => {
    savedSize = process.env.GLOVE_VOCABULARY_SIZE;
    process.env.GLOVE_VOCABULARY_SIZE = "1000";
    if (!backend.enabled) return;
    await loadVocabulary(db, { onProgress: () => {} });
    await loadVocabulary(db, { model: cedict, onProgress: () => {} });
  });
  afterAll(() => {
    if (savedSize === undefined) delete process.env.GLOVE_VOCABULARY_SIZE;
    else process.env.GLOVE_VOCABULARY_SIZE = savedSize;
  });

  it.skipIf(!backend.enabled)("loads next to GloVe's vocabulary, each model with an HNSW index of its own", async () => {
    expect(await getVocabularyStatus(db, cedict)).toEqual({ state: "ready", wordsLoaded: CEDICT_VOCABULARY_WORDS, wordsTarget: CEDICT_VOCABULARY_WORDS });
    expect(await getVocabularyStatus(db, gloveWordModel)).toMatchObject({ state: "ready", wordsLoaded: 1000 });
    await expect(requireVocabulary(db, cedict)).resolves.toBeUndefined();
    const [{ count }] = await vocabularyStore(db).query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "vocabulary_words" WHERE "model" = $1`, [
      CEDICT_MODEL_ID,
    ]);
    expect(count).toBe(CEDICT_VOCABULARY_WORDS);
    const vector = (await cedict.embed(["猫"]))[0];
    const cedictPlan = await explainNearest(db, { table: "vocabulary_words", model: CEDICT_MODEL_ID, vector, k: 5 });
    expect(cedictPlan).toContain(`Index Scan using ${vocabularyIndexName(CEDICT_MODEL_ID)}`);
    const glovePlan = await explainNearest(db, { table: "vocabulary_words", model: GLOVE_MODEL_ID, vector, k: 5 });
    expect(glovePlan).toContain(`Index Scan using ${vocabularyIndexName(GLOVE_MODEL_ID)}`);
  });

  it.skipIf(!backend.enabled)("国王 − 男人 + 女人 → 女王 or 王后 among the top answers, inputs excluded", async () => {
    const { model, results } = await solveAnalogy(db, { model: CEDICT_MODEL_ID, a: "国王", b: "男人", c: "女人", k: 10, scope: "vocabulary" });
    expect(model.id).toBe(CEDICT_MODEL_ID);
    const words = results.map((result) => result.text);
    expect(words).toHaveLength(10);
    expect(words.some((word) => word === "女王" || word === "王后")).toBe(true);
    expect(words).not.toEqual(expect.arrayContaining(["国王"]));
    expect(words.some((word) => ["男人", "女人"].includes(word))).toBe(false);
  });

  it.skipIf(!backend.enabled)("nearest words of 猫 are Chinese animal words, 猫 itself left out, in either script", async () => {
    for (const query of ["猫", "貓"]) {
      const { results } = await searchNearest(db, { model: CEDICT_MODEL_ID, query, k: 10, scope: "vocabulary" });
      const words = results.map((result) => result.text);
      expect(words).not.toContain("猫");
      expect(words).toContain("狗");
    }
  });

  it.skipIf(!backend.enabled)("an English query finds its Chinese words: cat → 猫", async () => {
    const { results } = await searchNearest(db, { model: CEDICT_MODEL_ID, query: "cat", k: 5, scope: "vocabulary" });
    expect(results.map((result) => result.text)).toContain("猫");
  });

  it.skipIf(!backend.enabled)("GloVe's vocabulary still answers after the Chinese one was loaded", async () => {
    const { results } = await searchNearest(db, { model: GLOVE_MODEL_ID, query: "king", k: 3, scope: "vocabulary" });
    expect(results.map((result) => result.text)).toEqual(["son", "father", "ii"]);
  });
});
