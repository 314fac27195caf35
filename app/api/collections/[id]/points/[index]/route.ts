import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { collectionPoint, parsePointIndex } from "@/lib/maps/points";

// GET /api/collections/:id/points/:index?version=… – the chunk of one map point (hover, click)
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string; index: string }> }) => {
  const { id, index } = await params;
  const version = new URL(request.url).searchParams.get("version");
  return Response.json(await collectionPoint(await getDatabase(), { id, key: bearerToken(request), index: parsePointIndex(index), version }));
});
