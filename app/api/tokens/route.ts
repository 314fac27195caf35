import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { tokenize, tokensRequestSchema } from "@/lib/embeddings/tokens";

// POST /api/tokens – how a model splits a text into tokens, with the ids it looks them up by
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, tokensRequestSchema);
  return Response.json(await tokenize(body));
}, { rateLimit: "compute" });
