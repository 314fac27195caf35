import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

/** Every route handler under app/api and app/v1 (the OpenAI-compatible routes), as "METHOD /api/path/{param}". */
function routeHandlers(): string[] {
  return ["api", "v1"].flatMap((prefix) => routeHandlersUnder(prefix)).sort();
}

function routeHandlersUnder(prefix: string): string[] {
  const root = path.join(process.cwd(), "app", prefix);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/${prefix}/` + path.relative(root, dir).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
        for (const [, method] of fs.readFileSync(full, "utf8").matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)) {
          found.push(`${method} ${route}`);
        }
      }
    }
  };
  walk(root);
  return found;
}

describe("openApiDocument()", () => {
  const document = openApiDocument() as { paths: Record<string, Record<string, unknown>> };

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route handler under app/api and app/v1, and nothing else", () => {
    const documented = Object.entries(document.paths)
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    expect(documented).toEqual(routeHandlers());
  });

  it("takes request bodies from the validation schemas: limits and unknown-field rejection included", () => {
    const embed = document.paths["/api/embed"].post as { requestBody: { content: { "application/json": { schema: Record<string, any> } } } };
    const schema = embed.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["texts"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.texts.maxItems).toBe(2000);
  });
});
