-- Documents get a random public id: the API used to answer with their BIGSERIAL ids (12, 13, 14),
-- which told anyone holding one collection how many documents the whole server had stored, and let
-- them guess the ids of others. Internal keys, foreign keys and joins stay bigint; only the API
-- speaks public ids, and a chunk's id there is its document's public id and its position
-- ("<public id>.<position>"), so chunks need no column of their own.
--
-- The app makes the ids (lib/keys.ts createSlug: 96 bits from the OS CSPRNG as 16 base64url
-- characters) and writes them on insert. Rows stored before this migration get ids of the same
-- form here: 12 random bytes taken from two gen_random_uuid()s (bytes 1–6 and 11–16 of a version 4
-- UUID are all random; the version and variant bits sit in bytes 7 and 9), base64url-encoded.
ALTER TABLE "collection_documents" ADD COLUMN "public_id" TEXT;

UPDATE "collection_documents"
SET "public_id" = translate(
    encode(substring(uuid_send(gen_random_uuid()) FROM 1 FOR 6) || substring(uuid_send(gen_random_uuid()) FROM 11 FOR 6), 'base64'),
    '+/', '-_');

ALTER TABLE "collection_documents" ALTER COLUMN "public_id" SET NOT NULL;

-- Unique per collection: ids are looked up within the collection the caller named, and a dump
-- imported into another database keeps its documents' ids without meeting anyone else's.
CREATE UNIQUE INDEX "collection_documents_collection_id_public_id_key"
    ON "collection_documents"("collection_id", "public_id");

-- Upload jobs keep each document's result as the API reports it: finished jobs get the new ids
-- too, and a result whose document has been deleted since loses its old number.
UPDATE "job_items" AS i
SET "result" = coalesce(
    (SELECT jsonb_set(i."result", '{documentId}', to_jsonb(d."public_id"))
     FROM "jobs" j
     JOIN "collection_documents" d ON d."collection_id" = j."collection_id" AND d."id" = (i."result" ->> 'documentId')::bigint
     WHERE j."id" = i."job_id"),
    i."result" - 'documentId')
WHERE jsonb_typeof(i."result" -> 'documentId') = 'number';
