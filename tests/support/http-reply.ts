/** A reply read whole, for end-to-end tests: status, headers, body text, and the body as JSON (null for an HTML page). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function readReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // an HTML page
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls `attempt` every 200 ms until it returns true; throws, with the last error, once `seconds` pass. */
export async function pollUntil(what: string, seconds: number, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await attempt()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${seconds} s${last ? ` (last: ${(last as Error).message})` : ""}`);
}
