import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    // Real models and real databases: loading USE-lite or creating a PGlite cluster takes seconds.
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: "forks",
    // Two cores: more workers only make the Wasm database and TF.js fight over them.
    maxWorkers: 2,
  },
});
