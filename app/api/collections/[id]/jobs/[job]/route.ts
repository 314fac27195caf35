import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { cancelCollectionJob, getCollectionJob } from "@/lib/jobs/service";

// GET /api/collections/:id/jobs/:job – a job's state and progress, and the outcome of each of its documents
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string; job: string }> }) => {
  const { id, job } = await params;
  return Response.json({ job: await getCollectionJob(await getDatabase(), { id, key: bearerToken(request), jobId: job }) });
});

// DELETE /api/collections/:id/jobs/:job – cancel a job; needs the write key. Documents already stored stay
// (the reply lists them); 202 when the job is still finishing the document under way after 10 s.
export const DELETE = apiHandler(async (request, { params }: { params: Promise<{ id: string; job: string }> }) => {
  const { id, job } = await params;
  const cancelled = await cancelCollectionJob(await getDatabase(), { id, key: bearerToken(request), jobId: job });
  return Response.json({ job: cancelled.job }, { status: cancelled.stopped ? 200 : 202 });
}, { rateLimit: "write" });
