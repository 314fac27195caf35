import { EditNotebook } from "@/components/notebook/EditNotebook";
import { listModels } from "@/lib/embeddings/registry";
import { PageFrame } from "../../../PageFrame";
import { loadExploration } from "../load";

export const dynamic = "force-dynamic";

// GET /s/:slug/edit#key=… – the exploration opened for editing; the key stays in the fragment,
// which the browser never sends here
export default async function EditExplorationPage({ params }: { params: Promise<{ slug: string }> }) {
  const exploration = await loadExploration((await params).slug);
  return (
    <PageFrame>
      <EditNotebook exploration={exploration} models={listModels()} />
    </PageFrame>
  );
}
