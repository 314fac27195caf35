import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { collectionPoints, parsePointsOptions } from "@/lib/maps/points";

// GET /api/collections/:id/points?color=<metadata key> – every point of the collection's map as
// binary columns (lib/maps/points.ts); reading needs the same key as searching
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const { color } = parsePointsOptions(new URL(request.url).searchParams);
  const points = await collectionPoints(await getDatabase(), { id, key: bearerToken(request), color });
  return new Response(points.body, {
    headers: { "Content-Type": "application/octet-stream", "X-Points-Version": points.version, "X-Points-Count": String(points.count), "Cache-Control": "no-store" },
  });
});
