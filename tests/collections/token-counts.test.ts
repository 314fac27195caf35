import { describe, expect, it } from "vitest";
import { countDocumentTokens, createCollection, maxTokenCountedCharacters } from "@/lib/collections/service";
import type { Database } from "@/lib/db/connection";
import { testBackends, useScratchDatabase } from "../support/databases";

/**
 * Token counts of a collection's documents (the documents table's column): counted up to
 * 2,000,000 characters in all, every later document listed with count null, without reading its text.
 */
describe.each(testBackends)("countDocumentTokens on $name", (backend) => {
  let db: Database;
  useScratchDatabase(backend, (opened) => (db = opened));

  it.skipIf(!backend.enabled)("counts documents up to the character limit and lists the rest, however many, with count null", async () => {
    const { collection, readKey } = await createCollection(db, { name: "Counts", model: "use-lite", public: false });
    const [row] = await db.prisma.collection.findMany({ where: { publicId: collection.id }, select: { id: true } });
    const big = "token ".repeat(100_000).trim(); // 599,999 characters, 100,000 o200k tokens
    // Three big documents fit under 2,000,000 characters, the fourth passes it; then 12,000 small ones (an imported table).
    await db.prisma.$executeRaw`
      INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text")
      SELECT ${row.id}, 'big' || lpad(n::text, 13, '0'), repeat(md5('big' || n), 2), ${big} FROM generate_series(1, 4) AS n`;
    await db.prisma.$executeRaw`
      INSERT INTO "collection_documents" ("collection_id", "public_id", "content_hash", "text")
      SELECT ${row.id}, 'row' || lpad(n::text, 13, '0'), repeat(md5('row' || n), 2), 'row ' || n FROM generate_series(1, 12000) AS n`;
    expect(3 * big.length).toBeLessThanOrEqual(maxTokenCountedCharacters);

    const counted = await countDocumentTokens(db, { id: collection.id, key: readKey, tokenizer: "o200k_base" });
    expect(counted.documents).toHaveLength(12_004);
    expect(counted.documents.slice(0, 4).map((document) => document.count)).toEqual([100_000, 100_000, 100_000, null]);
    expect(counted.documents.slice(4).every((document) => document.count === null)).toBe(true);
    expect(counted.documents.at(-1)?.documentId).toBe(`row${"12000".padStart(13, "0")}`);
    expect(counted.count).toBe(300_000);
  });
});
