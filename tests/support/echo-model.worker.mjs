// A worker speaking ModelWorker's protocol, for its tests: each text becomes [length, first code
// point]; the text "exit" ends the thread, "throw" answers an error.
import { parentPort } from "node:worker_threads";

parentPort.on("message", ({ id, texts }) => {
  if (texts.includes("exit")) process.exit(3);
  if (texts.includes("throw")) return parentPort.postMessage({ id, error: "asked to throw" });
  const values = new Float32Array(texts.flatMap((text) => [text.length, text.codePointAt(0) ?? 0]));
  parentPort.postMessage({ id, dims: 2, values }, [values.buffer]);
});
