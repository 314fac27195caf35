-- Each word model's vocabulary gets an HNSW index of its own (vocabulary_words_hnsw_<dims>_<model>,
-- built by the loader in lib/embeddings/vocabulary.ts), instead of one index over every
-- 100-dimensional vocabulary. With a second word model (cedict-glove-100d), one shared index meant
-- that loading either vocabulary dropped and rebuilt the graph of both (~140k words, minutes on
-- PGlite), and that every search walked the other model's nodes only to filter them out.

DROP INDEX IF EXISTS "vocabulary_words_hnsw_100";

-- Loads completed under the shared index are searchable again once their own index exists: marked
-- incomplete, the loader builds it on the next vocabulary request (the words stay; only the index
-- is built, and the request gets the usual 503 with progress meanwhile).
UPDATE "vocabulary_loads" SET "completed_at" = NULL WHERE "completed_at" IS NOT NULL;
