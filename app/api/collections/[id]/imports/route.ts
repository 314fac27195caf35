import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { findWritable } from "@/lib/collections/service";
import { readConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { queueImport } from "@/lib/jobs/imports/queue";
import { receiveImport } from "@/lib/imports/upload";

// POST /api/collections/:id/imports – a table (CSV, TSV, JSONL, Parquet) into the collection, each
// row a document: the file as multipart/form-data (`file`, `mapping`, `format`) or as the body
// itself (`mapping`, `format`, `filename` in the query). Needs the write key. Answers 202 with the
// import job, whose address (Location) reports rows stored, rows/s and the outcome.
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = await getDatabase();
  // The key first: a file of up to 2 GB is read only for someone who may import.
  const row = await findWritable(db, id, bearerToken(request));
  const received = await receiveImport(request, { dir: readConfig().importsDir });
  try {
    const job = await queueImport(db, row, received);
    return Response.json({ job }, { status: 202, headers: { Location: job.url } });
  } catch (error) {
    await received.discard();
    throw error;
  }
}, { rateLimit: "write" });
