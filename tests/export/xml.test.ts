import { describe, expect, it } from "vitest";
import { escapeXml, formatNumber } from "@/lib/export/xml";

describe("xml", () => {
  it("escapeXml escapes the five XML specials", () => {
    expect(escapeXml(`<script>alert("x") & 'y'</script>`)).toBe("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
  });

  it("escapeXml drops control characters XML 1.0 forbids but keeps tab, newlines and unicode", () => {
    expect(escapeXml("a\u0000b\u0007c\td\ne 🐱")).toBe("abc\td\ne 🐱");
  });

  it("formatNumber rounds to 2 decimals by default, without trailing zeros or -0", () => {
    expect(formatNumber(1.005)).toBe("1");
    expect(formatNumber(183.6363)).toBe("183.64");
    expect(formatNumber(12)).toBe("12");
    expect(formatNumber(-0.001)).toBe("0");
    expect(formatNumber(Math.PI, 4)).toBe("3.1416");
  });
});
