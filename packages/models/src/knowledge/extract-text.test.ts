import { describe, expect, it } from "vitest";
import { makePdf } from "../test-support/pdf-fixture";
import { chunkSections } from "./chunk-text";
import { DocumentExtractionError, extractDocumentText } from "./extract-text";

describe("extractDocumentText", () => {
  it("reads Markdown into sections under their headings, without markup", async () => {
    const doc = await extractDocumentText(
      "markdown",
      "# Returns guide\n\nIntro with **bold** and a [link](https://x.test).\n\n## Refunds\n\n- Refunds take *five* days.\n\n```\ncode stays\n```\n",
    );
    expect(doc.title).toBe("Returns guide");
    expect(doc.sections.map((s) => s.heading)).toEqual(["Returns guide", "Refunds"]);
    expect(doc.sections[0]?.text).toContain("Intro with bold and a link.");
    expect(doc.sections[1]?.text).toContain("Refunds take five days.");
    expect(doc.sections[1]?.text).toContain("code stays");
  });

  it("reads HTML text and title, dropping scripts and styles and decoding entities", async () => {
    const doc = await extractDocumentText(
      "html",
      "<html><head><title>Shop &amp; Co</title><style>p{color:red}</style></head><body>" +
        "<script>alert('x')</script><h1>Delivery</h1><p>We ship in 2&ndash;3 days.</p><p>Free over &euro;50.</p></body></html>",
    );
    expect(doc.title).toBe("Shop & Co");
    const text = doc.sections.map((s) => s.text).join("\n");
    expect(text).toContain("We ship in 2–3 days.");
    expect(text).toContain("Free over €50.");
    expect(text).not.toContain("alert");
    expect(text).not.toContain("color:red");
    expect(doc.sections.at(-1)?.heading).toBe("Delivery");
  });

  it("reads a PDF's pages and title offline", async () => {
    const pdf = makePdf(
      [["Warranty terms (2026)", "Devices carry a two year warranty."], ["Page two text."]],
      "Warranty",
    );
    const doc = await extractDocumentText("pdf", pdf);
    expect(doc.title).toBe("Warranty");
    expect(doc.sections).toHaveLength(2);
    expect(doc.sections[0]).toMatchObject({ page: 1 });
    expect(doc.sections[0]?.text).toContain("Devices carry a two year warranty.");
    expect(doc.sections[1]).toMatchObject({ page: 2, text: "Page two text." });
  });

  it("rejects a broken PDF with a clear error", async () => {
    await expect(extractDocumentText("pdf", new TextEncoder().encode("not a pdf"))).rejects.toThrow(
      DocumentExtractionError,
    );
  });
});

describe("chunkSections", () => {
  const sentence = (n: number) => `Sentence number ${n} talks about topic ${n}.`;
  const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(" ");

  it("cuts at sentence ends within the size, with overlap, covering all text", () => {
    const chunks = chunkSections([{ text, heading: "H" }], { size: 300, overlap: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(300);
      expect(chunk.heading).toBe("H");
    }
    for (const [index, chunk] of chunks.slice(0, -1).entries()) {
      expect(chunk.content.endsWith(".")).toBe(true);
      // The next chunk starts inside this one (overlap), at a word boundary.
      const next = chunks[index + 1];
      expect(next?.offset).toBeLessThan(chunk.offset + chunk.content.length);
      expect(next?.offset).toBeGreaterThan(chunk.offset);
    }
    for (let n = 0; n < 60; n++)
      expect(chunks.some((chunk) => chunk.content.includes(sentence(n)))).toBe(true);
  });

  it("keeps short sections whole and numbers chunks across sections", () => {
    const chunks = chunkSections([{ text: "One." }, { text: "Two.", page: 2 }]);
    expect(chunks.map((c) => [c.ordinal, c.content, c.page])).toEqual([
      [0, "One.", undefined],
      [1, "Two.", 2],
    ]);
  });
});

describe("Markdown extraction on hostile input", () => {
  // `# a` + 4,000 spaces + `b` took 18 s with the old heading regex (cubic backtracking). The
  // parser is linear: these complete, and the result is checked rather than the time.
  const payloads = [
    ["heading with 4,000 spaces", `# a${" ".repeat(4_000)}b`],
    ["heading with 200,000 spaces", `# a${" ".repeat(200_000)}b`],
    ["heading ending in spaces and hashes", `# a${" #".repeat(50_000)} b`],
    ["unclosed emphasis runs", `x ${"**a ".repeat(50_000)}`],
    ["unclosed link brackets", `${"![[".repeat(50_000)}`],
    ["unclosed code spans", `${"`a ".repeat(50_000)}`],
  ] as const;

  for (const [name, markdown] of payloads) {
    it(`reads ${name} (${markdown.length} characters)`, async () => {
      const doc = await extractDocumentText("markdown", markdown);
      const text = doc.sections.map((section) => section.text).join("\n");
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(markdown.length);
    });
  }

  it("keeps the heading's words of the 4,000-space payload", async () => {
    const doc = await extractDocumentText("markdown", `# a${" ".repeat(4_000)}b`);
    expect(doc.title).toBe("a b");
    expect(doc.sections[0]?.heading).toBe("a b");
  });

  it("caps headings and titles (each chunk carries its heading)", async () => {
    const doc = await extractDocumentText("markdown", `# x ${"**a ".repeat(100_000)}\n\nBody text.`);
    expect(doc.title?.length).toBeLessThanOrEqual(200);
    expect(doc.sections.every((section) => (section.heading?.length ?? 0) <= 200)).toBe(true);
    expect(doc.sections.map((section) => section.text).join("\n")).toContain("Body text.");
  });
});
