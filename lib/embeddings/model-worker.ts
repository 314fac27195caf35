import path from "node:path";
import { Worker } from "node:worker_threads";

/**
 * A model running in a worker thread, started on first use and restarted after a crash. Calls
 * are answered in any order, matched by id. The worker keeps the process alive only while a call
 * is waiting for it, so a script that used the model can still end.
 */
export class ModelWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (vectors: number[][]) => void; reject: (error: Error) => void }>();

  /** `file`: the worker's script, relative to the app's root (the working directory, as for DATA_DIR). */
  constructor(private readonly file: string) {}

  embed(texts: string[]): Promise<number[][]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, texts });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.resolve(/* turbopackIgnore: true */ process.cwd(), this.file));
    worker.on("message", (reply: { id: number; dims: number; values: Float32Array } | { id: number; error: string }) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ("error" in reply) call.reject(new Error(reply.error));
      else call.resolve(toRows(reply.values, reply.dims));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`The model's worker thread exited (code ${code}).`)));
    this.worker = worker;
    return worker;
  }
}

function toRows(values: Float32Array, dims: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < values.length; offset += dims) rows.push(Array.from(values.subarray(offset, offset + dims)));
  return rows;
}
