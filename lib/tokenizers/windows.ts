/**
 * Context windows the essay names, to say what a token count means: how much of what a model can
 * read at once a text takes. Pure data, safe to import in the browser.
 */
export const contextWindows = [
  { label: "32k", tokens: 32_768, example: "GPT-4-32k" },
  { label: "128k", tokens: 128_000, example: "GPT-4o" },
  { label: "2M", tokens: 2_000_000, example: "Gemini 1.5 Pro" },
] as const;

/** The share of a window, as people read it: "0.02%", "3.1%", "120%". */
export function formatShare(count: number, windowTokens: number): string {
  const percent = (count / windowTokens) * 100;
  if (percent === 0) return "0%";
  if (percent < 0.01) return "<0.01%";
  return `${percent < 1 ? percent.toFixed(2) : percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/** The tokenizers the tokens cell compares by default, after the embedding model's own tokens. */
export const defaultComparedTokenizers = ["o200k_base", "cl100k_base", "qwen3"] as const;
