/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or the
 * embedded PGlite directory) and says where. The app also does this on start; this is for
 * deployments that migrate before starting, and for checking a database by hand.
 */
import { readConfig } from "../lib/config";
import { openDatabase } from "../lib/db/connection";
import { readMigrations } from "../lib/db/migrate";

const config = readConfig();
const where = config.DATABASE_URL ? `PostgreSQL at ${new URL(config.DATABASE_URL).host}` : `PGlite in ${config.pgliteDir}`;
const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { pgliteDir: config.pgliteDir });
await db.close();
console.log(`[db] ${where} is up to date (${readMigrations().length} migrations).`);
