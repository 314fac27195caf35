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

  /** Whether a thread is running now (started and not ended). */
  get running(): boolean {
    return this.worker !== undefined;
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

export interface ModelWorkerPoolOptions extends ModelWorkerOptions {
  /** Threads at most (default 1), each with its own copy of the model. */
  size?: number;
  /** A thread beyond the first ends after this long without a call (default 2 minutes), handing its memory back. */
  idleMs?: number;
}

/**
 * Up to `size` threads running the same script, for calls made concurrently (the batcher's runs):
 * each call goes to the thread with the fewest calls waiting, the first thread first. Threads start
 * on first use; those beyond the first end again once idle, so a model whose memory grew to its
 * largest batch (~400 MB for USE-lite after runs of 64 texts of 800 characters) holds it once, not `size` times.
 */
export class ModelWorkerPool {
  private readonly workers: ModelWorker[];
  private readonly busy: number[];
  private readonly idleTimers: (NodeJS.Timeout | undefined)[];
  private readonly idleMs: number;

  constructor(file: string, { size = 1, idleMs = 120_000, ...options }: ModelWorkerPoolOptions = {}) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`A worker pool needs a whole number of threads ≥ 1, not ${size}.`);
    this.workers = Array.from({ length: size }, () => new ModelWorker(file, options));
    this.busy = this.workers.map(() => 0);
    this.idleTimers = this.workers.map(() => undefined);
    this.idleMs = idleMs;
  }

  /** How many threads there may be. */
  get size(): number {
    return this.workers.length;
  }

  /** How many threads are running now. */
  get threads(): number {
    return this.workers.filter((worker) => worker.running).length;
  }

  /** Crashed threads, over all of the pool's threads. */
  get crashes(): number {
    return this.workers.reduce((total, worker) => total + worker.crashes, 0);
  }

  embed(texts: string[]): Promise<number[][]> {
    const index = this.busy.indexOf(Math.min(...this.busy));
    clearTimeout(this.idleTimers[index]);
    this.busy[index]++;
    return this.workers[index].embed(texts).finally(() => {
      if (--this.busy[index] > 0 || index === 0) return;
      this.idleTimers[index] = setTimeout(() => void this.workers[index].terminate(), this.idleMs).unref();
    });
  }

  /** Ends every thread; calls still waiting are rejected. */
  async terminate(): Promise<void> {
    this.idleTimers.forEach((timer) => clearTimeout(timer));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function toRows(values: Float32Array, dims: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < values.length; offset += dims) rows.push(Array.from(values.subarray(offset, offset + dims)));
  return rows;
}
