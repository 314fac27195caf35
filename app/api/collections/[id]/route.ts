import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { deleteCollection, getCollection } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

type Context = { params: Promise<{ id: string }> };

// GET /api/collections/:id – name, model, chunking and counts; private collections need a key
export const GET = apiHandler(async (request, { params }: Context) => {
  const { id } = await params;
  return Response.json(await getCollection(await getDatabase(), { id, key: bearerToken(request) }));
});

// DELETE /api/collections/:id – delete the collection with all its documents; needs the write key
export const DELETE = apiHandler(async (request, { params }: Context) => {
  const { id } = await params;
  await deleteCollection(await getDatabase(), { id, key: bearerToken(request) });
  return new Response(null, { status: 204 });
}, { rateLimit: "write" });
