import type { Metadata } from "next";
import { CollectionView } from "@/components/collections/CollectionView";
import { readCollectionLimits } from "@/components/collections/limits";
import { PageFrame } from "../../PageFrame";

// The name of a private collection is not known without its key, which only the browser has.
export const metadata: Metadata = { title: "Collection · Embeddings notebook", robots: { index: false } };

// GET /collections/:id(#key=…) – a collection's documents, upload and search. The key stays in the
// browser (fragment or localStorage), so the page renders only the frame and the client opens it.
export default async function CollectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <PageFrame>
      <CollectionView id={id} limits={readCollectionLimits()} />
    </PageFrame>
  );
}
