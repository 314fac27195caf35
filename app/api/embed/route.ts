import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { embedRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { warningsField } from "@/lib/embeddings/readability";
import { embedTexts } from "@/lib/embeddings/service";

// POST /api/embed – embed texts (cached per model), vectors L2-normalised, in input order
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, embedRequestSchema);
  const { model, dims, vectors, warnings } = await embedTexts(await getDatabase(), body);
  return Response.json({ model: model.id, dims, vectors, ...warningsField(warnings) });
}, { rateLimit: "compute" });
