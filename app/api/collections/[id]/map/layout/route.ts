import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { relayoutMap } from "@/lib/jobs/maps/service";

// POST /api/collections/:id/map/layout – lay the whole map out again, as a background job; needs the write key
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const job = await relayoutMap(await getDatabase(), { id, key: bearerToken(request) });
  return Response.json({ job }, { status: 202, headers: { Location: job.url } });
}, { rateLimit: "write" });
