import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { clientAddress, socketAddressHeader } from "@/lib/api/client-address";

const request = (headers: Record<string, string>) => new Request("http://localhost/api/embed", { headers });

describe("clientAddress(request, { trustedProxyHops })", () => {
  it("with no proxy, is the socket's address whatever X-Forwarded-For claims", () => {
    const spoofed = request({ [socketAddressHeader]: "203.0.113.7", "x-forwarded-for": "198.51.100.1, 198.51.100.2" });
    expect(clientAddress(spoofed, { trustedProxyHops: 0 })).toBe("203.0.113.7");
  });

  it("behind one trusted proxy, is the address that proxy appended, not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the client's real address.
    const viaProxy = request({ [socketAddressHeader]: "10.0.0.2", "x-forwarded-for": "1.1.1.1, 203.0.113.7" });
    expect(clientAddress(viaProxy, { trustedProxyHops: 1 })).toBe("203.0.113.7");
  });

  it("behind two proxies, steps two entries to the left of the socket", () => {
    const twice = request({ [socketAddressHeader]: "10.0.0.3", "x-forwarded-for": "1.1.1.1, 203.0.113.7, 10.0.0.2" });
    expect(clientAddress(twice, { trustedProxyHops: 2 })).toBe("203.0.113.7");
  });

  it("with fewer forwarded entries than trusted hops, takes the leftmost there is", () => {
    const short = request({ [socketAddressHeader]: "10.0.0.2" });
    expect(clientAddress(short, { trustedProxyHops: 3 })).toBe("10.0.0.2");
  });

  it("reads the header the production server writes (scripts/serve.mjs names it too)", () => {
    expect(fs.readFileSync("scripts/serve.mjs", "utf8")).toContain(`const socketAddressHeader = "${socketAddressHeader}";`);
  });

  it("without the socket header (next dev), falls back to the first X-Forwarded-For entry", () => {
    expect(clientAddress(request({ "x-forwarded-for": "198.51.100.1, 10.0.0.1" }), { trustedProxyHops: 0 })).toBe("198.51.100.1");
    expect(clientAddress(request({}), { trustedProxyHops: 0 })).toBe("unknown");
  });
});
