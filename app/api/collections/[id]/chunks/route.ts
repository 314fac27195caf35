import { bearerToken } from "@/lib/api/auth";
import { AppError } from "@/lib/api/errors";
import { apiHandler } from "@/lib/api/handler";
import { collectionLimits } from "@/lib/collections/schemas";
import { listCollectionChunks } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// GET /api/collections/:id/chunks?limit=&offset= – the chunks in document order (for maps of a collection)
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const search = new URL(request.url).searchParams;
  const limit = integerParam(search.get("limit"), "limit", 500, 1, collectionLimits.maxChunksPerPage);
  const offset = integerParam(search.get("offset"), "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const chunks = await listCollectionChunks(await getDatabase(), { id, key: bearerToken(request), limit, offset });
  return Response.json({ chunks, limit, offset });
});

function integerParam(value: string | null, name: string, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new AppError(`bad_request:${name}`, `${name} must be a whole number from ${min} to ${max}.`);
  }
  return number;
}
