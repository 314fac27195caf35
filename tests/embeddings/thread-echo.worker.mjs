// A worker speaking ModelWorker's protocol, for the pool's tests: each text becomes [the thread's
// id, the text's length], so a test sees which thread embedded it.
import { parentPort, threadId } from "node:worker_threads";

parentPort.on("message", ({ id, texts }) => {
  const values = new Float32Array(texts.flatMap((text) => [threadId, text.length]));
  parentPort.postMessage({ id, dims: 2, values }, [values.buffer]);
});
