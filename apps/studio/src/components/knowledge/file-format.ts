/** Formats the knowledge base indexes (mirrors @parley/models' documentFormatSchema). */
export type UploadFormat = "text" | "markdown" | "html" | "pdf";

const BY_EXTENSION: Record<string, UploadFormat> = {
  txt: "text",
  text: "text",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  pdf: "pdf",
};

/** The file types the upload input offers. */
export const ACCEPTED_FILES =
  ".txt,.md,.markdown,.html,.htm,.pdf,text/plain,text/markdown,text/html,application/pdf";

/** The format of an uploaded file by its extension, then its MIME type; undefined when unsupported. */
export function formatOfFile(name: string, mimeType: string): UploadFormat | undefined {
  const extension = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension && BY_EXTENSION[extension]) return BY_EXTENSION[extension];
  if (/^application\/pdf\b/i.test(mimeType)) return "pdf";
  if (/^text\/html\b/i.test(mimeType)) return "html";
  if (/^text\/(x-)?markdown\b/i.test(mimeType)) return "markdown";
  if (/^text\//i.test(mimeType)) return "text";
  return undefined;
}

/** The URLs of a pasted list: one per line (or separated by spaces or commas), blanks ignored. */
export function urlsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((url) => url.trim())
    .filter(Boolean);
}

/** Byte size for people: 812 B, 14.2 KB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
