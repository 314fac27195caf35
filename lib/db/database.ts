import type { PGlite } from "@electric-sql/pglite";
import type { PrismaClient } from "./generated/prisma/client";

/*
 * The open-database type on its own, so that the modules connection.ts opens the database with
 * (the cache queries, the index upkeep) can name it without importing connection.ts back.
 */

/** An open database: Prisma for queries, plus what it runs on. */
export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  /**
   * A query straight to the driver (`$1` placeholders), past Prisma: for the hottest read, the
   * vocabulary search, where Prisma's own work (~1 ms a query) is a third of the whole query's
   * time on PGlite. Everything else goes through `prisma`.
   */
  query<Row>(text: string, values: unknown[]): Promise<Row[]>;
  /** The embedded client (PGlite only), for what Prisma cannot pass: a COPY from a blob. */
  pglite?: PGlite;
  /**
   * A bulk load in one transaction: `setup` (e.g. a temporary staging table), then a binary COPY
   * of `rows` (lib/db/pg-copy.ts) into `table`, then `finish` (e.g. an INSERT … SELECT from the
   * staging table); resolves to the rows `finish` changed. Parse-free on both backends: PGlite
   * reads the COPY from a blob, PostgreSQL from the connection (pg-copy-streams).
   */
  copyIn(load: { setup: string; table: string; rows: Uint8Array<ArrayBuffer>; finish: string }): Promise<number>;
  /**
   * Runs statements (`;`-separated, so `SET LOCAL` applies) as one transaction, without the
   * per-query timeout: for index builds that take a minute. On PostgreSQL on a session of its own.
   */
  runMaintenance(statements: string): Promise<void>;
  close(): Promise<void>;
}
