import type { Database } from "./database";

/**
 * Adds cache rows to the HNSW index of their dimension when the server is idle, instead of as
 * they are written. On PGlite the graph insert of one 512-d row takes 3–5 ms of the server's only
 * thread, as long as USE-lite takes to compute the vector; done while the model runs, it slowed
 * the model's own thread too (both compete for the same memory). Rows not indexed yet are still
 * found: a search scans them exactly (`findNearestEmbeddings`), so nothing waits for this.
 *
 * Steps of `stepRows` rows run once no embedding has been asked for in `quietMs`, and only while
 * no model is computing. When more than `maxBacklog` rows wait, steps run regardless, so that the
 * exact part of a search stays small (~3 ms per 1,000 rows of 512 dims on PGlite).
 */
export const indexingPolicy = { stepRows: 16, quietMs: 250, maxBacklog: 2_000, retryAfterFailureMs: 30_000 };

/** Adds up to `limit` unindexed rows, oldest first, to their HNSW index; returns how many. */
export async function indexEmbeddingsStep(db: Database, { limit = indexingPolicy.stepRows } = {}): Promise<number> {
  // SKIP LOCKED: several servers on one PostgreSQL database index disjoint rows.
  return db.prisma.$executeRaw`
    UPDATE "embeddings" SET "indexed" = true
    WHERE "id" IN (
      SELECT "id" FROM "embeddings" WHERE NOT "indexed" ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
}

/** Rows not in their HNSW index yet, per model (models with none are left out). */
export async function countUnindexedEmbeddings(db: Database): Promise<Map<string, number>> {
  const rows = await db.prisma.$queryRaw<{ model: string; count: bigint }[]>`
    SELECT "model", count(*) AS "count" FROM "embeddings" WHERE NOT "indexed" GROUP BY "model"`;
  return new Map(rows.map((row) => [row.model, Number(row.count)]));
}

/** The rows waiting, plus any written while counting (perhaps counted twice: a short step corrects that). */
async function countSince(db: Database, state: IndexerState): Promise<number> {
  const writtenBefore = state.written;
  const counted = [...(await countUnindexedEmbeddings(db)).values()].reduce((sum, count) => sum + count, 0);
  return counted + state.written - writtenBefore;
}

type Decision = "step" | "wait" | "done";

/** What the indexer does next, given its estimate of the rows waiting and the embedding requests seen. */
export function decideIndexing({ now, lastActivity, active, backlog }: { now: number; lastActivity: number; active: number; backlog: number }): Decision {
  if (backlog === 0) return "done";
  if (backlog > indexingPolicy.maxBacklog) return "step";
  return active > 0 || now - lastActivity < indexingPolicy.quietMs ? "wait" : "step";
}

interface IndexerState {
  /** Embedding requests under way. */
  active: number;
  lastActivity: number;
  /** Rows waiting, as far as this process knows; undefined until counted. */
  backlog: number | undefined;
  /** Rows this process has written, ever: tells what arrived while a count or a step ran. */
  written: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  stopped: boolean;
}

const states = new WeakMap<Database, IndexerState>();

function stateOf(db: Database): IndexerState {
  let state = states.get(db);
  if (!state) states.set(db, (state = { active: 0, lastActivity: -Infinity, backlog: undefined, written: 0, stopped: false }));
  return state;
}

/** Marks an embedding request under way until `work` settles: the indexer keeps out of its way. */
export async function duringEmbedding<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const state = stateOf(db);
  state.active++;
  state.lastActivity = performance.now();
  try {
    return await work();
  } finally {
    state.active--;
    state.lastActivity = performance.now();
  }
}

/**
 * Tells the indexer that `rows` more rows wait (0: count them, as after opening a database that
 * may hold some), and starts it if it is not running.
 */
export function scheduleIndexing(db: Database, rows = 0): void {
  const state = stateOf(db);
  if (state.stopped) return;
  state.written += rows;
  if (state.backlog !== undefined) state.backlog += rows;
  if (!state.running && !state.timer) wake(db, state, 0);
}

/** Stops the indexer of `db` (before it closes), after the step under way. */
export async function stopIndexing(db: Database): Promise<void> {
  const state = stateOf(db);
  state.stopped = true;
  clearTimeout(state.timer);
  state.timer = undefined;
  await state.running;
}

function wake(db: Database, state: IndexerState, afterMs: number): void {
  // unref: a script that embedded something may end while rows still wait; the next start indexes them.
  state.timer = setTimeout(() => {
    state.timer = undefined;
    state.running = run(db, state).finally(() => (state.running = undefined));
  }, afterMs);
  state.timer.unref();
}

async function run(db: Database, state: IndexerState): Promise<void> {
  try {
    if (state.backlog === undefined) state.backlog = await countSince(db, state);
    while (!state.stopped) {
      const now = performance.now();
      const busy = { now, lastActivity: state.lastActivity, active: state.active };
      let decision = decideIndexing({ ...busy, backlog: state.backlog });
      // Stepping in while busy is worth a count: the estimate misses rows indexed by other servers.
      if (decision === "step" && decideIndexing({ ...busy, backlog: 1 }) === "wait") {
        decision = decideIndexing({ ...busy, backlog: (state.backlog = await countSince(db, state)) });
      }
      if (decision === "done") return;
      if (decision === "wait") {
        const quietAt = state.active > 0 ? now + indexingPolicy.quietMs : state.lastActivity + indexingPolicy.quietMs;
        wake(db, state, Math.max(10, quietAt - now));
        return;
      }
      const writtenBefore = state.written;
      const indexed = await indexEmbeddingsStep(db);
      // A short step means nothing was left but the rows written since it began (for this process
      // to see). `scheduleIndexing` has added those to the estimate already.
      state.backlog = indexed < indexingPolicy.stepRows ? state.written - writtenBefore : Math.max(1, state.backlog - indexed);
      // Let requests that arrived during the step go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (state.stopped) return;
    console.error(`[embeddings] could not add stored vectors to the search index; retrying in ${indexingPolicy.retryAfterFailureMs / 1000} s:`, error);
    state.backlog = undefined; // recounted on the retry
    wake(db, state, indexingPolicy.retryAfterFailureMs);
  }
}
