import { AppError } from "./errors";

/** The key from `Authorization: Bearer <key>`, or null when the header is absent. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new AppError("unauthorized:authorization", 'The Authorization header must read "Bearer <key>".', {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  return match[1];
}
