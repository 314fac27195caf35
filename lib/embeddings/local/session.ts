import { availableParallelism } from "node:os";
import type { Tensor } from "@huggingface/transformers";
import { ModelWorker } from "../model-worker";

/**
 * One model's ONNX session, in a worker thread of its own (onnx.worker.mjs): onnxruntime-node runs
 * a batch synchronously on the thread that asks, which here is the worker's, so the server's own
 * thread goes on answering requests (share pages, searches, saves) while a model embeds. The
 * thread keeps the process alive only while a call waits for it.
 */

/** The worker's script, relative to the app's root (see ModelWorker). */
export const onnxWorkerFile = "lib/embeddings/local/onnx.worker.mjs";

export interface SessionOptions {
  /** The model's directory (absolute). */
  dir: string;
  /** The ONNX file, relative to `dir`. */
  onnxFile: string;
  /**
   * ONNX Runtime's intra-op threads. The worker thread runs a batch and joins the pool, so n
   * threads keep n cores busy while it runs; the server's thread mostly waits meanwhile. Default:
   * the cores, at most 4.
   */
  threads?: number;
  /** The worker's script, relative to the app's root. Default `onnxWorkerFile`; tests wrap it to crash on demand. */
  workerFile?: string;
}

/** One output of a run: its type and shape, and for a float32 `last_hidden_state` its values. */
export interface SessionOutput {
  type: string;
  dims: number[];
  data?: Float32Array;
}

export interface OnnxSession {
  /** Settles once the worker has loaded the ONNX file: rejects with the library's reason, or the thread's end. */
  ready: Promise<void>;
  /** Runs the model on token tensors (int64 [batch, sequence]: input_ids, attention_mask, …). */
  run(inputs: Record<string, Tensor>): Promise<Record<string, SessionOutput>>;
  /** False once the thread crashed: its calls were rejected, and a new session should be started. */
  alive(): boolean;
  /** Ends the thread; calls still waiting are rejected. */
  close(): Promise<void>;
}

/** Starts the worker thread; it begins loading the ONNX file at once. */
export function startOnnxSession({ dir, onnxFile, threads, workerFile = onnxWorkerFile }: SessionOptions): OnnxSession {
  const worker = new ModelWorker(workerFile, {
    workerData: { dir, onnxFile, threads: threads ?? Math.min(4, availableParallelism()) },
  });
  const ready = worker.request({ load: true }).then(() => undefined);
  ready.catch(() => {}); // the caller may stop waiting (another file failed first)
  return {
    ready,
    async run(inputs) {
      const tensors = Object.fromEntries(Object.entries(inputs).map(([name, tensor]) => [name, { data: tensor.data, dims: tensor.dims }]));
      const { outputs } = await worker.request<{ outputs: Record<string, SessionOutput> }>({ inputs: tensors });
      return outputs;
    },
    alive: () => worker.crashes === 0,
    close: () => worker.terminate(),
  };
}
