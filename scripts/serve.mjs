// The production server (`npm start`): Next.js's request handler behind Node's own HTTP server,
// which writes each request's socket address into a header before Next.js sees the request.
// `next start` cannot do this, and route handlers cannot see the socket, so without it a client
// could pick its own rate-limit bucket by sending X-Forwarded-For (see lib/api/client-address.ts).
// Plain JavaScript, so a production install needs no TypeScript runner.
import { createServer } from "node:http";
import next from "next";

const socketAddressHeader = "x-notebook-socket-address";

function hasDecodablePath(url = "/") {
  try {
    decodeURIComponent(url.split("?")[0]);
    return true;
  } catch {
    return false;
  }
}

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer(async (request, response) => {
  request.headers[socketAddressHeader] = request.socket.remoteAddress ?? "";
  if (!hasDecodablePath(request.url)) {
    // Next.js answers a path like /s/% with a bare 500; this is the client's mistake, so say so.
    response.writeHead(400, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: { code: "bad_request:url", message: "The URL's path has a malformed percent-escape (e.g. a lone %)." } }));
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

server.listen(port, hostname, () => console.log(`▲ Ready on http://${hostname}:${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
