-- Saved explorations, shared by slug. The edit key is stored only as a SHA-256 hash.
CREATE TABLE "explorations" (
    "id" BIGSERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "edit_key_hash" CHAR(64) NOT NULL,
    "title" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    -- Cells with their parameters and computed coordinates (see lib/explorations/cells.ts).
    "cells" JSONB NOT NULL,
    -- Bumped by every update; a PATCH that names an older version is refused (409).
    "version" INTEGER NOT NULL DEFAULT 1,
    "forked_from" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "explorations_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "explorations_slug_key" ON "explorations"("slug");

-- The words and snippets of an exploration, in order, each with its optional group.
CREATE TABLE "exploration_items" (
    "exploration_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "group" TEXT,

    CONSTRAINT "exploration_items_pkey" PRIMARY KEY ("exploration_id", "position"),
    CONSTRAINT "exploration_items_exploration_id_fkey" FOREIGN KEY ("exploration_id")
        REFERENCES "explorations"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
