import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { addDocumentsSchema } from "@/lib/collections/schemas";
import { addDocuments, listCollectionDocuments } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// POST /api/collections/:id/documents – chunk, embed and store documents; needs the write key.
// Answers per document: its id, how many chunks it made, and whether it was already there.
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const key = bearerToken(request);
  const { documents } = await parseJsonBody(request, addDocumentsSchema);
  return Response.json({ documents: await addDocuments(await getDatabase(), { id, key, documents }) }, { status: 201 });
}, { rateLimit: "write" });

// GET /api/collections/:id/documents – the documents with a preview, size, chunk count and metadata
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return Response.json({ documents: await listCollectionDocuments(await getDatabase(), { id, key: bearerToken(request) }) });
});
