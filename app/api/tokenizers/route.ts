import { apiHandler } from "@/lib/api/handler";
import { listTokenizers } from "@/lib/tokenizers/registry";

// GET /api/tokenizers – the LLM tokenizers POST /api/tokens offers: id, name, models, licence, vocabulary size
export const GET = apiHandler(async () => Response.json({ tokenizers: listTokenizers() }));
