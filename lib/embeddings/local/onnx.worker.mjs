// Runs one local: model's ONNX session in a worker thread (see session.ts): onnxruntime-node runs
// a batch synchronously on the thread that asks, so here it stalls this thread, not the server's.
// Plain JavaScript, loaded by path at run time, so neither Next.js's bundler nor a TypeScript
// runner is involved. Tokenizing, pooling and every check stay on the main thread (runtime.ts).
//
// workerData: { dir, onnxFile, threads }. The session starts loading as the thread starts.
// Messages in: { id, load: true } (answered { id } once loaded) and
// { id, inputs: { <name>: { data: BigInt64Array, dims } } } (answered { id, outputs }, where
// outputs maps each output's name to { type, dims }, and last_hidden_state, when float32, also
// carries its data as a Float32Array). A failure is answered { id, error } (a message).
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const { dir, onnxFile, threads } = workerData;

const loading = import("@huggingface/transformers").then(async ({ AutoModel, Tensor, env }) => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  const model = await AutoModel.from_pretrained(dir, {
    local_files_only: true,
    subfolder: path.dirname(onnxFile),
    model_file_name: path.basename(onnxFile, ".onnx").replace(/_quantized$/, ""),
    dtype: onnxFile.endsWith("_quantized.onnx") ? "q8" : "fp32",
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
  });
  return { model, Tensor };
});
// Answered to whoever asks; the main thread ends a thread whose model did not load.
loading.catch(() => {});

parentPort.on("message", async ({ id, load, inputs }) => {
  try {
    const { model, Tensor } = await loading;
    if (load) return parentPort.postMessage({ id });
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, { data, dims }]) => [name, new Tensor("int64", data, dims)]));
    const answers = await model(feeds);
    const outputs = {};
    for (const [name, tensor] of Object.entries(answers)) outputs[name] = { type: tensor.type, dims: tensor.dims };
    const hidden = answers.last_hidden_state;
    const transfer = [];
    if (hidden?.type === "float32") {
      // A copy this thread owns, moved (not copied again) to the main thread.
      outputs.last_hidden_state.data = new Float32Array(hidden.data);
      transfer.push(outputs.last_hidden_state.data.buffer);
    }
    parentPort.postMessage({ id, outputs }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
