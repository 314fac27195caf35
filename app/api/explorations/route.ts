import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { createdExplorationResponse } from "@/lib/explorations/links";
import { createExplorationSchema } from "@/lib/explorations/schemas";
import { createExploration } from "@/lib/explorations/service";

// POST /api/explorations – save an exploration (its maps are computed and stored); returns the share
// link and, once, the edit key
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, createExplorationSchema);
  return createdExplorationResponse(request, await createExploration(await getDatabase(), body));
}, { rateLimit: "write" });
