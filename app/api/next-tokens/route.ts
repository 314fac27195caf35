import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { nextTokensRequestSchema, predictNextTokens } from "@/lib/next-token/generate";
import { defaultNextTokenModel, listNextTokenModels, missingModels } from "@/lib/next-token/registry";

export const dynamic = "force-dynamic";

// GET /api/next-tokens – the next-token models, whether each can run here and how to install it
export const GET = apiHandler(async () => {
  return Response.json({ default: defaultNextTokenModel, models: await listNextTokenModels(), missing: missingModels });
});

// POST /api/next-tokens – the distribution over the next token; with steps, generation one token at a time
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, nextTokensRequestSchema);
  return Response.json(await predictNextTokens(body));
}, { rateLimit: "compute" });
