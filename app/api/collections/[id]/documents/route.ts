import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { addDocumentsSchema, collectionLimits, uploadJobSchema } from "@/lib/collections/schemas";
import { addDocuments, findWritable, listCollectionDocuments } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";
import { queueUpload } from "@/lib/jobs/documents/queue";
import { prefersRespondAsync } from "@/lib/jobs/service";

// POST /api/collections/:id/documents – chunk, embed and store documents; needs the write key.
// Answers per document: its id, how many chunks it made, and whether it was already there.
// With `Prefer: respond-async` the upload becomes a background job instead (up to 1,000 documents
// in 50 MB): 202 with the job, whose address (Location) reports progress and per-document results.
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const key = bearerToken(request);
  if (prefersRespondAsync(request)) {
    const db = await getDatabase();
    // The key first: a body of up to 50 MB is read only for someone who may upload.
    const row = await findWritable(db, id, key);
    const { documents } = await parseJsonBody(request, uploadJobSchema, { maxBytes: collectionLimits.maxJobBodyBytes });
    const job = await queueUpload(db, row, documents);
    return Response.json({ job }, { status: 202, headers: { Location: job.url, "Preference-Applied": "respond-async" } });
  }
  const { documents } = await parseJsonBody(request, addDocumentsSchema);
  return Response.json({ documents: await addDocuments(await getDatabase(), { id, key, documents }) }, { status: 201 });
}, { rateLimit: "write" });

// GET /api/collections/:id/documents – the documents with a preview, size, chunk count and metadata
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return Response.json({ documents: await listCollectionDocuments(await getDatabase(), { id, key: bearerToken(request) }) });
});
