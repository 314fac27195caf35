import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The CLI downloads its native schema engine before every command unless one is configured.
// Offline, point it at a stub: generate/validate/format run on the Wasm engine and never call it.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = path.join(import.meta.dirname, "scripts/prisma/offline-schema-engine.sh");
  if (fs.existsSync(stub)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Read directly: prisma/config's env() throws when unset, and the embedded default needs no URL.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
