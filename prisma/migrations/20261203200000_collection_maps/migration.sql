-- A collection's map in a table of its own: one point per chunk that is on the map. Writing a
-- layout of 100,000 rows into collection_chunks would rewrite every row (a vector, a text) and
-- add an entry to each of its indexes (HNSW, GIN) per row; here a layout is a COPY of 12 bytes a row.
CREATE TABLE "collection_points" (
    "chunk_id" BIGINT NOT NULL,
    "collection_id" BIGINT NOT NULL,
    "x" REAL NOT NULL,
    "y" REAL NOT NULL,

    CONSTRAINT "collection_points_pkey" PRIMARY KEY ("chunk_id"),
    CONSTRAINT "collection_points_chunk_id_fkey" FOREIGN KEY ("chunk_id")
        REFERENCES "collection_chunks"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "collection_points_collection_id_fkey" FOREIGN KEY ("collection_id")
        REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Reads a collection's points in chunk order (the points endpoint, exports).
CREATE INDEX "collection_points_collection_id_chunk_id_idx" ON "collection_points"("collection_id", "chunk_id");

-- Positions an import brought move to the new table.
INSERT INTO "collection_points" ("chunk_id", "collection_id", "x", "y")
    SELECT "id", "collection_id", "x", "y" FROM "collection_chunks" WHERE "x" IS NOT NULL AND "y" IS NOT NULL;
ALTER TABLE "collection_chunks" DROP COLUMN "x", DROP COLUMN "y";

-- How the map was made (method, seed, when, how long, rows laid out and placed since): lib/maps/.
ALTER TABLE "collections" ADD COLUMN "map" JSONB;
