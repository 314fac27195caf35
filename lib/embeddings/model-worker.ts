import path from "node:path";
import { Worker, type TransferListItem } from "node:worker_threads";

export interface ModelWorkerOptions {
  /** Handed to the script as `workerData` each time a thread starts: what to load (a model's directory, its settings). */
  workerData?: unknown;
}

type Reply = Record<string, unknown>;

/**
 * A model running in a worker thread, started on first use and restarted after a crash. Calls
 * are answered in any order, matched by id. The worker keeps the process alive only while a call
 * is waiting for it, so a script that used the model can still end.
 *
 * The script answers each message `{ id, ...message }` with `{ id, ...reply }`, or `{ id, error }`
 * (a message) for a call that failed; `embed` speaks `{ texts }` → `{ dims, values }`.
 */
export class ModelWorker {
  private worker: Worker | undefined;
  private nextId = 0;
  private crashCount = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

  /** `file`: the worker's script, relative to the app's root (the working directory, as for DATA_DIR). */
  constructor(
    private readonly file: string,
    private readonly options: ModelWorkerOptions = {},
  ) {}

  /** How many threads ended without being asked to (crashed, exited, or failed to start); their calls were rejected. */
  get crashes(): number {
    return this.crashCount;
  }

  embed(texts: string[]): Promise<number[][]> {
    return this.request<{ dims: number; values: Float32Array }>({ texts }).then(({ values, dims }) => toRows(values, dims));
  }

  /**
   * Sends `message` (with an id added) and resolves with the worker's reply to it (without the id);
   * rejects with the reply's `error`, or when the thread ends before answering. `transfer` lists
   * buffers to move to the worker instead of copying them.
   */
  request<R extends object = Reply>(message: object, transfer: TransferListItem[] = []): Promise<R> {
    return new Promise((resolve, reject) => {
      const worker = this.start();
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (reply: Reply) => void, reject });
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Ends the thread, if one runs; calls still waiting are rejected. The next call starts a new thread. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.rejectAll(new Error("The model's worker thread was stopped."));
    await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.resolve(/* turbopackIgnore: true */ process.cwd(), this.file), { workerData: this.options.workerData });
    worker.on("message", ({ id, ...reply }: { id: number } & Reply) => {
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (typeof reply.error === "string") call.reject(new Error(reply.error));
      else call.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.crashCount++;
      this.rejectAll(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`The model's worker thread exited (code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private rejectAll(error: Error): void {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }
}

function toRows(values: Float32Array, dims: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < values.length; offset += dims) rows.push(Array.from(values.subarray(offset, offset + dims)));
  return rows;
}
