import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { analogyRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { solveAnalogy } from "@/lib/embeddings/search";

// POST /api/analogy – a − b + c (king − man + woman) → nearest words, inputs excluded, best first
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, analogyRequestSchema);
  const model = body.model ?? GLOVE_MODEL_ID;
  const scope = body.scope ?? (model === GLOVE_MODEL_ID ? "vocabulary" : "texts");
  const { model: info, results } = await solveAnalogy(await getDatabase(), { ...body, model, scope });
  return Response.json({ model: info.id, results });
}, { rateLimit: "compute" });
