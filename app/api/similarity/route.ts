import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { similarityRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { warningsField } from "@/lib/embeddings/readability";
import { embedTexts } from "@/lib/embeddings/service";
import { cosineMatrix } from "@/lib/vectors";

// POST /api/similarity – cosine similarity of every pair of texts
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, similarityRequestSchema);
  const { model, vectors, warnings } = await embedTexts(await getDatabase(), body);
  return Response.json({ model: model.id, texts: body.texts, matrix: cosineMatrix(vectors), ...warningsField(warnings) });
}, { rateLimit: "compute" });
