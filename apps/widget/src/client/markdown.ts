/**
 * A deliberately small, safe markdown subset for bot text: paragraphs, line breaks, bullet and
 * numbered lists, **bold**, *italics*, `code`, [links](https://...) and ![images](https://...).
 * The output is a tree of plain data that the UI renders as DOM nodes; nothing is ever parsed as
 * HTML, so `<img onerror=...>` stays the literal text it is.
 */

/** An inline run of text. */
export type Inline =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "strong" | "em"; readonly children: Inline[] }
  | { readonly type: "code"; readonly text: string }
  | { readonly type: "break" }
  | { readonly type: "link"; readonly href: string; readonly children: Inline[] }
  | { readonly type: "image"; readonly src: string; readonly alt: string };

/** A block of text. */
export type Block =
  | { readonly type: "paragraph"; readonly children: Inline[] }
  | { readonly type: "list"; readonly ordered: boolean; readonly items: Inline[][] };

/** Only these URL schemes become links; anything else (javascript:, data:, ...) stays text. */
const allowedLinkProtocols = new Set(["http:", "https:", "mailto:"]);

/** The URL if it is absolute and uses an allowed scheme, else undefined. */
export function safeLinkUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return allowedLinkProtocols.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL if it is absolute http(s), else undefined: for links that stand in for an image (the
 * image itself was refused), where only a web address makes sense and `javascript:`, `data:` or
 * `mailto:` must never become a clickable href.
 */
export function safeWebUrl(raw: string): string | undefined {
  const url = safeLinkUrl(raw);
  return url && /^https?:/.test(url) ? url : undefined;
}

const listItem = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

/** Parses markdown text into blocks. */
export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: Inline[][] } | undefined;
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ type: "paragraph", children: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: "list", ...list });
    list = undefined;
  };
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    const item = listItem.exec(line);
    if (item) {
      flushParagraph();
      const ordered = item[2] !== undefined;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(parseInline(item[3] ?? ""));
    } else if (line.trim() === "") {
      flushParagraph();
      flushList();
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}

/** Inline tokens, leftmost first: escapes, code, images, links, bold, italics, bare URLs. */
const inlinePattern =
  /\\([\\`*_[\]()!#+\-.])|`([^`\n]+)`|!\[([^\]\n]*)\]\(([^)\s]+)\)|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|\b_([^_\s](?:[^_]*[^_\s])?)_\b|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])|(\n)/gs;

/** Parses one paragraph's inline markup. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last?.type === "text") out[out.length - 1] = { type: "text", text: last.text + text };
    else out.push({ type: "text", text });
  };
  let position = 0;
  for (const match of source.matchAll(inlinePattern)) {
    const index = match.index ?? 0;
    pushText(source.slice(position, index));
    position = index + match[0].length;
    const [
      whole,
      escaped,
      code,
      imageAlt,
      imageSrc,
      linkText,
      linkHref,
      strong1,
      strong2,
      em1,
      em2,
      bare,
      newline,
    ] = match;
    if (escaped !== undefined) pushText(escaped);
    else if (code !== undefined) out.push({ type: "code", text: code });
    else if (imageSrc !== undefined) {
      const src = safeLinkUrl(imageSrc);
      if (src && !src.startsWith("mailto:")) out.push({ type: "image", src, alt: imageAlt ?? "" });
      else pushText(whole);
    } else if (linkHref !== undefined) {
      const href = safeLinkUrl(linkHref);
      if (href) out.push({ type: "link", href, children: parseInline(linkText ?? "") });
      else pushText(linkText ?? "");
    } else if (strong1 !== undefined || strong2 !== undefined)
      out.push({ type: "strong", children: parseInline(strong1 ?? strong2 ?? "") });
    else if (em1 !== undefined || em2 !== undefined)
      out.push({ type: "em", children: parseInline(em1 ?? em2 ?? "") });
    else if (bare !== undefined) {
      const href = safeLinkUrl(bare);
      if (href) out.push({ type: "link", href, children: [{ type: "text", text: bare }] });
      else pushText(bare);
    } else if (newline !== undefined) out.push({ type: "break" });
  }
  pushText(source.slice(position));
  return out;
}
