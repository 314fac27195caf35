import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { listCollectionJobs } from "@/lib/jobs/service";

// GET /api/collections/:id/jobs – the collection's unfinished jobs and its 20 most recent finished ones, newest first
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return Response.json({ jobs: await listCollectionJobs(await getDatabase(), { id, key: bearerToken(request) }) });
});
