-- Rows imported from a table (issue 16, lib/jobs/imports/): each row is a document of one chunk.
-- The import job that stored a row and the row's number in its file: a resumed import goes on
-- after the last row stored, a failed one can be discarded (its rows deleted), and the rows the
-- model could not read (stored without a vector) are listed by number. Both stay NULL for
-- documents uploaded as text; the job reference is cleared when finished jobs are pruned.
ALTER TABLE "collection_documents"
    ADD COLUMN "import_job_id" BIGINT,
    ADD COLUMN "import_row" INTEGER,
    ADD CONSTRAINT "collection_documents_import_job_id_fkey" FOREIGN KEY ("import_job_id")
        REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "collection_documents_import_job_id_import_row_idx"
    ON "collection_documents"("import_job_id", "import_row") WHERE "import_job_id" IS NOT NULL;

-- A chunk's place on the collection's map: the row's own x/y when its file had them, else the
-- stored layout's (NULL until one is computed).
ALTER TABLE "collection_chunks"
    ADD COLUMN "x" REAL,
    ADD COLUMN "y" REAL;
