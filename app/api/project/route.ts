import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { warningsField } from "@/lib/embeddings/readability";
import { computeLayout } from "@/lib/explorations/layout";
import { projectRequestSchema } from "@/lib/explorations/schemas";

// POST /api/project – 2-D coordinates for texts by UMAP, PCA or semantic axes; deterministic.
// `place` adds texts to that same map without moving the others.
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, projectRequestSchema);
  const { model, layout, placed, warnings } = await computeLayout(await getDatabase(), body);
  const toPoint = (text: string, [x, y]: [number, number]) => ({ text, x, y });
  return Response.json({
    model: model.id,
    method: layout.method,
    ...(layout.note ? { note: layout.note } : {}),
    points: body.texts.map((text, i) => toPoint(text, layout.points[i])),
    ...(body.place ? { placed: body.place.map((text, i) => toPoint(text, placed[i])) } : {}),
    ...warningsField(warnings),
  });
}, { rateLimit: "compute" });
