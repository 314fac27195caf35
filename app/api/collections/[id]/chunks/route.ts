import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { integerParam } from "@/lib/api/query-params";
import { collectionLimits } from "@/lib/collections/schemas";
import { listCollectionChunks } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// GET /api/collections/:id/chunks?limit=&offset= – the chunks in document order (for maps of a collection)
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const search = new URL(request.url).searchParams;
  const limit = integerParam(search, "limit", { fallback: 500, min: 1, max: collectionLimits.maxChunksPerPage });
  const offset = integerParam(search, "offset", { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  const chunks = await listCollectionChunks(await getDatabase(), { id, key: bearerToken(request), limit, offset });
  return Response.json({ chunks, limit, offset });
});
