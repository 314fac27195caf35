import type { Database } from "./database";

/**
 * What storing documents needs besides collection-queries.ts: a lock per document content, so
 * that of two uploads of one text (two requests, two servers) exactly one stores it and the other
 * learns it is a duplicate, and the details a resumed job needs to tell its own documents apart.
 */

/** Lock holders at once per database: each holds a pooled connection while the insert takes another. */
const maxLockHolders = 4;

/** A lock held for seconds at most (one insert); the transaction that holds it may wait for its turn. */
const lockTransaction = { maxWait: 30_000, timeout: 10 * 60_000 };

interface LockState {
  /** Per key, the promise the next holder waits for (in-process lock). */
  queues: Map<string, Promise<void>>;
  holders: number;
  waiting: (() => void)[];
}

const lockStates = new WeakMap<Database, LockState>();

function lockState(db: Database): LockState {
  let state = lockStates.get(db);
  if (!state) lockStates.set(db, (state = { queues: new Map(), holders: 0, waiting: [] }));
  return state;
}

/**
 * Runs `work` while holding the lock of every (collection, content hash): within this process
 * by promise chains, and across servers on PostgreSQL by transaction-level advisory locks held on
 * a connection of their own (work runs on others). Locks are taken in sorted order, so two
 * callers with overlapping hashes cannot deadlock. PGlite has one process and one connection:
 * the in-process lock is the whole lock there.
 */
export async function withContentLocks<T>(
  db: Database,
  { collectionId, contentHashes }: { collectionId: bigint; contentHashes: string[] },
  work: () => Promise<T>,
): Promise<T> {
  const keys = [...new Set(contentHashes)].sort().map((hash) => `${collectionId}:${hash}`);
  const state = lockState(db);
  const releases: (() => void)[] = [];
  try {
    for (const key of keys) releases.push(await acquire(state, key));
    if (db.kind === "pglite" || keys.length === 0) return await work();
    await takeSlot(state);
    try {
      return await db.prisma.$transaction(async (tx) => {
        for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
        return work();
      }, lockTransaction);
    } finally {
      releaseSlot(state);
    }
  } finally {
    for (const release of releases.reverse()) release();
  }
}

async function acquire(state: LockState, key: string): Promise<() => void> {
  const previous = state.queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const chained = previous.then(() => mine);
  state.queues.set(key, chained);
  await previous;
  return () => {
    release();
    if (state.queues.get(key) === chained) state.queues.delete(key);
  };
}

async function takeSlot(state: LockState): Promise<void> {
  while (state.holders >= maxLockHolders) await new Promise<void>((resolve) => state.waiting.push(resolve));
  state.holders++;
}

function releaseSlot(state: LockState): void {
  state.holders--;
  state.waiting.shift()?.();
}

export interface StoredDocumentDetails {
  /** The document's public id. */
  documentId: string;
  /** The database's clock, when the transaction that stored it began. */
  createdAt: Date;
  chunks: number;
}

/** The documents of a collection with one of these content hashes, with when they were stored and their chunk counts. */
export async function findDocumentDetailsByHashes(
  db: Database,
  { collectionId, contentHashes }: { collectionId: bigint; contentHashes: string[] },
): Promise<Map<string, StoredDocumentDetails>> {
  if (contentHashes.length === 0) return new Map();
  const rows = await db.prisma.$queryRaw<{ public_id: string; content_hash: string; created_at: Date; chunks: bigint }[]>`
    SELECT d."public_id", d."content_hash", d."created_at",
           (SELECT count(*) FROM "collection_chunks" c WHERE c."document_id" = d."id") AS "chunks"
    FROM "collection_documents" d
    WHERE d."collection_id" = ${collectionId} AND d."content_hash" = ANY(${contentHashes}::char(64)[])`;
  return new Map(rows.map((row) => [row.content_hash.trim(), { documentId: row.public_id, createdAt: row.created_at, chunks: Number(row.chunks) }]));
}
