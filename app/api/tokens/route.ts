import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { tokenize, tokensRequestSchema } from "@/lib/embeddings/tokens";

// POST /api/tokens – how an embedding model (model) or an LLM (tokenizer) splits a text into tokens, with their ids
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, tokensRequestSchema);
  return Response.json(await tokenize(body));
}, { rateLimit: "compute" });
