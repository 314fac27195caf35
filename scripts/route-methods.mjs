// Which HTTP methods each API route answers, read from the route handlers' exports (app/**/route.ts),
// so the production server (serve.mjs) can answer a method a route lacks with 405 and `Allow`, and
// OPTIONS with 204 and `Allow`: Next.js answers the first with an empty body and no Allow, the
// second with no Allow, and TRACE with a 500. Plain JavaScript, like serve.mjs.
import fs from "node:fs";
import path from "node:path";

const methodExport = /^export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/gm;

/** @returns {{ path: string, pattern: RegExp, methods: string[] }[]} routes under /api and /v1, static segments before dynamic ones */
export function readRouteMethods(appDir) {
  const routes = [];
  for (const file of walk(appDir)) {
    if (path.basename(file) !== "route.ts") continue;
    const route = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/");
    if (!/^\/(api|v1)(\/|$)/.test(route)) continue;
    const methods = [...fs.readFileSync(file, "utf8").matchAll(methodExport)].map((match) => match[1]);
    if (methods.length === 0) continue;
    const pattern = new RegExp(`^${route.split("/").map((segment) => (/^\[.+\]$/.test(segment) ? "[^/]+" : escape(segment))).join("/")}/?$`);
    routes.push({ path: route, pattern, methods });
  }
  // /api/collections/x/jobs must match its own route before a [param] sibling could.
  return routes.sort((a, b) => dynamicCount(a.path) - dynamicCount(b.path));
}

/** The methods a path allows (with HEAD for GET, and OPTIONS), or null when no API route has that path. */
export function allowedMethods(routes, pathname) {
  const route = routes.find((candidate) => candidate.pattern.test(pathname));
  if (!route) return null;
  return [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

const escape = (segment) => segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const dynamicCount = (route) => (route.match(/\[/g) ?? []).length;
