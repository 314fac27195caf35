import { apiHandler, parseJsonBody } from "@/lib/api/handler";
import { createCollectionSchema } from "@/lib/collections/schemas";
import { createCollection } from "@/lib/collections/service";
import { getDatabase } from "@/lib/db/client";

// POST /api/collections – create a document collection; returns its id and, once, its read and write keys
export const POST = apiHandler(async (request) => {
  const body = await parseJsonBody(request, createCollectionSchema);
  const { collection, readKey, writeKey } = await createCollection(await getDatabase(), body);
  return Response.json({ id: collection.id, readKey, writeKey, collection }, { status: 201 });
}, { rateLimit: "write" });
