// The ONNX worker (lib/embeddings/local/onnx.worker.mjs) with a way to crash it, for tests: an
// empty file `crash-on-start` in the model's directory makes the thread throw as it starts, and
// `crash-on-run` makes it throw on the next batch; either file is deleted first, so the next
// thread works. The throw is uncaught, as a real crash would be.
import fs from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const takeMarker = (name) => {
  const file = path.join(workerData.dir, name);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file);
  return true;
};

if (takeMarker("crash-on-start")) throw new Error("crashed on demand as it started");
// The real worker's listener sees each message after this check. Messages wait in the port until
// that listener is there.
const listen = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) =>
  listen(event, (message) => {
    if (event === "message" && message.inputs && takeMarker("crash-on-run")) throw new Error("crashed on demand during a run");
    return listener(message);
  });
await import("../../../lib/embeddings/local/onnx.worker.mjs");
