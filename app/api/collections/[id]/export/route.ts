import { bearerToken } from "@/lib/api/auth";
import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { exportCollection, parseExportOptions } from "@/lib/export/collection/export";

// GET /api/collections/:id/export?format=csv|jsonl|parquet&vectors=true – every chunk with its id,
// document, text, x/y and metadata (and vector), streamed as a download; reading needs the same key as searching.
export const GET = apiHandler(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const options = parseExportOptions(new URL(request.url).searchParams);
  const { body, headers } = await exportCollection(await getDatabase(), { id, key: bearerToken(request), ...options });
  return new Response(body, { headers });
});
