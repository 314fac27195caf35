import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { collectionSearchSchema } from "@/lib/collections/schemas";
import { searchCollection } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// POST /api/collections/:id/search – the chunks that best answer a question (hybrid, vector or keyword), best first,
// optionally filtered by document metadata; private collections need the read key
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const key = bearerToken(request);
  const body = await parseJsonBody(request, collectionSearchSchema);
  return Response.json(await searchCollection(await getDatabase(), { id, key, ...body }));
}, { rateLimit: "compute" });
