-- Background jobs (lib/jobs/): work too long for one request, such as a large upload, queued
-- here and run by the servers' job runners. A runner claims a job with FOR UPDATE SKIP LOCKED
-- and holds a lease it renews while working: several servers on one database never run one job
-- at once, and a job whose server died is claimed again once its lease has expired.
CREATE TABLE "jobs" (
    "id" BIGSERIAL NOT NULL,
    "public_id" TEXT NOT NULL,
    -- Which handler runs it (lib/jobs/registry.ts), e.g. "documents".
    "kind" TEXT NOT NULL,
    "collection_id" BIGINT,
    "state" TEXT NOT NULL DEFAULT 'queued',
    -- What the handler needs besides the items (kind-specific).
    "params" JSONB NOT NULL DEFAULT '{}',
    -- Progress: items (documents) and units of work (chunks). units_total is NULL until planned.
    "items_total" INTEGER NOT NULL,
    "items_done" INTEGER NOT NULL DEFAULT 0,
    "units_total" INTEGER,
    "units_done" INTEGER NOT NULL DEFAULT 0,
    -- units_done when the current run began, with run_started_at: the rate (and ETA) of this run.
    "run_units_start" INTEGER NOT NULL DEFAULT 0,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    -- { code, message } of a failed job.
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "run_started_at" TIMESTAMPTZ(3),
    -- Last progress written by the runner; the rate is measured up to here.
    "heartbeat_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "jobs_state_check" CHECK ("state" IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    CONSTRAINT "jobs_collection_id_fkey" FOREIGN KEY ("collection_id")
        REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "jobs_public_id_key" ON "jobs"("public_id");
CREATE INDEX "jobs_collection_id_id_idx" ON "jobs"("collection_id", "id");
-- What runners claim from: unfinished jobs, oldest first.
CREATE INDEX "jobs_unfinished_idx" ON "jobs"("id") WHERE "state" IN ('queued', 'running');

-- A job's items in order: each holds its input until it has been processed (so a restarted
-- server resumes with what is left), then its result.
CREATE TABLE "job_items" (
    "job_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    -- What a person recognises the item by (a file name), kept after the input is dropped.
    "label" TEXT,
    "input" JSONB,
    -- Units of work the item makes (its chunks); NULL until planned.
    "units" INTEGER,
    "result" JSONB,
    -- When a run first began this item: a later run that finds its work done knows who did it.
    "attempted_at" TIMESTAMPTZ(3),

    CONSTRAINT "job_items_pkey" PRIMARY KEY ("job_id", "position"),
    CONSTRAINT "job_items_job_id_fkey" FOREIGN KEY ("job_id")
        REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
