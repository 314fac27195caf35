import type { CollectionRow } from "@/lib/db/collection-queries";
import type { Database } from "@/lib/db/connection";

/**
 * Rows `from`…`to` of five clusters of 5-d own vectors (metadata n, its cluster c = n % 5, and a
 * string kind k0–k2), stored by SQL; every 97th without a vector.
 */
export async function addClusteredRows(db: Database, row: Pick<CollectionRow, "id">, from: number, to: number): Promise<void> {
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO collection_documents (collection_id, public_id, content_hash, text, metadata)
     SELECT $1, 'row' || lpad(n::text, 13, '0'), lpad(to_hex(n), 64, '0'), 'Row ' || n, jsonb_build_object('n', n, 'c', n % 5, 'kind', 'k' || (n % 3))
     FROM generate_series($2::int, $3::int) n`,
    row.id, from, to,
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO collection_chunks (collection_id, document_id, position, text, start_offset, end_offset, metadata, dims, embedding)
     SELECT d.collection_id, d.id, 0, d.text, 0, length(d.text), d.metadata, 5,
       CASE WHEN n % 97 = 0 THEN NULL ELSE ARRAY[
         (n % 5 = 0)::int + 0.25 * sin(n * 1.1), (n % 5 = 1)::int + 0.25 * sin(n * 1.7), (n % 5 = 2)::int + 0.25 * sin(n * 2.3),
         (n % 5 = 3)::int + 0.25 * sin(n * 2.9), (n % 5 = 4)::int + 0.25 * sin(n * 3.7)]::real[]::vector END
     FROM collection_documents d, LATERAL (SELECT (d.metadata->>'n')::int AS n) m
     WHERE d.collection_id = $1 AND n BETWEEN $2 AND $3 ORDER BY d.id`,
    row.id, from, to,
  );
}
