import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connection";
import { indexEmbeddingsStep } from "@/lib/db/embedding-index";
import { explainNearest, findNearestEmbeddings, flushEmbeddingWrites } from "@/lib/db/queries";
import { embedTexts } from "@/lib/embeddings/service";
import { tinyModelDims, writeTinyModel } from "@/scripts/make-tiny-onnx-model";
import { appErrorOf } from "../../support/app-errors";
import { testBackends, useScratchDatabase } from "../../support/databases";

// local: vectors through the embedding service into pgvector, on PGlite and on PostgreSQL.
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "notebook-local-storage-"));
const saved = { MODELS_DIR: process.env.MODELS_DIR, MODEL_DOWNLOADS: process.env.MODEL_DOWNLOADS };
beforeAll(() => {
  writeTinyModel(path.join(modelsDir, "test", "tiny"));
  writeTinyModel(path.join(modelsDir, "test", "corrupt"), { variant: "corrupt" });
  writeTinyModel(path.join(modelsDir, "test", "wrong-shape"), { variant: "wrong-shape" });
  Object.assign(process.env, { MODELS_DIR: modelsDir, MODEL_DOWNLOADS: "0" });
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key]; else process.env[key] = value;
  fs.rmSync(modelsDir, { recursive: true, force: true });
});

const texts = ["cat", "kitten", "dog", "truck", "car", "banana"];

async function storedCount(db: Database, model: string): Promise<number> {
  return db.prisma.embedding.count({ where: { model } });
}

for (const backend of testBackends) {
  describe(`local: models on ${backend.name}`, () => {
    let db: Database;
    useScratchDatabase(backend, (opened) => (db = opened));

    it.skipIf(!backend.enabled)("stores the vectors under a new dimension's HNSW index and finds kitten nearest to cat", async () => {
      const { dims, vectors } = await embedTexts(db, { model: "local:test/tiny", texts });
      expect(dims).toBe(tinyModelDims);
      await flushEmbeddingWrites(db);
      expect(await storedCount(db, "local:test/tiny")).toBe(texts.length);
      const [index] = await db.prisma.$queryRaw<{ indexdef: string }[]>`
        SELECT indexdef FROM pg_indexes WHERE tablename = 'embeddings' AND indexname = ${`embeddings_hnsw_${tinyModelDims}`}`;
      expect(index.indexdef).toMatch(new RegExp(`vector\\(${tinyModelDims}\\)\\) vector_cosine_ops\\) WHERE \\(\\(dims = ${tinyModelDims}\\) AND indexed\\)`));

      while ((await indexEmbeddingsStep(db, { limit: 100 })) > 0);
      const nearest = await findNearestEmbeddings(db, { model: "local:test/tiny", vector: vectors[0], k: 2, excludeTexts: ["cat"] });
      expect(nearest.map((result) => result.text)).toEqual(["kitten", "dog"]);
      const plan = await explainNearest(db, { table: "embeddings", model: "local:test/tiny", vector: vectors[0], k: 2 });
      expect(plan).toContain(`embeddings_hnsw_${tinyModelDims}`);
    });

    it.skipIf(!backend.enabled)("stores nothing when the model is missing, corrupt or answers the wrong shape", async () => {
      for (const [model, message] of [
        ["local:test/absent", "is not installed"],
        ["local:test/corrupt", "does not load as an ONNX model"],
        ["local:test/wrong-shape", "a local: model must answer float32 [batch, sequence, dims]"],
      ]) {
        // Readable texts: the tokenizer alone checks them, so the model's own failure comes next.
        const error = await appErrorOf(embedTexts(db, { model, texts: ["cat", "the big truck"] }));
        expect(error).toMatchObject({ code: "unavailable:model", status: 503 });
        expect(error.message).toContain(message);
        await flushEmbeddingWrites(db);
        expect(await storedCount(db, model)).toBe(0);
      }
    });
  });
}
