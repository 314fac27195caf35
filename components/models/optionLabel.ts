import type { ModelInfo } from "@/lib/embeddings/types";

/** A model as the pickers list it: "cedict-glove-100d · word · zh, en", and why it can't be picked. */
export function modelOptionLabel(model: ModelInfo): string {
  const languages = model.reads ? ` · ${model.reads.languages.join(", ")}` : "";
  return `${model.id} · ${model.kind}${languages}${unavailableReason(model)}`;
}

function unavailableReason(model: ModelInfo): string {
  if (model.download?.state === "downloading") {
    const { bytesDone, bytesTotal } = model.download;
    return bytesTotal ? ` (downloading ${Math.floor((100 * bytesDone) / bytesTotal)}%)` : " (downloading)";
  }
  if (model.available) return "";
  return model.download ? " (files not here: see Models)" : " (not configured)";
}
