import { parseJsonBody } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { createEmbeddings } from "@/lib/openai-api/embeddings";
import { openAiHandler } from "@/lib/openai-api/errors";
import { embeddingsRequestSchema } from "@/lib/openai-api/schema";

// POST /v1/embeddings – OpenAI's embeddings API over the app's models, for clients given this server as baseURL
export const POST = openAiHandler(async (request) => {
  const body = await parseJsonBody(request, embeddingsRequestSchema);
  return Response.json(await createEmbeddings(await getDatabase(), body));
});
