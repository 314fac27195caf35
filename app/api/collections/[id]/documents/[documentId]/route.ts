import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { removeDocument } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// DELETE /api/collections/:id/documents/:documentId – remove a document and its chunks; needs the write key
export const DELETE = apiHandler(async (request, { params }: { params: Promise<{ id: string; documentId: string }> }) => {
  const { id, documentId } = await params;
  await removeDocument(await getDatabase(), { id, key: bearerToken(request), documentId });
  return new Response(null, { status: 204 });
}, { rateLimit: "write" });
