/**
 * The augmented prompt of retrieval-augmented generation: instructions, the retrieved passages
 * numbered so an answer can cite them, and the question. `{{context}}` and `{{question}}` in the
 * template are replaced; everything else is kept as the user wrote it.
 */

export const defaultPromptTemplate = `You are answering a question using only the numbered passages below.

Rules:
- Use only facts stated in the passages. Do not add outside knowledge.
- After each claim, cite the passage it comes from by its number in square brackets, like [1] or [2][3].
- If the passages do not contain the answer, reply exactly: I don't know.
- Keep the answer short: a few sentences at most.

Passages:
{{context}}

Question: {{question}}

Answer:`;

/** Numbered passages, one paragraph each: `[1] first chunk`, `[2] second chunk`… */
export function formatContext(passages: readonly string[]): string {
  return passages.map((passage, i) => `[${i + 1}] ${passage.replace(/\s+/g, " ").trim()}`).join("\n\n");
}

export function buildPrompt(template: string, { passages, question }: { passages: readonly string[]; question: string }): string {
  // A function replacer: `$&` or `$1` in a passage must stay literal text.
  return template.replaceAll("{{context}}", () => formatContext(passages)).replaceAll("{{question}}", () => question.trim());
}
