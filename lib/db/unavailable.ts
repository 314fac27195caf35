/**
 * Errors that mean "the database went away", not "the request was wrong". EPIPE: a pooled
 * connection written to after the server closed it (a query sent as PostgreSQL dies); 57P02: the
 * server is restarting after a crash.
 */
const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03", "08006", "08001", "P1001", "P1017"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && unavailableCodes.has(code)) return true;
    if (current instanceof Error && /connection (terminated|refused)|Can't reach database|Query read timeout|timeout exceeded when trying to connect/i.test(current.message)) return true;
  }
  return false;
}
