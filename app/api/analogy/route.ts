import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { analogyRequestSchema } from "@/lib/api/schemas";
import { getDatabase } from "@/lib/db/client";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { warningsField } from "@/lib/embeddings/readability";
import { resolveModel } from "@/lib/embeddings/registry";
import { solveAnalogy } from "@/lib/embeddings/search";
import { hasVocabulary } from "@/lib/embeddings/vocabulary";

// POST /api/analogy – a − b + c (king − man + woman) → nearest words, inputs excluded, best first;
// from the model's vocabulary when it has one (glove-100d, cedict-glove-100d), else from its texts
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, analogyRequestSchema);
  const model = body.model ?? GLOVE_MODEL_ID;
  const scope = body.scope ?? (hasVocabulary(resolveModel(model)) ? "vocabulary" : "texts");
  const { model: info, results, warnings } = await solveAnalogy(await getDatabase(), { ...body, model, scope });
  return Response.json({ model: info.id, results, ...warningsField(warnings) });
}, { rateLimit: "compute" });
