import { AppError } from "../../api/errors";
import type { Database } from "../../db/connection";
import { countCollectionContents } from "../../db/collection-queries";
import { importLimits } from "../../imports/limits";

/** Refuses (413) an import that would take the collection past its database's limit. */
export async function checkRoom(db: Database, collectionId: bigint, adding: number): Promise<void> {
  const limit = importLimits.maxCollectionRows[db.kind];
  const { chunks: held } = await countCollectionContents(db, { collectionId });
  if (held + adding > limit) {
    const where = db.kind === "pglite" ? "on the embedded database (with DATABASE_URL set to a PostgreSQL server, up to 1,000,000)" : "on PostgreSQL";
    throw new AppError(
      "payload_too_large:rows",
      `A collection holds at most ${limit.toLocaleString("en")} rows ${where}; this one has ${held.toLocaleString("en")}, and the file ${adding.toLocaleString("en")} more.`,
    );
  }
}
