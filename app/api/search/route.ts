import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { searchRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { warningsField } from "@/lib/embeddings/readability";
import { searchNearest } from "@/lib/embeddings/search";

// POST /api/search – nearest stored texts (or vocabulary words) to a query, best first
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, searchRequestSchema);
  const { model, results, warnings } = await searchNearest(await getDatabase(), body);
  return Response.json({ model: model.id, results, ...warningsField(warnings) });
}, { rateLimit: "compute" });
