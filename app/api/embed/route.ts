import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { embedRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { embedTexts } from "@/lib/embeddings/service";

// POST /api/embed – embed texts (cached per model), vectors L2-normalised, in input order
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, embedRequestSchema);
  const { model, dims, vectors } = await embedTexts(await getDatabase(), body);
  return Response.json({ model: model.id, dims, vectors });
}, { rateLimit: "compute" });
