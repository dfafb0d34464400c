import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeLinkUrl } from "./markdown";

describe("parseMarkdown", () => {
  it("parses bold, italics, code and links inside paragraphs", () => {
    expect(parseInline("**Big** and *small* `x` [docs](https://example.com/d)")).toEqual([
      { type: "strong", children: [{ type: "text", text: "Big" }] },
      { type: "text", text: " and " },
      { type: "em", children: [{ type: "text", text: "small" }] },
      { type: "text", text: " " },
      { type: "code", text: "x" },
      { type: "text", text: " " },
      { type: "link", href: "https://example.com/d", children: [{ type: "text", text: "docs" }] },
    ]);
  });

  it("parses bullet and numbered lists", () => {
    expect(parseMarkdown("Menu:\n- one\n- **two**\n\n1. first\n2. second")).toEqual([
      { type: "paragraph", children: [{ type: "text", text: "Menu:" }] },
      {
        type: "list",
        ordered: false,
        items: [
          [{ type: "text", text: "one" }],
          [{ type: "strong", children: [{ type: "text", text: "two" }] }],
        ],
      },
      {
        type: "list",
        ordered: true,
        items: [[{ type: "text", text: "first" }], [{ type: "text", text: "second" }]],
      },
    ]);
  });

  it("keeps raw HTML as literal text", () => {
    expect(parseInline('<img src=x onerror="alert(1)"> <b>hi</b>')).toEqual([
      { type: "text", text: '<img src=x onerror="alert(1)"> <b>hi</b>' },
    ]);
  });

  it("drops links with schemes other than http, https and mailto", () => {
    expect(parseInline("[click](javascript:alert`1`)")).toEqual([{ type: "text", text: "click" }]);
    expect(parseInline("[x](data:text/html,hi)")).toEqual([{ type: "text", text: "x" }]);
    expect(parseInline("[mail](mailto:a@b.example)")).toEqual([
      { type: "link", href: "mailto:a@b.example", children: [{ type: "text", text: "mail" }] },
    ]);
    expect(safeLinkUrl("  JAVASCRIPT:alert(1)")).toBeUndefined();
  });

  it("parses images as image nodes (the renderer decides whether to load them)", () => {
    expect(parseInline("![cat](https://evil.example/cat.png)")).toEqual([
      { type: "image", src: "https://evil.example/cat.png", alt: "cat" },
    ]);
  });

  it("turns bare URLs into links and honours backslash escapes", () => {
    expect(parseInline("see https://example.com/a. \\*not em\\*")).toEqual([
      { type: "text", text: "see " },
      {
        type: "link",
        href: "https://example.com/a",
        children: [{ type: "text", text: "https://example.com/a" }],
      },
      { type: "text", text: ". *not em*" },
    ]);
  });
});
