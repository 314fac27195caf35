import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { countUnindexedEmbeddings } from "@/lib/db/embedding-index";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { listModels } from "@/lib/embeddings/registry";
import { getVocabularyStatus } from "@/lib/embeddings/vocabulary";

export const dynamic = "force-dynamic";

// GET /api/models – the embedding models this server offers, whether each can run now, how many of
// each model's stored texts still wait for the search index, and how far GloVe's vocabulary
// (searched by scope "vocabulary") has been loaded into pgvector
export const GET = apiHandler(async () => {
  const db = await getDatabase();
  const [vocabulary, unindexed] = await Promise.all([getVocabularyStatus(db), countUnindexedEmbeddings(db)]);
  const models = listModels().map((model) => {
    const described = { ...model, unindexedTexts: unindexed.get(model.id) ?? 0 };
    return model.id === GLOVE_MODEL_ID ? { ...described, vocabulary } : described;
  });
  return Response.json({ models });
});
