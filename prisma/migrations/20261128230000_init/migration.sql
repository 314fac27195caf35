-- Extensions
CREATE EXTENSION IF NOT EXISTS "vector";

-- Every text embedded, once per model. `embedding` has no fixed dimension so one table serves
-- all models; each dimension gets its own partial HNSW index on a cast to vector(n).
CREATE TABLE "embeddings" (
    "id" BIGSERIAL NOT NULL,
    "model" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "text_hash" CHAR(64) NOT NULL,
    "dims" INTEGER NOT NULL,
    "embedding" vector,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embeddings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "embeddings_dims_check" CHECK (vector_dims("embedding") = "dims")
);

-- text_hash leads: with model first, the planner would answer "WHERE model = ... ORDER BY distance"
-- by reading all of a model's rows through this btree and sorting, instead of using HNSW.
CREATE UNIQUE INDEX "embeddings_text_hash_model_key" ON "embeddings"("text_hash", "model");

-- pgvector defaults (m = 16, ef_construction = 64): measured recall is high at these sizes.
CREATE INDEX "embeddings_hnsw_512" ON "embeddings"
    USING hnsw (("embedding"::vector(512)) vector_cosine_ops) WHERE "dims" = 512;
CREATE INDEX "embeddings_hnsw_100" ON "embeddings"
    USING hnsw (("embedding"::vector(100)) vector_cosine_ops) WHERE "dims" = 100;

-- A word model's vocabulary, searched by analogies and neighbours.
CREATE TABLE "vocabulary_words" (
    "model" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "word" TEXT NOT NULL,
    "dims" INTEGER NOT NULL,
    "embedding" vector,

    CONSTRAINT "vocabulary_words_pkey" PRIMARY KEY ("rank", "model"),
    CONSTRAINT "vocabulary_words_dims_check" CHECK (vector_dims("embedding") = "dims")
);

-- Model last in both keys, for the same reason as on embeddings.
CREATE UNIQUE INDEX "vocabulary_words_word_model_key" ON "vocabulary_words"("word", "model");

CREATE INDEX "vocabulary_words_hnsw_100" ON "vocabulary_words"
    USING hnsw (("embedding"::vector(100)) vector_cosine_ops) WHERE "dims" = 100;

CREATE TABLE "vocabulary_loads" (
    "model" TEXT NOT NULL,
    "words_target" INTEGER NOT NULL,
    "words_loaded" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "vocabulary_loads_pkey" PRIMARY KEY ("model")
);
