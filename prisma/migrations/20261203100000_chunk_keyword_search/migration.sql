-- Keyword search over collection chunks. The terms are computed by the app (lib/hybrid-search/
-- analyze.ts: word segmentation for Chinese and Japanese, English stemming) and stored as a
-- tsvector, so PGlite and PostgreSQL match the same terms whatever their text-search setup.
-- "search_length" is the chunk's term count (BM25's document length); NULL means not analysed
-- yet (chunks stored before this migration, or written by an import): the app analyses those
-- before the first keyword search of their collection.
ALTER TABLE "collection_chunks"
    ADD COLUMN "search_terms" tsvector NOT NULL DEFAULT '',
    ADD COLUMN "search_length" INTEGER;

-- With GIN's pending list (fastupdate, the default) a large upload writes fast; until a vacuum
-- (autovacuum on PostgreSQL) merges it, the planner may read the collection instead of the index.
CREATE INDEX "collection_chunks_search_terms_idx" ON "collection_chunks" USING gin ("search_terms");
CREATE INDEX "collection_chunks_unanalysed_idx" ON "collection_chunks" ("collection_id") WHERE "search_length" IS NULL;
