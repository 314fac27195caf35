import { z } from "zod";
import { limits } from "../api/limits";
import { textSchema } from "../api/schemas";

/**
 * The body of POST /v1/embeddings, as OpenAI's embeddings API defines it (input, model,
 * encoding_format, dimensions, user), with this app's limits: at most `limits.maxTexts` inputs of
 * at most `limits.maxTextLength` characters each, the same as POST /api/embed. Texts are
 * NFC-normalised and trimmed like /api/embed's, so both give a text the same vector.
 */

/** Token ids one input may hold: a character takes at most 4 byte-level tokens, so more ids can't decode to an allowed text. */
export const maxTokenIdsPerInput = 4 * limits.maxTextLength;

const tokenIds = z
  .array(z.number().int("must be a whole number").min(0, "must be a token id, 0 or more"))
  .min(1, "must hold at least one token id")
  .max(maxTokenIdsPerInput, `must hold at most ${maxTokenIdsPerInput} token ids`);

const inputsOf = <Item extends z.ZodType>(item: Item) => z.array(item).min(1).max(limits.maxTexts);

/** zod reports a value no branch of the union fits as "Invalid input": say what is wrong instead. */
function inputProblem(input: unknown): string {
  if (Array.isArray(input) && input.length === 0) return "must hold at least one input";
  if (Array.isArray(input) && input.length > limits.maxTexts) return `must hold at most ${limits.maxTexts} inputs; send the rest in another request`;
  return "must be a string, an array of strings, an array of token ids or an array of arrays of token ids, all of one kind";
}

export const embeddingsRequestSchema = z.strictObject({
  input: z
    .union([textSchema, inputsOf(textSchema), tokenIds, inputsOf(tokenIds)], { error: (issue) => inputProblem(issue.input) })
    .describe(
      `Text to embed, or an array of texts (1–${limits.maxTexts}, each 1–${limits.maxTextLength.toLocaleString("en")} characters after trimming). ` +
        "Token ids are read as cl100k_base tokens, the tokenizer of OpenAI's embedding models, and embedded as the text they decode to.",
    ),
  model: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(limits.maxModelIdLength, `must be at most ${limits.maxModelIdLength} characters`)
    .describe(
      "An app model id from GET /api/models (use-lite, glove-100d, cedict-glove-100d, hf:<owner/name>, local:<owner/name>), a name from OPENAI_MODEL_ALIASES, " +
        "or one of OpenAI's names (text-embedding-3-small, text-embedding-3-large, text-embedding-ada-002), which mean the default model unless an alias says otherwise.",
    ),
  encoding_format: z
    .enum(["float", "base64"], { error: 'must be "float" or "base64"' })
    .default("float")
    .describe("float (default): arrays of numbers; base64: each vector's little-endian float32 bytes, base64-encoded."),
  dimensions: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .optional()
    .describe("The model's own dimension, if sent: vectors are never truncated, so any other value is refused."),
  user: z.string().max(1000, "must be at most 1000 characters").optional().describe("Accepted and ignored."),
});

export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;
