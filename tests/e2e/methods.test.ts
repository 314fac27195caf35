import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, startApp, type AppServer } from "../support/server";

/**
 * Methods and paths no route handler sees, answered by the production server (scripts/serve.mjs)
 * in the API's error shape: an unsupported method is 405 with Allow, OPTIONS is 204 with Allow,
 * an absurdly long path is 414, not a reset connection (issue 14, findings 4 and 5), and an unknown
 * API path is 404 whatever its body (issue 19, finding 6: Next.js took a multipart POST for a
 * server action and answered 409 in plain text).
 */
let app: AppServer;

beforeAll(async () => {
  await buildApp();
  app = await startApp();
}, 600_000);

afterAll(async () => app?.stop());

/** A raw request (fetch refuses TRACE), answered with status, headers and the parsed body. */
function send(method: string, pathname: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${app.url}${pathname}`, { method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: text ? JSON.parse(text) : null }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("methods and paths outside the route handlers", () => {
  it("answers TRACE and other unsupported methods with 405, the error shape and Allow", async () => {
    for (const [method, pathname, allow] of [
      ["TRACE", "/api/models", "GET, HEAD, OPTIONS"],
      ["DELETE", "/api/models", "GET, HEAD, OPTIONS"],
      ["PUT", "/api/explorations/abc", "GET, PATCH, DELETE, HEAD, OPTIONS"],
      ["GET", "/api/collections/abc/search", "POST, OPTIONS"],
    ]) {
      const reply = await send(method, pathname);
      expect(reply.status, `${method} ${pathname}`).toBe(405);
      expect(reply.headers.allow).toBe(allow);
      expect(reply.body).toEqual({ error: { code: "method_not_allowed:method", message: expect.stringContaining(`does not answer ${method}`) } });
    }
  });

  it("answers in OpenAI's error shape on /v1", async () => {
    const reply = await send("GET", "/v1/embeddings");
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST, OPTIONS");
    expect(reply.body).toEqual({ error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "method_not_allowed" } });
  });

  it("answers OPTIONS with 204 and the route's methods", async () => {
    const reply = await send("OPTIONS", "/api/collections/abc/documents");
    expect(reply.status).toBe(204);
    expect(reply.headers.allow).toBe("POST, GET, HEAD, OPTIONS");
  });

  it("still lets every supported method through, and HEAD where there is GET", async () => {
    expect((await send("GET", "/api/models")).status).toBe(200);
    expect((await send("HEAD", "/api/models")).status).toBe(200);
    expect((await send("GET", "/api/explorations/no-such-slug")).status).toBe(404);
  });

  it("answers an unknown API path with 404 in the error shape, and a POST to a page with 405, whatever its body", async () => {
    const unknown = await send("POST", "/api/no-such-route", { "content-type": "multipart/form-data; boundary=x" }, "--x--");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: "not_found:route", message: expect.stringContaining("/api/no-such-route") } });
    const page = await send("POST", "/collections", { "content-type": "multipart/form-data; boundary=x" }, "--x--");
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe("GET, HEAD, OPTIONS");
  });

  it("answers a path segment several KB long with 414 instead of resetting the connection", async () => {
    const reply = await send("GET", `/api/explorations/${"a".repeat(4096)}`);
    expect(reply.status).toBe(414);
    expect(reply.body).toEqual({ error: { code: "uri_too_long:url", message: expect.stringContaining("too long") } });
    expect((await send("GET", `/s/${"b".repeat(300)}`)).status).toBe(414);
  });
});
