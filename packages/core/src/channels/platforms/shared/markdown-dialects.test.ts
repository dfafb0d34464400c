import { describe, expect, it } from "vitest";
import { markdownToPlainText, markdownToWhatsApp } from "./markdown-dialects";

describe("markdown dialects", () => {
  it("rewrites CommonMark to WhatsApp's marks", () => {
    expect(markdownToWhatsApp("Hello **Ada**, _welcome_ to ~~old~~ `code`")).toBe(
      "Hello *Ada*, _welcome_ to ~old~ `code`",
    );
    expect(markdownToWhatsApp("# Title\n\nSee [the docs](https://example.com).")).toBe(
      "*Title*\n\nSee the docs (https://example.com).",
    );
    expect(markdownToWhatsApp("Steps:\n\n1. one\n2. **two**\n\n- a\n- b")).toBe(
      "Steps:\n\n1. one\n2. *two*\n\n- a\n- b",
    );
  });

  it("drops every mark for plain-text platforms", () => {
    expect(markdownToPlainText("Hello **Ada**, _welcome_ [here](https://x.test)")).toBe(
      "Hello Ada, welcome here (https://x.test)",
    );
  });
});
