import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { warningsField } from "@/lib/embeddings/readability";
import { updateExplorationSchema } from "@/lib/explorations/schemas";
import { deleteExploration, readExploration, updateExploration } from "@/lib/explorations/service";

type Context = { params: Promise<{ slug: string }> };

// GET /api/explorations/:slug – a saved exploration, coordinates included
export const GET = apiHandler(async (_request, { params }: Context) => {
  const { slug } = await params;
  return Response.json(await readExploration(await getDatabase(), { slug }));
});

// PATCH /api/explorations/:slug – edit title, items or cells; needs the edit key
export const PATCH = apiHandler(async (request, { params }: Context) => {
  const { slug } = await params;
  const editKey = bearerToken(request);
  const changes = await parseJsonBody(request, updateExplorationSchema);
  const { exploration, warnings } = await updateExploration(await getDatabase(), { slug, editKey, changes });
  return Response.json({ ...exploration, ...warningsField(warnings) });
}, { rateLimit: "write" });

// DELETE /api/explorations/:slug – delete it for good; needs the edit key
export const DELETE = apiHandler(async (request, { params }: Context) => {
  const { slug } = await params;
  await deleteExploration(await getDatabase(), { slug, editKey: bearerToken(request) });
  return new Response(null, { status: 204 });
}, { rateLimit: "write" });
