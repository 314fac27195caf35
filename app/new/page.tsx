import { Notebook } from "@/components/notebook/Notebook";
import { listModels } from "@/lib/embeddings/registry";
import { findExample } from "@/lib/explorations/examples";
import { defaultCells } from "@/lib/explorations/schemas";
import { PageFrame } from "../PageFrame";

export const dynamic = "force-dynamic";

// A new, unsaved notebook: empty, or filled from an example (?example=<id>) and run at once.
export default async function NewNotebookPage({ searchParams }: { searchParams: Promise<{ example?: string }> }) {
  const { example: exampleId } = await searchParams;
  const example = exampleId ? findExample(exampleId) : undefined;
  const init = example
    ? { title: example.title, model: example.model, source: example.source, cells: example.cells, autoRun: true }
    : { title: "Untitled exploration", model: "use-lite", source: "", cells: defaultCells() };
  return (
    <PageFrame>
      <Notebook init={init} models={listModels()} />
    </PageFrame>
  );
}
