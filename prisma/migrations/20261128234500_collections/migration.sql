-- Document collections for retrieval: documents are split into chunks, each chunk embedded and
-- searchable through pgvector. Keys are stored only as SHA-256 hashes.
CREATE TABLE "collections" (
    "id" BIGSERIAL NOT NULL,
    "public_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "read_key_hash" CHAR(64) NOT NULL,
    "write_key_hash" CHAR(64) NOT NULL,
    "chunk_size" INTEGER NOT NULL,
    "chunk_overlap" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collections_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "collections_public_id_key" ON "collections"("public_id");

CREATE TABLE "collection_documents" (
    "id" BIGSERIAL NOT NULL,
    "collection_id" BIGINT NOT NULL,
    -- SHA-256 of the text: adding the same document twice stores it once.
    "content_hash" CHAR(64) NOT NULL,
    "text" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collection_documents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "collection_documents_collection_id_fkey" FOREIGN KEY ("collection_id")
        REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "collection_documents_collection_id_content_hash_key"
    ON "collection_documents"("collection_id", "content_hash");

CREATE TABLE "collection_chunks" (
    "id" BIGSERIAL NOT NULL,
    "collection_id" BIGINT NOT NULL,
    "document_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    -- Where the chunk sits in its document's text.
    "start_offset" INTEGER NOT NULL,
    "end_offset" INTEGER NOT NULL,
    -- The document's metadata, copied so filters need no join.
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "dims" INTEGER NOT NULL,
    "embedding" vector,

    CONSTRAINT "collection_chunks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "collection_chunks_dims_check" CHECK (vector_dims("embedding") = "dims"),
    CONSTRAINT "collection_chunks_document_id_fkey" FOREIGN KEY ("document_id")
        REFERENCES "collection_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "collection_chunks_collection_id_fkey" FOREIGN KEY ("collection_id")
        REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Serves "how many chunks does this filter match" (to choose exact or HNSW search) and deletes.
CREATE INDEX "collection_chunks_collection_id_idx" ON "collection_chunks"("collection_id");
CREATE INDEX "collection_chunks_document_id_idx" ON "collection_chunks"("document_id");

CREATE INDEX "collection_chunks_hnsw_512" ON "collection_chunks"
    USING hnsw (("embedding"::vector(512)) vector_cosine_ops) WHERE "dims" = 512;
CREATE INDEX "collection_chunks_hnsw_100" ON "collection_chunks"
    USING hnsw (("embedding"::vector(100)) vector_cosine_ops) WHERE "dims" = 100;
