import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { generateAnswer, generateRequestSchema, generationConfig } from "@/lib/embeddings/generation";

export const dynamic = "force-dynamic";

// GET /api/generate – whether a text-generation model is configured, and which
export const GET = apiHandler(async () => {
  const { available, model, reason } = generationConfig();
  return Response.json({ available, model, ...(reason ? { reason } : {}) });
});

// POST /api/generate – send a prompt to the configured text-generation model; its answer
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, generateRequestSchema);
  return Response.json(await generateAnswer(body));
}, { rateLimit: "compute" });
