import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { integerParam } from "@/lib/api/query-params";
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

// GET /api/collections/:id/documents?limit=&after= – the documents with a preview, size, chunk count and
// metadata, a page at a time (up to 1,000, in the order they were added), with `next` and `total`
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const search = new URL(request.url).searchParams;
  const limit = integerParam(search, "limit", { fallback: collectionLimits.maxDocumentsPerPage, min: 1, max: collectionLimits.maxDocumentsPerPage });
  const after = search.get("after") ?? undefined;
  return Response.json(await listCollectionDocuments(await getDatabase(), { id, key: bearerToken(request), limit, after }));
});
