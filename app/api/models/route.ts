import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { countUnindexedEmbeddings } from "@/lib/db/embedding-index";
import { listModels, resolveModel } from "@/lib/embeddings/registry";
import { getVocabularyStatus, hasVocabulary } from "@/lib/embeddings/vocabulary";

export const dynamic = "force-dynamic";

// GET /api/models – the embedding models this server offers, whether each can run now, how many of
// each model's stored texts still wait for the search index, and, for word models, how far their
// vocabulary (searched by scope "vocabulary") has been loaded into pgvector
export const GET = apiHandler(async () => {
  const db = await getDatabase();
  const unindexed = await countUnindexedEmbeddings(db);
  const models = await Promise.all(
    listModels().map(async (model) => {
      const described = { ...model, unindexedTexts: unindexed.get(model.id) ?? 0 };
      const resolved = resolveModel(model.id);
      return hasVocabulary(resolved) ? { ...described, vocabulary: await getVocabularyStatus(db, resolved) } : described;
    }),
  );
  return Response.json({ models });
});
