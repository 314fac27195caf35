import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { clientAddress, rateLimitKey, socketAddressHeader } from "@/lib/api/client-address";

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

describe("rateLimitKey(address)", () => {
  it("keys an IPv6 client by its /64, however the address is written", () => {
    const key = rateLimitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(rateLimitKey("2001:db8:1:2::1")).toBe(key);
    expect(rateLimitKey("2001:0DB8:0001:0002:0:0:0:ffff")).toBe(key);
    expect(rateLimitKey("2001:db8:1:3::1")).not.toBe(key);
  });

  it("expands :: wherever it stands, and ignores a zone", () => {
    expect(rateLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(rateLimitKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("keeps IPv4 addresses whole, also when a dual-stack socket reports them as IPv6", () => {
    expect(rateLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKey("203.0.113.8")).not.toBe(rateLimitKey("203.0.113.7"));
  });

  it("leaves anything else as its own bucket", () => {
    expect(rateLimitKey("unknown")).toBe("unknown");
    expect(rateLimitKey("not:an:address")).toBe("not:an:address");
  });
});
