import MarkdownIt, { type Token } from "markdown-it";

/**
 * Markdown (CommonMark plus ~~strike~~, as bots write it) rewritten for messaging platforms that have their own small
 * dialect or none. Parsed with markdown-it rather than regexes so nesting, code spans and escapes are
 * read the way the widget's renderer reads them.
 */
const parser = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** Inline marks of a dialect; `undefined` drops the mark (plain text). */
interface Dialect {
  bold?: string;
  italic?: string;
  strike?: string;
  code?: string;
  /** Fenced/indented code blocks. */
  block?: string;
}

/** WhatsApp: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```block``` ````. */
const whatsapp: Dialect = { bold: "*", italic: "_", strike: "~", code: "`", block: "```" };
/** No formatting at all (Messenger shows text as typed). */
const plain: Dialect = {};

/** Markdown as WhatsApp formats it (links become `text (url)`, headings bold, lists `- ` / `1. `). */
export function markdownToWhatsApp(markdown: string): string {
  return render(markdown, whatsapp);
}

/** Markdown as plain text (links become `text (url)`), for platforms without formatting (Messenger). */
export function markdownToPlainText(markdown: string): string {
  return render(markdown, plain);
}

function render(markdown: string, dialect: Dialect): string {
  const tokens = parser.parse(markdown, {});
  const blocks: { text: string; listItem: boolean }[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let line = "";
  let inHeading = false;
  let listStarts = false;
  for (const token of tokens) {
    switch (token.type) {
      case "heading_open":
        inHeading = true;
        break;
      case "heading_close":
        inHeading = false;
        blocks.push({ text: line, listItem: false });
        line = "";
        break;
      case "paragraph_close":
        // An item continues the list above it (one newline); a list's first item starts a new block.
        blocks.push({ text: line, listItem: lists.length > 0 && !listStarts });
        listStarts = false;
        line = "";
        break;
      case "bullet_list_open":
        lists.push({ ordered: false, next: 1 });
        listStarts = lists.length === 1;
        break;
      case "ordered_list_open":
        lists.push({ ordered: true, next: Number(token.attrGet("start") ?? 1) });
        listStarts = lists.length === 1;
        break;
      case "bullet_list_close":
      case "ordered_list_close":
        lists.pop();
        break;
      case "list_item_open": {
        const list = lists.at(-1);
        const indent = "  ".repeat(Math.max(0, lists.length - 1));
        line = `${indent}${list?.ordered ? `${list.next++}. ` : "- "}`;
        break;
      }
      case "inline": {
        const text = inline(token.children ?? [], dialect);
        line += inHeading && dialect.bold ? wrap(text, dialect.bold) : text;
        break;
      }
      case "fence":
      case "code_block": {
        const code = token.content.replace(/\n$/, "");
        blocks.push({
          text: dialect.block ? `${dialect.block}${code}${dialect.block}` : code,
          listItem: false,
        });
        break;
      }
      case "hr":
        blocks.push({ text: "---", listItem: false });
        break;
      default:
        break;
    }
  }
  let out = "";
  blocks.forEach((block, index) => {
    if (index === 0) out = block.text;
    else out += `${block.listItem ? "\n" : "\n\n"}${block.text}`;
  });
  return out.trim();
}

function wrap(text: string, mark: string): string {
  // A mark around surrounding spaces does not format on WhatsApp: keep the spaces outside.
  const match = /^(\s*)(.*?)(\s*)$/s.exec(text);
  if (!match || match[2] === "") return text;
  return `${match[1]}${mark}${match[2]}${mark}${match[3]}`;
}

function inline(tokens: Token[], dialect: Dialect): string {
  let out = "";
  const stack: { mark?: string; start: number; href?: string }[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "text":
        out += token.content;
        break;
      case "softbreak":
      case "hardbreak":
        out += "\n";
        break;
      case "code_inline":
        out += dialect.code ? `${dialect.code}${token.content}${dialect.code}` : token.content;
        break;
      case "strong_open":
        stack.push({ ...(dialect.bold ? { mark: dialect.bold } : {}), start: out.length });
        break;
      case "em_open":
        stack.push({ ...(dialect.italic ? { mark: dialect.italic } : {}), start: out.length });
        break;
      case "s_open":
        stack.push({ ...(dialect.strike ? { mark: dialect.strike } : {}), start: out.length });
        break;
      case "link_open":
        stack.push({ start: out.length, href: token.attrGet("href") ?? "" });
        break;
      case "strong_close":
      case "em_close":
      case "s_close":
      case "link_close": {
        const open = stack.pop();
        if (!open) break;
        const inner = out.slice(open.start);
        let replaced = open.mark ? wrap(inner, open.mark) : inner;
        if (open.href !== undefined && open.href !== "" && open.href !== inner)
          replaced = `${inner} (${open.href})`;
        out = out.slice(0, open.start) + replaced;
        break;
      }
      case "image":
        out += token.attrGet("src") ?? "";
        break;
      default:
        out += token.content;
    }
  }
  return out;
}
