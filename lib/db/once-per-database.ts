import type { Database } from "./connection";

/**
 * `work` run once per database, however many callers ask at once; after a failure the next
 * caller tries again. For seeding what ships with the app (the example collections).
 */
export function oncePerDatabase(work: (db: Database) => Promise<void>): (db: Database) => Promise<void> {
  const pending = new WeakMap<Database, Promise<void>>();
  return (db) => {
    let running = pending.get(db);
    if (!running) {
      running = work(db).catch((error) => {
        pending.delete(db);
        throw error;
      });
      pending.set(db, running);
    }
    return running;
  };
}
