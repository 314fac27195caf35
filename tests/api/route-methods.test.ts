import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module of the production server, without type declarations
import { allowedMethods, readRouteMethods } from "../../scripts/route-methods.mjs";

type Route = { path: string; pattern: RegExp; methods: string[] };
const routes = readRouteMethods(path.join(process.cwd(), "app")) as Route[];
const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

describe("the methods table the production server answers 405 and OPTIONS from", () => {
  it("lists exactly the methods each route module exports", async () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const module = (await import(`@/app${route.path}/route`)) as Record<string, unknown>;
      expect(route.methods.slice().sort(), route.path).toEqual(httpMethods.filter((method) => typeof module[method] === "function").sort());
    }
  }, 120_000);

  it("matches concrete paths to their route, dynamic segments included", () => {
    expect(allowedMethods(routes, "/api/collections/Xq3/documents/12")).toEqual(["DELETE", "OPTIONS"]);
    expect(allowedMethods(routes, "/api/explorations/abc/fork")).toEqual(["POST", "OPTIONS"]);
    expect(allowedMethods(routes, "/api/collections")).toEqual(["POST", "OPTIONS"]);
    expect(allowedMethods(routes, "/api/nothing-here")).toBeNull();
    expect(allowedMethods(routes, "/s/abc")).toBeNull();
  });
});
