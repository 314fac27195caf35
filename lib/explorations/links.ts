import { publicOrigin } from "../api/public-origin";
import { readConfig } from "../config";
import { warningsField } from "../embeddings/readability";
import type { CreatedExploration } from "./service";

/** Public read-only link of an exploration. */
export function shareUrl(origin: string, slug: string): string {
  return `${origin}/s/${slug}`;
}

/**
 * Link that opens the exploration for editing. The key rides in the fragment, which browsers never
 * send to the server: it stays out of access logs and Referer headers.
 */
export function editUrl(origin: string, slug: string, editKey: string): string {
  return `${origin}/s/${slug}/edit#key=${encodeURIComponent(editKey)}`;
}

/** The 201 reply to creating or forking: links, the edit key (shown this once) and the exploration. */
export function createdExplorationResponse(request: Request, { exploration, editKey, warnings }: CreatedExploration): Response {
  const config = readConfig();
  const origin = publicOrigin(request, { publicUrl: config.PUBLIC_URL, trustedProxyHops: config.TRUSTED_PROXY_HOPS });
  return Response.json(
    {
      slug: exploration.slug,
      editKey,
      url: shareUrl(origin, exploration.slug),
      editUrl: editUrl(origin, exploration.slug, editKey),
      exploration,
      ...warningsField(warnings),
    },
    { status: 201 },
  );
}
