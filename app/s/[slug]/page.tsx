import type { Metadata } from "next";
import { Notebook } from "@/components/notebook/Notebook";
import { initFromExploration } from "@/components/notebook/init";
import { listModels } from "@/lib/embeddings/registry";
import { PageFrame } from "../../PageFrame";
import { loadExploration } from "./load";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const exploration = await loadExploration((await params).slug);
  const words = exploration.items.slice(0, 24).map((item) => item.text);
  const description = `${exploration.items.length} items embedded with ${exploration.model}: ${words.join(", ")}${exploration.items.length > words.length ? ", …" : ""}`;
  return {
    title: `${exploration.title} · Embeddings notebook`,
    description,
    openGraph: { title: exploration.title, description, type: "article" },
    robots: { index: false },
  };
}

// GET /s/:slug – the read-only share view, server-rendered (title, items, notes and a static map
// for readers without JavaScript) with the saved coordinates
export default async function SharedExplorationPage({ params }: Props) {
  const exploration = await loadExploration((await params).slug);
  return (
    <PageFrame>
      <Notebook init={initFromExploration(exploration)} models={listModels()} readOnly />
    </PageFrame>
  );
}
