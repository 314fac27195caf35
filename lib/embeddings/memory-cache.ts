/**
 * A bounded in-memory cache of vectors in front of the database's embeddings table, least
 * recently used first out. It only ever holds vectors the table holds too (filled from what was
 * read from or written to it), so answering from memory never changes an answer, only its speed.
 * The bound is in bytes, counting each entry's vector (8 bytes a number), its key (2 bytes a
 * character: texts may be 10,000 characters long) and a fixed overhead.
 */
export class VectorMemoryCache {
  private readonly entries = new Map<string, readonly number[]>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

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

  delete(model: string, text: string): void {
    const key = cacheKey(model, text);
    const vector = this.entries.get(key);
    if (vector === undefined) return;
    this.entries.delete(key);
    this.bytes -= entryBytes(key, vector);
  }

  set(model: string, text: string, vector: readonly number[]): void {
    const key = cacheKey(model, text);
    if (entryBytes(key, vector) > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= entryBytes(key, previous);
    }
    this.entries.set(key, vector.slice());
    this.bytes += entryBytes(key, vector);
    for (const [oldest, evicted] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entryBytes(oldest, evicted);
    }
  }
}

/** Map entry, array and string headers: a rough figure, so the bound holds for many short texts too. */
const overheadBytes = 96;

function entryBytes(key: string, vector: readonly number[]): number {
  return overheadBytes + 2 * key.length + Float64Array.BYTES_PER_ELEMENT * vector.length;
}

function cacheKey(model: string, text: string): string {
  return `${model}\u0000${text}`;
}
