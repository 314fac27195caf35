// The production server (`npm start`): Next.js's request handler behind Node's own HTTP server,
// which writes each request's socket address into a header before Next.js sees the request.
// `next start` cannot do this, and route handlers cannot see the socket, so without it a client
// could pick its own rate-limit bucket by sending X-Forwarded-For (see lib/api/client-address.ts).
// It also answers what Next.js answers badly (methods, malformed or overlong paths) and drains on
// SIGTERM (shutdown.mjs). Plain JavaScript, so a production install needs no TypeScript runner.
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { allowedMethods, readRouteMethods } from "./route-methods.mjs";
import { createDrain, readGraceMs } from "./shutdown.mjs";

const socketAddressHeader = "x-notebook-socket-address";

function hasDecodablePath(url = "/") {
  try {
    decodeURIComponent(url.split("?")[0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Longest path, and longest path segment, passed on to Next.js. Ids and slugs are at most 64
 * characters; a segment of several KB made Next.js reset the connection instead of answering.
 */
const maxPathLength = 2_048;
const maxSegmentLength = 256;

function pathTooLong(pathname) {
  return pathname.length > maxPathLength || pathname.split("/").some((segment) => segment.length > maxSegmentLength);
}

/** An error in the app's shape, or OpenAI's on /v1 (where OpenAI's clients read it). */
function sendError(response, pathname, status, code, message, headers = {}) {
  const body = pathname.startsWith("/v1/")
    ? { error: { message, type: "invalid_request_error", param: null, code: code.split(":")[0] } }
    : { error: { code, message } };
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers });
  response.end(JSON.stringify(body));
}

const routes = readRouteMethods(path.join(process.cwd(), "app"));

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";

const graceMs = readGraceMs();

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer(async (request, response) => {
  if (drain.refuses(request, response)) return;
  request.headers[socketAddressHeader] = request.socket.remoteAddress ?? "";
  if (!hasDecodablePath(request.url)) {
    // Next.js answers a path like /s/% with a bare 500; this is the client's mistake, so say so.
    response.writeHead(400, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { code: "bad_request:url", message: "The URL's path has a malformed percent-escape (e.g. a lone %)." } }));
    return;
  }
  const pathname = (request.url ?? "/").split("?")[0];
  if (pathTooLong(pathname)) {
    const message = `The URL's path is too long: at most ${maxPathLength} characters, and ${maxSegmentLength} between two slashes.`;
    sendError(response, pathname, 414, "uri_too_long:url", message);
    return;
  }
  const isApi = /^\/(api|v1)\//.test(pathname);
  // Pages answer only GET and HEAD; the app has no server actions, so a POST to a page (which
  // Next.js would take for one and answer 409 in plain text) is refused like any other method.
  const allowed = isApi ? allowedMethods(routes, pathname) : ["GET", "HEAD", "OPTIONS"];
  if (isApi && !allowed) {
    sendError(response, pathname, 404, "not_found:route", `No API route has the path ${pathname.slice(0, 200)}; see /api/openapi.json.`);
    return;
  }
  if (!allowed.includes(request.method ?? "")) {
    const message = `${pathname} does not answer ${request.method}; it answers ${allowed.join(", ")}.`;
    sendError(response, pathname, 405, "method_not_allowed:method", message, { allow: allowed.join(", ") });
    return;
  }
  if (request.method === "OPTIONS") {
    response.writeHead(204, { allow: allowed.join(", ") });
    response.end();
    return;
  }
  try {
    await handle(request, response);
  } catch (error) {
    // As `next start` does: log it and answer 500, rather than let the rejection end the process.
    console.error(error);
    if (!response.headersSent) response.statusCode = 500;
    response.end("Internal Server Error");
  }
});

const drain = createDrain(server, graceMs, { sendError });

server.listen(port, hostname, () => console.log(`▲ Ready on http://${hostname}:${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => drain.onSignal(signal));
