import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { createdExplorationResponse } from "@/lib/explorations/links";
import { forkExploration } from "@/lib/explorations/service";

// POST /api/explorations/:slug/fork – an editable copy under a new slug and edit key
export const POST = apiHandler(async (request, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  return createdExplorationResponse(request, await forkExploration(await getDatabase(), { slug }));
}, { rateLimit: "write" });
