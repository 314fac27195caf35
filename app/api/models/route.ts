import { apiHandler } from "@/lib/api/handler";
import { getDatabase } from "@/lib/db/client";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { listModels } from "@/lib/embeddings/registry";
import { getVocabularyStatus } from "@/lib/embeddings/vocabulary";

export const dynamic = "force-dynamic";

// GET /api/models – the embedding models this server offers, whether each can run now, and how far
// GloVe's vocabulary (searched by scope "vocabulary") has been loaded into pgvector
export const GET = apiHandler(async () => {
  const vocabulary = await getVocabularyStatus(await getDatabase());
  const models = listModels().map((model) => (model.id === GLOVE_MODEL_ID ? { ...model, vocabulary } : model));
  return Response.json({ models });
});
