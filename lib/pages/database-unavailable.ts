/*
 * What pages show while the database is unreachable. Plain strings with no imports: proxy.ts sends
 * the page before Next.js renders anything, and app/error.tsx (a client component) reads the digest.
 */

/** Seconds a client is asked to wait before trying again: the same as the API's 503 asks. */
export const databaseRetryAfterSeconds = 5;

/**
 * The digest of the error a page throws when the database is unreachable (app/s/[slug]/load.ts).
 * Next.js sends a server error's digest to the browser, never its message, and keeps a digest the
 * error already has: this is how app/error.tsx knows to say "the database" rather than "something".
 */
export const databaseUnavailableDigest = "unavailable:database";

/** The 503 page (complete HTML, styled inline: the app's stylesheet is one of the build's hashed files). */
export function databaseUnavailablePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Database unavailable · Embeddings notebook</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2328; margin: 0; }
  main { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  a { color: #0b57d0; }
</style>
</head>
<body>
<main>
  <h1>The database is unavailable right now</h1>
  <p>This page is kept in the notebook's database, which the server cannot reach at the moment.
  Nothing saved is lost. Try again in ${databaseRetryAfterSeconds} seconds or so: reload this page.</p>
  <p><a href="">Reload</a> · <a href="/">Home</a></p>
</main>
</body>
</html>
`;
}
