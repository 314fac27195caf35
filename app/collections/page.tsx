import type { Metadata } from "next";
import { CollectionsHome } from "@/components/collections/CollectionsHome";
import { readCollectionLimits } from "@/components/collections/limits";
import { exampleCollection } from "@/lib/collections/example";
import { exampleCollectionId } from "@/lib/collections/example-collection";
import { wordMapExample } from "@/lib/collections/word-map-example";
import { GLOVE_MODEL_ID } from "@/lib/embeddings/glove";
import { listModels } from "@/lib/embeddings/registry";
import { PageFrame } from "../PageFrame";

export const metadata: Metadata = { title: "Collections · Embeddings notebook" };

// The model list includes remote models used since start-up: read it per request.
export const dynamic = "force-dynamic";

// GET /collections – create a document collection; the ones this browser holds keys for; the example
export default function CollectionsPage() {
  return (
    <PageFrame>
      <h1>Collections</h1>
      <p className="lede">
        A collection holds your documents, cut into chunks and embedded with one model. Search it with a question and get the passages nearest in meaning:
        the retrieval step of retrieval-augmented generation. Use it here or through the <a href="/docs">API</a>.
      </p>
      <CollectionsHome
        models={listModels()}
        limits={readCollectionLimits()}
        examples={[
          { id: exampleCollectionId, name: exampleCollection.name, description: exampleCollection.description, model: exampleCollection.model },
          { id: wordMapExample.id, name: wordMapExample.name, description: wordMapExample.description, model: GLOVE_MODEL_ID },
        ]}
      />
    </PageFrame>
  );
}
