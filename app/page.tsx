import { SimilarityPlayground } from "@/components/SimilarityPlayground";
import { defaultModelId, listModels } from "@/lib/embeddings/registry";

export const dynamic = "force-dynamic";

export default function HomePage() {
  return (
    <main>
      <h1>Embeddings notebook</h1>
      <p className="lede">
        A model turns each text into a vector; related meanings point in similar directions. Type words or
        sentences, one per line, and see how similar the model thinks they are.
      </p>
      <SimilarityPlayground models={listModels()} defaultModel={defaultModelId} />
    </main>
  );
}
