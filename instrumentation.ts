/**
 * Runs once when the Next.js server starts: opens the database, applies pending migrations and
 * creates the example collection, so `npm run build && npm start` on an empty data directory just
 * works and the first request is not the one that waits. A database that is down at start is logged, not fatal: requests answer 503
 * and the next one tries again.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDatabase } = await import("./lib/db/client");
  const { ensureExampleCollection } = await import("./lib/collections/example-collection");
  try {
    const db = await getDatabase();
    // In the background: the server answers meanwhile, and the first request for it waits.
    ensureExampleCollection(db).catch((error) => console.error("[collections] could not create the example collection:", error));
  } catch (error) {
    console.error("[db] could not open the database at start-up; requests will retry:", error);
  }
}
