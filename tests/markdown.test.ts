import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";

describe("renderMarkdown(source)", () => {
  it("renders headings, emphasis, lists, code and links", () => {
    const html = renderMarkdown("# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n[essay](https://example.org)");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">essay</a>');
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>", "<script"],
    ["an image with onerror", '<img src=x onerror="alert(1)">', "<img"],
    ["an inline event handler", '<b onclick="alert(1)">x</b>', "<b "],
    ["an iframe", '<iframe src="https://evil.example"></iframe>', "<iframe"],
  ])("escapes %s instead of rendering it", (_, source, forbidden) => {
    const html = renderMarkdown(source);
    expect(html).not.toContain(forbidden);
    expect(html).toContain("&lt;");
  });

  it.each(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4="])(
    "refuses a %s link",
    (url) => {
      const html = renderMarkdown(`[click](${url})`);
      expect(html).not.toMatch(/href=/);
    },
  );

  it("renders an empty note as nothing", () => {
    expect(renderMarkdown("")).toBe("");
  });
});
