import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { discardImport } from "@/lib/jobs/imports/service";

// POST /api/collections/:id/jobs/:job/discard – an ended import's rows taken back out of the
// collection (and its file removed). Needs the write key.
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string; job: string }> }) => {
  const { id, job } = await params;
  return Response.json(await discardImport(await getDatabase(), { id, key: bearerToken(request), jobId: job }));
}, { rateLimit: "write" });
