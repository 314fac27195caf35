// Runs USE-lite in a worker thread (see use-lite.ts): the model's arithmetic then uses another core
// while the server's own thread answers requests and writes to the database. Plain JavaScript,
// loaded by path at run time, so neither Next.js's bundler nor a TypeScript runner is involved.
// Messages: in { id, texts }, out { id, dims, values } or { id, error }; workerData: { attention }
// (see use-lite-model.mjs).
import { parentPort, workerData } from "node:worker_threads";
import { loadUseLiteModel } from "./use-lite-model.mjs";

const loading = loadUseLiteModel({ attention: workerData?.attention });
// A model that failed to load stays failed in this thread: end it, so the next call starts a new one.
loading.catch(() => setTimeout(() => process.exit(1), 0));

parentPort.on("message", async ({ id, texts }) => {
  try {
    const { dims, values } = await (await loading).embed(texts);
    parentPort.postMessage({ id, dims, values }, [values.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
