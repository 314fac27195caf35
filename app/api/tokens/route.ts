import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { countDocumentTokens } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";
import { tokenize, tokensRequestSchema } from "@/lib/embeddings/tokens";

// POST /api/tokens – how an embedding model (model) or an LLM (tokenizer) splits a text into tokens, with their ids;
// with collection instead of text, how many tokens each of its documents takes for the tokenizer
export const POST = apiHandler(async (request) => {
  const { text, collection, ...body } = await parseJsonBody(request, tokensRequestSchema);
  if (collection !== undefined) {
    // The schema requires tokenizer with collection.
    return Response.json(await countDocumentTokens(await getDatabase(), { id: collection, key: bearerToken(request), tokenizer: body.tokenizer! }));
  }
  // The schema requires text without collection.
  return Response.json(await tokenize({ ...body, text: text! }));
}, { rateLimit: "compute" });
