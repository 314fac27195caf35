import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { explainNearest, findNearestVocabularyWords } from "@/lib/db/queries";
import {
  buildVocabularyIndex,
  completeVocabularyLoad,
  getVocabularyLoad,
  saveVocabularyWords,
  startVocabularyLoad,
  vocabularyIndexName,
} from "@/lib/db/vocabulary-queries";
import { vocabularyStore } from "@/lib/db/vocabulary-store";
import { normalize } from "@/lib/vectors";
import { testBackends, useScratchDatabase } from "../support/databases";

/** A deterministic unit vector of `dims` dimensions pointing roughly along `seed`. */
function vectorNear(seed: number[], dims: number, jitter = 0): number[] {
  return normalize(Array.from({ length: dims }, (_, i) => (seed[i % seed.length] ?? 0) + jitter * Math.sin(i * 7.1 + jitter)));
}

async function indexExists(db: Database, model = "words"): Promise<boolean> {
  const rows = await vocabularyStore(db).query(`SELECT indexname FROM pg_indexes WHERE tablename = 'vocabulary_words' AND indexname = $1`, [
    vocabularyIndexName(model),
  ]);
  return rows.length === 1;
}

describe.each(testBackends)("vocabulary storage on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("saves words in batches, tracks progress, and completes only once indexed", async () => {
    await startVocabularyLoad(db, { model: "words", wordsTarget: 4 });
    expect(await indexExists(db)).toBe(false);
    await saveVocabularyWords(db, {
      model: "words",
      words: [
        { rank: 1, word: "one", vector: vectorNear([1, 1, 1], 100) },
        { rank: 2, word: "two", vector: vectorNear([1, 1, 2], 100) },
      ],
    });
    expect(await getVocabularyLoad(db, { model: "words" })).toEqual({ wordsTarget: 4, wordsLoaded: 2, completed: false });
    await saveVocabularyWords(db, {
      model: "words",
      words: [
        { rank: 3, word: "three", vector: Float32Array.from(vectorNear([2, 2, 2], 100)) },
        { rank: 4, word: "four", vector: vectorNear([-1, 0, 0], 100) },
      ],
    });
    expect(await getVocabularyLoad(db, { model: "words" })).toEqual({ wordsTarget: 4, wordsLoaded: 4, completed: false });
    await buildVocabularyIndex(db, { model: "words" });
    await completeVocabularyLoad(db, { model: "words" });
    expect(await indexExists(db)).toBe(true);
    expect(await getVocabularyLoad(db, { model: "words" })).toEqual({ wordsTarget: 4, wordsLoaded: 4, completed: true });
    const results = await findNearestVocabularyWords(db, { model: "words", vector: vectorNear([1, 1, 1], 100), k: 2, excludeWords: ["one"] });
    expect(results.map((result) => result.text)).toEqual(["three", "two"]);
  });

  it.skipIf(!backend.enabled)("stores words and vectors exactly: non-ASCII, quotes, backslashes, float32 values", async () => {
    const words = ["café", "naïve", "o'clock", 'say"what', "back\\slash", "tab\there", "日本"];
    const vectors = words.map((_, i) => Float32Array.from(vectorNear([i + 1, -1, 0.5], 100)));
    await startVocabularyLoad(db, { model: "exact", wordsTarget: words.length });
    await saveVocabularyWords(db, { model: "exact", words: words.map((word, i) => ({ rank: i + 1, word, vector: vectors[i] })) });
    const rows = await vocabularyStore(db).query<{ word: string; embedding: string }>(
      `SELECT "word", "embedding"::text AS "embedding" FROM "vocabulary_words" WHERE "model" = 'exact' ORDER BY "rank"`,
    );
    expect(rows.map((row) => row.word)).toEqual(words);
    expect(rows.map((row) => Float32Array.from(JSON.parse(row.embedding) as number[]))).toEqual(vectors);
  });

  it.skipIf(!backend.enabled)("a start with words missing drops the index; a start with all words and the index is complete", async () => {
    await buildVocabularyIndex(db, { model: "words" });
    expect(await startVocabularyLoad(db, { model: "words", wordsTarget: 4 })).toEqual({ wordsTarget: 4, wordsLoaded: 4, completed: true });
    expect(await indexExists(db)).toBe(true);
    expect(await startVocabularyLoad(db, { model: "words", wordsTarget: 6 })).toEqual({ wordsTarget: 6, wordsLoaded: 4, completed: false });
    expect(await indexExists(db)).toBe(false);
    expect(await startVocabularyLoad(db, { model: "words", wordsTarget: 4 })).toEqual({ wordsTarget: 4, wordsLoaded: 4, completed: false });
  });

  it.skipIf(!backend.enabled)("rejects a batch with an invalid vector and stores none of it, progress unchanged", async () => {
    await startVocabularyLoad(db, { model: "bad", wordsTarget: 2 });
    const words = [
      { rank: 1, word: "fine", vector: vectorNear([1], 100) },
      { rank: 2, word: "broken", vector: [Number.NaN, ...vectorNear([1], 99)] },
    ];
    await expect(saveVocabularyWords(db, { model: "bad", words })).rejects.toThrow();
    expect(await vocabularyStore(db).query(`SELECT "word" FROM "vocabulary_words" WHERE "model" = 'bad'`)).toEqual([]);
    expect(await getVocabularyLoad(db, { model: "bad" })).toEqual({ wordsTarget: 2, wordsLoaded: 0, completed: false });
  });

  it.skipIf(!backend.enabled)("plans vocabulary search on the HNSW index built after the rows", async () => {
    const words = Array.from({ length: 1000 }, (_, i) => ({ rank: i + 1, word: `w${i}`, vector: vectorNear([i % 5, 1, 2], 100, i / 50) }));
    await startVocabularyLoad(db, { model: "big", wordsTarget: words.length });
    await saveVocabularyWords(db, { model: "big", words });
    await buildVocabularyIndex(db, { model: "big" });
    const plan = await explainNearest(db, { table: "vocabulary_words", model: "big", vector: vectorNear([1], 100), k: 10 });
    expect(plan).toMatch(/Index Scan using vocabulary_words_hnsw_100/);
  });
});
