export interface BatcherOptions {
  /** Texts per run, at most (default 64). */
  maxBatchSize?: number;
  /**
   * Characters per run, at most (default: no limit): long texts make big tensors, and a worker's
   * memory grows to its largest run and stays there. A run always takes at least one text.
   */
  maxBatchCharacters?: number;
  /** How many runs may go on at once (default 1): one per worker thread. */
  concurrency?: number;
  /**
   * How many of them may be slices of big calls, asked before each such run starts (default:
   * `concurrency`): fewer while the server's own thread is busy, say (see use-lite.ts). Calls
   * that fit in one run may always use every slot.
   */
  bigCallRuns?: () => number;
  /** Cut a big call into runs of texts of similar length (default true); false keeps input order, as this did before. */
  groupByLength?: boolean;
}

/**
 * Merges concurrent `embed` calls into batches: USE-lite embeds ~85 texts/s one at a time but
 * ~270/s in batches of 32–100, so many small requests arriving together share model calls.
 *
 * A call too big for one run (a collection's upload) is cut into runs of texts of similar length,
 * longest first, so short texts are not padded to long ones and the last runs are the quick ones;
 * answers come back in input order. Calls that fit in one run go first, merged, whenever a run
 * starts: a word typed while a long upload is embedded waits for one run, not for the upload.
 * Big calls are served in the order they came. A failing run rejects the calls that had texts in
 * it; a big call's remaining texts are then not run.
 */
export function createBatcher(
  run: (texts: string[]) => Promise<number[][]>,
  { maxBatchSize = 64, maxBatchCharacters = Infinity, concurrency = 1, bigCallRuns = () => concurrency, groupByLength = true }: BatcherOptions = {},
): (texts: string[]) => Promise<number[][]> {
  const queue: Job[] = [];
  let running = 0;
  let runningBig = 0;
  let scheduled = false;

  const fits = (job: Job, count: number, characters: number) =>
    count + job.left() <= maxBatchSize && characters + job.leftCharacters() <= maxBatchCharacters;

  /** Every queued call that fits in one run together, oldest first. */
  function smallBatch(): Slice[] {
    const batch: Slice[] = [];
    let count = 0;
    let characters = 0;
    for (const job of queue) {
      if (!job.small || !fits(job, count, characters)) continue;
      count += job.left();
      characters += job.leftCharacters();
      batch.push(job.take(job.left()));
    }
    return batch;
  }

  /** The next slice of the oldest big call. */
  function bigSlice(): Slice[] {
    const big = queue.find((job) => !job.small)!;
    let take = 0;
    for (let characters = 0; take < Math.min(big.left(), maxBatchSize); take++) {
      characters += big.nextLength(take);
      if (take > 0 && characters > maxBatchCharacters) break;
    }
    return [big.take(Math.max(take, 1))];
  }

  function dispatch(): void {
    scheduled = false;
    while (queue.length > 0 && running < concurrency) {
      const hasSmall = queue.some((job) => job.small);
      if (!hasSmall && runningBig >= Math.max(1, Math.min(concurrency, bigCallRuns()))) return;
      const batch = hasSmall ? smallBatch() : bigSlice();
      for (const job of new Set(batch.map((slice) => slice.job))) if (job.left() === 0) queue.splice(queue.indexOf(job), 1);
      running++;
      if (!hasSmall) runningBig++;
      void execute(batch).finally(() => {
        running--;
        if (!hasSmall) runningBig--;
        dispatch();
      });
    }
  }

  async function execute(batch: Slice[]): Promise<void> {
    try {
      const vectors = await run(batch.flatMap((slice) => slice.indices.map((index) => slice.job.texts[index])));
      let offset = 0;
      for (const slice of batch) {
        slice.job.answer(slice.indices, vectors.slice(offset, offset + slice.indices.length));
        offset += slice.indices.length;
      }
    } catch (error) {
      for (const { job } of batch) {
        job.fail(error);
        if (queue.includes(job)) queue.splice(queue.indexOf(job), 1);
      }
    }
  }

  return (texts) =>
    new Promise((resolve, reject) => {
      if (texts.length === 0) return resolve([]);
      const small = texts.length <= maxBatchSize && sum(texts) <= maxBatchCharacters;
      const job = new Job(texts, resolve, reject, small, groupByLength && !small);
      queue.push(job);
      // Wait one macrotask so calls made in the same tick join the same run.
      if (!scheduled) {
        scheduled = true;
        setImmediate(dispatch);
      }
    });
}

interface Slice {
  job: Job;
  /** Positions in `job.texts`. */
  indices: number[];
}

/** One call: its texts in the order they are sent (by length, for a big call), and the answers so far. */
class Job {
  private readonly order: number[];
  private sent = 0;
  private answered = 0;
  private failed = false;
  private readonly vectors: number[][];

  constructor(
    readonly texts: string[],
    private readonly resolve: (vectors: number[][]) => void,
    private readonly reject: (error: unknown) => void,
    /** Fits in one run: merged with other calls, ahead of big ones. */
    readonly small: boolean,
    longestFirst: boolean,
  ) {
    this.order = texts.map((_, i) => i);
    if (longestFirst) this.order.sort((a, b) => texts[b].length - texts[a].length || a - b);
    this.vectors = new Array(texts.length);
  }

  left(): number {
    return this.failed ? 0 : this.order.length - this.sent;
  }

  leftCharacters(): number {
    let characters = 0;
    for (let i = this.sent; i < this.order.length; i++) characters += this.texts[this.order[i]].length;
    return characters;
  }

  /** The length of the text `ahead` places after the next one to send. */
  nextLength(ahead: number): number {
    return this.texts[this.order[this.sent + ahead]].length;
  }

  take(count: number): Slice {
    const indices = this.order.slice(this.sent, this.sent + count);
    this.sent += indices.length;
    return { job: this, indices };
  }

  answer(indices: number[], vectors: number[][]): void {
    if (this.failed) return;
    indices.forEach((index, i) => (this.vectors[index] = vectors[i]));
    this.answered += indices.length;
    if (this.answered === this.texts.length) this.resolve(this.vectors);
  }

  fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.reject(error);
  }
}

function sum(texts: string[]): number {
  return texts.reduce((total, text) => total + text.length, 0);
}
