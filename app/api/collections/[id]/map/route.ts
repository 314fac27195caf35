import { bearerToken } from "@/lib/api/auth";
import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { collectionMapSchema } from "@/lib/collections/schemas";
import { mapCollection } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// POST /api/collections/:id/map – the chunks laid out by UMAP from their stored vectors, with an
// optional question placed among them; private collections need the read key
export const POST = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const key = bearerToken(request);
  const { question } = await parseJsonBody(request, collectionMapSchema);
  return Response.json(await mapCollection(await getDatabase(), { id, key, question }));
}, { rateLimit: "compute" });
