import { describe, expect, it } from "vitest";
import { formatBytes, formatOfFile, urlsOf } from "./file-format";

describe("knowledge upload helpers", () => {
  it("tells the format by extension first, then by MIME type", () => {
    expect(formatOfFile("Guide.MD", "")).toBe("markdown");
    expect(formatOfFile("faq.txt", "application/octet-stream")).toBe("text");
    expect(formatOfFile("page.htm", "")).toBe("html");
    expect(formatOfFile("manual.pdf", "")).toBe("pdf");
    expect(formatOfFile("scan", "application/pdf")).toBe("pdf");
    expect(formatOfFile("notes", "text/plain; charset=utf-8")).toBe("text");
    expect(formatOfFile("sheet.xlsx", "application/vnd.ms-excel")).toBeUndefined();
  });

  it("splits a pasted URL list (the contract checks each URL)", () => {
    const urls = urlsOf(" https://a.example/x \n\nhttp://b.example/y, ftp://c.example\nnot a url ");
    expect(urls).toEqual(["https://a.example/x", "http://b.example/y", "ftp://c.example", "not", "a", "url"]);
  });

  it("formats sizes for people", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(14_540)).toBe("14.2 KB");
    expect(formatBytes(3.1 * 1024 * 1024)).toBe("3.1 MB");
  });
});
