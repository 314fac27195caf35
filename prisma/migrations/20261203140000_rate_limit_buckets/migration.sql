-- Rate-limit token buckets shared by every server on one database (lib/api/shared-rate-limit.ts):
-- with buckets in each process's memory, N servers gave a client N times its allowance. One row per
-- limit kind ("compute", "write") and client key; each limited request updates its row with one
-- INSERT … ON CONFLICT DO UPDATE, refilling by the database's clock, so every server agrees.
--
-- UNLOGGED: a bucket is a minute's worth of state, not data. Its writes skip the WAL, and after a
-- crash of PostgreSQL the table starts empty, which only gives every client a full bucket again.
-- Rows idle for a minute are full again, the same as absent, and are deleted by the servers.
CREATE UNLOGGED TABLE "rate_limit_buckets" (
    "kind" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    -- Tokens left (a fraction between refills), at most the kind's requests per minute.
    "tokens" DOUBLE PRECISION NOT NULL,
    -- Whether the last request took a token: tells a refusal from a success that left < 1 token.
    "granted" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("kind", "client")
);
