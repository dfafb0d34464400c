import { describe, expect, it } from "vitest";
import { knowledgeDocumentsInputSchema } from "./knowledge";
import { updateBudgetInputSchema, updateProviderInputSchema } from "./models";

describe("knowledge upload body", () => {
  it("takes exactly one of text, url or urls, naming the field otherwise", () => {
    expect(knowledgeDocumentsInputSchema.safeParse({ text: "hi", mediaType: "text/markdown" }).success).toBe(
      true,
    );
    expect(knowledgeDocumentsInputSchema.safeParse({ urls: ["https://a.example/x"] }).success).toBe(true);
    const both = knowledgeDocumentsInputSchema.safeParse({ text: "hi", url: "https://a.example/" });
    expect(both.success ? [] : both.error.issues.map((issue) => issue.path.join("."))).toEqual(["text"]);
    const none = knowledgeDocumentsInputSchema.safeParse({});
    expect(none.success ? [] : none.error.issues.map((issue) => issue.path.join("."))).toEqual(["text"]);
    const pdf = knowledgeDocumentsInputSchema.safeParse({ text: "%PDF", mediaType: "application/pdf" });
    expect(pdf.success ? [] : pdf.error.issues.map((issue) => issue.path.join("."))).toEqual(["mediaType"]);
    const file = knowledgeDocumentsInputSchema.safeParse({ urls: ["file:///etc/passwd"] });
    expect(file.success ? [] : file.error.issues.map((issue) => issue.path.join("."))).toEqual(["urls.0"]);
  });
});

describe("model settings changes", () => {
  it("refuses unknown fields and lets null remove a base URL, key or downgrade route", () => {
    expect(updateProviderInputSchema.safeParse({ baseUrl: null, apiKey: null }).success).toBe(true);
    expect(updateProviderInputSchema.safeParse({ id: "x" }).success).toBe(false);
    expect(updateBudgetInputSchema.safeParse({ downgradeRoute: null }).success).toBe(true);
    expect(updateBudgetInputSchema.safeParse({ botId: "other" }).success).toBe(false);
  });
});
