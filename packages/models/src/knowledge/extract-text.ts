import { Parser } from "htmlparser2";
import MarkdownIt, { type Token } from "markdown-it";
import { extractText as extractPdfText, getDocumentProxy } from "unpdf";
import { z } from "zod";

/** Formats a knowledge document can be uploaded in (mirrors the database enum, minus `url`). */
export const documentFormatSchema = z.enum(["text", "markdown", "html", "pdf"]);
/** Formats a knowledge document can be uploaded in. */
export type DocumentFormat = z.infer<typeof documentFormatSchema>;

/** A stretch of a document's text with where it came from (for citations). */
export interface TextSection {
  text: string;
  /** The nearest heading above it (Markdown/HTML), if any. */
  heading?: string;
  /** 1-based page (PDF). */
  page?: number;
}

/** Plain text of a document, in sections. */
export interface ExtractedDocument {
  /** Title found in the document (HTML `<title>`, first Markdown `#` heading, PDF metadata). */
  title?: string;
  sections: TextSection[];
}

/** The document could not be read. */
export class DocumentExtractionError extends Error {
  override readonly name = "DocumentExtractionError";
}

const BLOCK_TAGS = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "li",
  "ul",
  "ol",
  "table",
  "tr",
  "td",
  "th",
  "br",
  "hr",
  "blockquote",
  "pre",
  "main",
  "aside",
  "nav",
  "dd",
  "dt",
  "figcaption",
]);
const HEADING = /^h[1-6]$/;
const SKIPPED_TAGS = new Set(["script", "style", "noscript", "template", "svg", "head"]);

function extractHtml(html: string): ExtractedDocument {
  const sections: TextSection[] = [];
  let title: string | undefined;
  let heading: string | undefined;
  let buffer = "";
  let headingBuffer: string | undefined;
  let inTitle = false;
  let skipDepth = 0;
  const flush = () => {
    const text = buffer
      .replace(/[ \t\f\v\u00a0]+/g, " ")
      .replace(/ *\n */g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    if (text) sections.push({ text, ...(heading ? { heading } : {}) });
    buffer = "";
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_TAGS.has(name)) {
          if (name === "head") return; // <title> lives in <head>; other head content has no text
          skipDepth++;
          return;
        }
        if (name === "title") inTitle = true;
        else if (HEADING.test(name)) {
          flush();
          headingBuffer = "";
        } else if (BLOCK_TAGS.has(name)) buffer += "\n\n";
      },
      ontext(text) {
        if (skipDepth > 0) return;
        if (inTitle) title = `${title ?? ""}${text}`;
        else if (headingBuffer !== undefined) headingBuffer += text;
        else buffer += text;
      },
      onclosetag(name) {
        if (SKIPPED_TAGS.has(name)) {
          if (name !== "head") skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (name === "title") inTitle = false;
        else if (HEADING.test(name) && headingBuffer !== undefined) {
          heading = headingText(headingBuffer) || heading;
          if (heading) buffer += `${heading}\n\n`;
          headingBuffer = undefined;
        } else if (BLOCK_TAGS.has(name)) buffer += "\n\n";
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const cleanTitle = title === undefined ? undefined : headingText(title);
  return { ...(cleanTitle ? { title: cleanTitle } : {}), sections };
}

/**
 * Markdown is read with markdown-it (a CommonMark parser whose block and inline rules are linear
 * scans, hardened against pathological input), not with hand-written regexes: `# a` followed by
 * thousands of spaces made the previous heading pattern backtrack cubically.
 */
const markdownParser = new MarkdownIt({ html: false, linkify: false });

/** Longest heading or title kept (a heading is copied into every chunk under it, and titles are listed). */
const MAX_HEADING_CHARACTERS = 200;

/** A heading or title as stored: whitespace runs collapsed, at most {@link MAX_HEADING_CHARACTERS}. */
function headingText(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_HEADING_CHARACTERS).trim();
}

/** Plain text of an inline token: text, code spans, image alt texts; markup dropped. */
function inlineText(token: Token): string {
  return (token.children ?? [])
    .map((child) => {
      if (child.type === "text" || child.type === "code_inline") return child.content;
      if (child.type === "image") return child.content;
      if (child.type === "softbreak" || child.type === "hardbreak") return "\n";
      return "";
    })
    .join("");
}

function extractMarkdown(markdown: string): ExtractedDocument {
  const sections: TextSection[] = [];
  let title: string | undefined;
  let heading: string | undefined;
  let blocks: string[] = [];
  const flush = () => {
    const text = blocks
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    if (text) sections.push({ text, ...(heading ? { heading } : {}) });
    blocks = [];
  };
  const tokens = markdownParser.parse(markdown, {});
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.type === "heading_open") {
      const inline = tokens[index + 1];
      const full = inline?.type === "inline" ? inlineText(inline) : "";
      const text = headingText(full);
      flush();
      heading = text || heading;
      if (!title && token.tag === "h1" && text) title = text;
      if (full.trim()) blocks.push(full.trim());
      index += 2; // inline, heading_close
    } else if (token.type === "inline") {
      blocks.push(inlineText(token));
    } else if (token.type === "fence" || token.type === "code_block") {
      blocks.push(token.content.replace(/\n$/, ""));
    } else if (token.type === "paragraph_close" && token.level === 0) {
      blocks.push("");
    }
  }
  flush();
  return { ...(title ? { title } : {}), sections };
}

async function extractPdf(bytes: Uint8Array): Promise<ExtractedDocument> {
  try {
    // pdf.js may detach the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await extractPdfText(pdf, { mergePages: false });
    const pages = Array.isArray(text) ? text : [text];
    let title: string | undefined;
    try {
      const metadata = await pdf.getMetadata();
      const info = metadata.info as { Title?: unknown } | undefined;
      if (typeof info?.Title === "string" && info.Title.trim()) title = info.Title.trim();
    } catch {
      // metadata is optional
    }
    const sections = pages
      .map((page, index) => ({ text: page.replace(/[ \t]+/g, " ").trim(), page: index + 1 }))
      .filter((section) => section.text !== "");
    return { ...(title ? { title } : {}), sections };
  } catch (error) {
    throw new DocumentExtractionError(
      `the PDF could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Plain text of a document. Text and Markdown/HTML come as strings (bytes are decoded as UTF-8);
 * PDF comes as bytes (pdf.js through `unpdf`, fully offline).
 */
export async function extractDocumentText(
  format: DocumentFormat,
  content: string | Uint8Array,
): Promise<ExtractedDocument> {
  const asText = () => (typeof content === "string" ? content : new TextDecoder().decode(content));
  switch (format) {
    case "text":
      return { sections: [{ text: asText().replace(/\r\n?/g, "\n").trim() }].filter((s) => s.text !== "") };
    case "markdown":
      return extractMarkdown(asText());
    case "html":
      return extractHtml(asText());
    case "pdf":
      if (typeof content === "string")
        throw new DocumentExtractionError("a PDF must be given as bytes, not a string");
      return extractPdf(content);
  }
}
