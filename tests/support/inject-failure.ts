import type { Database } from "@/lib/db/connection";

/**
 * A real failure inside the database, in the middle of a write: a trigger raises when a row
 * written to one of the given tables has exactly this text, after the rows before it went in.
 */
export const failureMarker = "<<inject a failure here>>";

/** The message the trigger raises; it must never reach an API client. */
export const injectedFailureMessage = "injected failure";

/** By default: inserted exploration items and collection chunks. */
export async function installFailureTrigger(
  db: Database,
  { tables = ["exploration_items", "collection_chunks"], event = "INSERT" }: { tables?: string[]; event?: "INSERT" | "UPDATE" } = {},
): Promise<void> {
  await db.prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION fail_on_marker() RETURNS trigger AS $$
    BEGIN
      IF NEW."text" = '${failureMarker}' THEN RAISE EXCEPTION '${injectedFailureMessage}'; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  for (const table of tables) {
    await db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER "${table}_fail_on_marker" BEFORE ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION fail_on_marker()`,
    );
  }
}
