import { describe, expect, it } from "vitest";
import { publicOrigin } from "@/lib/api/public-origin";

const request = (headers: Record<string, string>, url = "http://localhost:3901/api/explorations") => new Request(url, { headers });

describe("the origin of links in API replies", () => {
  it("follows the Host the client reached, not the server's bind address", () => {
    expect(publicOrigin(request({ host: "127.0.0.1:3901" }), { trustedProxyHops: 0 })).toBe("http://127.0.0.1:3901");
    expect(publicOrigin(request({ host: "Notebook.Example.org" }), { trustedProxyHops: 0 })).toBe("http://notebook.example.org");
    expect(publicOrigin(request({ host: "[::1]:3901" }), { trustedProxyHops: 0 })).toBe("http://[::1]:3901");
  });

  it("takes X-Forwarded-Host and -Proto only behind trusted proxies, from the nearest one", () => {
    const proxied = request({ host: "127.0.0.1:3901", "x-forwarded-host": "evil.example, notebook.example.org", "x-forwarded-proto": "http, https" });
    expect(publicOrigin(proxied, { trustedProxyHops: 0 })).toBe("http://127.0.0.1:3901");
    expect(publicOrigin(proxied, { trustedProxyHops: 1 })).toBe("https://notebook.example.org");
  });

  it("ignores a header that is not a plain host[:port], and a protocol other than http(s)", () => {
    for (const bad of ["a b", "x.org/path", "x.org@y.org", "<script>", "x.org:123456", ""]) {
      expect(publicOrigin(request({ host: bad }), { trustedProxyHops: 0 }), bad).toBe("http://localhost:3901");
    }
    expect(publicOrigin(request({ host: "a.org", "x-forwarded-proto": "javascript" }), { trustedProxyHops: 1 })).toBe("http://a.org");
  });

  it("uses PUBLIC_URL whatever the request says", () => {
    const proxied = request({ host: "127.0.0.1:3901", "x-forwarded-host": "other.org" });
    expect(publicOrigin(proxied, { publicUrl: "https://notebook.example.org/", trustedProxyHops: 1 })).toBe("https://notebook.example.org");
  });
});
