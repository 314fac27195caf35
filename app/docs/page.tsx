import type { Metadata } from "next";
import { openApiDocument } from "@/lib/api/openapi";
import { PageFrame } from "../PageFrame";
import "./docs.css";

export const metadata: Metadata = { title: "API · Embeddings notebook" };

type Schema = { type?: string | string[]; description?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; anyOf?: Schema[]; default?: unknown; minimum?: number; maximum?: number; minItems?: number; maxItems?: number; maxLength?: number };
type Operation = { summary: string; tags: string[]; parameters?: { name: string; in: string; description: string }[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description: string }>; security?: Record<string, unknown>[] };

// GET /docs – the API reference, rendered from the same OpenAPI document /api/openapi.json serves
export default function ApiDocsPage() {
  const document = openApiDocument() as { info: { description: string }; tags: { name: string; description: string }[]; paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
  return (
    <PageFrame>
      <h1>API</h1>
      <p className="lede">
        {document.info.description} JSON in, JSON out. The machine-readable version is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
      </p>
      {document.tags.map((tag) => (
        <section key={tag.name} className="api-tag">
          <h2>{tag.name}</h2>
          <p className="hint">{tag.description}</p>
          {operations
            .filter(({ operation }) => operation.tags.includes(tag.name))
            .map(({ path, method, operation }) => (
              <article key={`${method} ${path}`} className="operation" id={`${method}-${path}`}>
                <h3>
                  <span className={`method method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
                </h3>
                <p>{operation.summary}</p>
                {operation.security && (
                  <p className="hint">
                    {operation.security.some((entry) => Object.keys(entry).length === 0)
                      ? "Key optional: public resources need none; private ones need Authorization: Bearer <key>."
                      : "Needs Authorization: Bearer <key>."}
                  </p>
                )}
                {operation.parameters && <Parameters parameters={operation.parameters} />}
                {operation.requestBody && <RequestBody content={operation.requestBody.content} />}
                <ul className="responses">
                  {Object.entries(operation.responses).map(([status, response]) => (
                    <li key={status}>
                      <code>{status}</code> {response.description}
                    </li>
                  ))}
                </ul>
              </article>
            ))}
        </section>
      ))}
    </PageFrame>
  );
}

function Parameters({ parameters }: { parameters: { name: string; in: string; description: string }[] }) {
  return (
    <table className="fields">
      <tbody>
        {parameters.map((parameter) => (
          <tr key={parameter.name}>
            <td>
              <code>{parameter.name}</code>
            </td>
            <td className="hint">{parameter.in}</td>
            <td>{parameter.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A JSON body's fields; a file upload's form fields (multipart/form-data), which can also be sent as the body itself. */
function RequestBody({ content }: { content: Record<string, { schema: Schema }> }) {
  const json = content["application/json"];
  if (json) return <Body schema={json.schema} caption="Request body" />;
  const form = content["multipart/form-data"];
  return form ? <Body schema={form.schema} caption={`Request body: multipart/form-data${content["application/octet-stream"] ? ", or the file itself as the body" : ""}`} /> : null;
}

function Body({ schema, caption }: { schema: Schema; caption: string }) {
  const required = new Set(schema.required ?? []);
  return (
    <table className="fields">
      <caption>{caption}</caption>
      <tbody>
        {Object.entries(schema.properties ?? {}).map(([name, field]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
              {required.has(name) ? "" : "?"}
            </td>
            <td className="hint">{typeName(field)}</td>
            <td>
              {field.description}
              {constraints(field)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function typeName(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeName).join(" | ");
  if (schema.type === "array") return `${schema.items ? typeName(schema.items) : "any"}[]`;
  return Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
}

function constraints(schema: Schema): string {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? "…"}–${schema.maximum ?? "…"}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}
