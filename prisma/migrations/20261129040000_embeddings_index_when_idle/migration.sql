-- New cache rows are no longer added to the HNSW indexes as they are written: on PGlite the
-- insert of one 512-d row into the graph took 3-5 ms of the server's only thread, as long as the
-- model took to compute it. Rows now arrive with "indexed" false and are added in small steps
-- when the server is idle (lib/db/embedding-index.ts); searches scan the rows not yet indexed
-- exactly, through "embeddings_unindexed".

-- Rows written so far are in the indexes already.
ALTER TABLE "embeddings" ADD COLUMN "indexed" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "embeddings" ALTER COLUMN "indexed" SET DEFAULT false;

-- Every HNSW index of the table, the migration's and those created later for other dimensions,
-- takes only indexed rows.
DO $$
DECLARE
    found RECORD;
BEGIN
    FOR found IN
        SELECT indexname, substring(indexname FROM '^embeddings_hnsw_([0-9]+)$')::INTEGER AS dims
        FROM pg_indexes
        WHERE tablename = 'embeddings' AND indexname ~ '^embeddings_hnsw_[0-9]+$'
    LOOP
        EXECUTE format('DROP INDEX %I', found.indexname);
        EXECUTE format(
            'CREATE INDEX %I ON "embeddings" USING hnsw (("embedding"::vector(%s)) vector_cosine_ops) WHERE "dims" = %s AND "indexed"',
            found.indexname, found.dims, found.dims);
    END LOOP;
END $$;

CREATE INDEX "embeddings_unindexed" ON "embeddings" ("model", "dims") WHERE NOT "indexed";
