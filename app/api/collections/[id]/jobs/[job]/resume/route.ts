import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { resumeImport } from "@/lib/jobs/imports/service";

// POST /api/collections/:id/jobs/:job/resume – a failed import back in the queue: it goes on after
// the last row it stored. Needs the write key.
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string; job: string }> }) => {
  const { id, job } = await params;
  const resumed = await resumeImport(await getDatabase(), { id, key: bearerToken(request), jobId: job });
  return Response.json({ job: resumed }, { status: 202, headers: { Location: resumed.url } });
}, { rateLimit: "write" });
