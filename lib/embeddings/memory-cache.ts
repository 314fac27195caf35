/**
 * A bounded in-memory cache of vectors in front of the database's embeddings table, least
 * recently used first out. It only ever holds vectors the table holds too (filled from what was
 * read from or written to it), so answering from memory never changes an answer, only its speed.
 * The bound is the number of stored values (8 bytes each), whatever the models' dimensions.
 */
export class VectorMemoryCache {
  private readonly entries = new Map<string, readonly number[]>();
  private values = 0;

  constructor(readonly maxValues: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** A copy of the vector for `text` under `model`, or undefined. */
  get(model: string, text: string): number[] | undefined {
    const key = cacheKey(model, text);
    const vector = this.entries.get(key);
    if (vector === undefined) return undefined;
    this.entries.delete(key); // re-insert: the map stays in least-recently-used order
    this.entries.set(key, vector);
    return vector.slice();
  }

  set(model: string, text: string, vector: readonly number[]): void {
    if (vector.length > this.maxValues) return;
    const key = cacheKey(model, text);
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.values -= previous.length;
    }
    this.entries.set(key, vector.slice());
    this.values += vector.length;
    for (const [oldest, evicted] of this.entries) {
      if (this.values <= this.maxValues) break;
      this.entries.delete(oldest);
      this.values -= evicted.length;
    }
  }
}

function cacheKey(model: string, text: string): string {
  return `${model}\u0000${text}`;
}
