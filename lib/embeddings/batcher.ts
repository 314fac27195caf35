/**
 * Merges concurrent `embed` calls into batches: USE-lite embeds ~85 texts/s one at a time but
 * ~270/s in batches of 32–100, so many small requests arriving together share model calls.
 * Batches run one after another; a failing batch rejects only the calls that were in it.
 */
export function createBatcher(
  run: (texts: string[]) => Promise<number[][]>,
  { maxBatchSize = 64 }: { maxBatchSize?: number } = {},
): (texts: string[]) => Promise<number[][]> {
  type Job = { texts: string[]; resolve: (vectors: number[][]) => void; reject: (error: unknown) => void };
  let queue: Job[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch: Job[] = [];
      let size = 0;
      // Always take at least one job, so an oversized request still runs (as its own batch).
      while (queue.length > 0 && (batch.length === 0 || size + queue[0].texts.length <= maxBatchSize)) {
        const job = queue.shift()!;
        batch.push(job);
        size += job.texts.length;
      }
      try {
        const vectors = await runInChunks(batch.flatMap((job) => job.texts));
        let offset = 0;
        for (const job of batch) {
          job.resolve(vectors.slice(offset, offset + job.texts.length));
          offset += job.texts.length;
        }
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
    running = false;
  }

  async function runInChunks(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += maxBatchSize) {
      vectors.push(...(await run(texts.slice(start, start + maxBatchSize))));
    }
    return vectors;
  }

  return (texts) =>
    new Promise((resolve, reject) => {
      queue.push({ texts, resolve, reject });
      // Wait one macrotask so calls made in the same tick join the same batch.
      if (!running) setImmediate(() => void (running || drain()));
    });
}
