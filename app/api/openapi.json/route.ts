import { apiHandler } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

// GET /api/openapi.json – the OpenAPI 3.1 document of this API, generated from its validation schemas
export const GET = apiHandler(async () => Response.json(openApiDocument()));
