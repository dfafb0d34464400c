import { VARIABLE_PATH_PATTERN } from "../common";

/** Literal text of a template. */
export interface TemplateTextPart {
  readonly type: "text";
  readonly text: string;
}

/** A `{{ path }}` placeholder. */
export interface TemplatePathPart {
  readonly type: "path";
  /** The dotted path, trimmed (`order.items.0.name`). */
  readonly path: string;
  /** The path split on dots (`["order", "items", "0", "name"]`). */
  readonly segments: readonly string[];
  /** Offset of `{{` in the source. */
  readonly start: number;
  /** Offset just after `}}` in the source. */
  readonly end: number;
}

/** A piece of a parsed template. */
export type TemplatePart = TemplateTextPart | TemplatePathPart;

/** A malformed placeholder. It is kept as literal text, so rendering never fails. */
export interface TemplateSyntaxError {
  readonly message: string;
  /** Offset of the offending `{{` in the source. */
  readonly start: number;
}

/** The result of `parseTemplate`. */
export interface ParsedTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  readonly errors: readonly TemplateSyntaxError[];
}

const OPEN = "{{";
const CLOSE = "}}";

/**
 * Parses a template: literal text with `{{ path }}` placeholders, where `path` is a variable
 * path (`name`, `order.size`, `items.0.title`, `sys.channel`). Whitespace inside the braces is
 * ignored. There is no code, no filters and no escaping.
 *
 * Malformed placeholders (`{{ }}`, `{{ a b }}`, `{{ $x }}`, an unclosed `{{`) are reported in
 * `errors` and kept as literal text in `parts`.
 */
export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: TemplateSyntaxError[] = [];
  let text = "";
  let cursor = 0;

  while (cursor < source.length) {
    const open = source.indexOf(OPEN, cursor);
    if (open === -1) break;
    const close = source.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) {
      errors.push({ message: `unclosed "{{" at offset ${open}`, start: open });
      break;
    }
    text += source.slice(cursor, open);
    const end = close + CLOSE.length;
    const path = source.slice(open + OPEN.length, close).trim();
    if (VARIABLE_PATH_PATTERN.test(path)) {
      if (text) parts.push({ type: "text", text });
      text = "";
      parts.push({ type: "path", path, segments: path.split("."), start: open, end });
    } else {
      errors.push({
        message: path
          ? `"${source.slice(open, end)}" at offset ${open} is not a variable path such as {{ order.size }}`
          : `empty placeholder "{{}}" at offset ${open}`,
        start: open,
      });
      text += source.slice(open, end);
    }
    cursor = end;
  }
  text += source.slice(cursor);
  if (text) parts.push({ type: "text", text });
  return { source, parts, errors };
}

/**
 * The distinct variable paths a template reads, in order of first appearance
 * (`"Hi {{ name }}, {{ order.size }} {{name}}"` gives `["name", "order.size"]`).
 */
export function templateVariablePaths(template: string | ParsedTemplate): string[] {
  const parsed = typeof template === "string" ? parseTemplate(template) : template;
  const paths = new Set<string>();
  for (const part of parsed.parts) if (part.type === "path") paths.add(part.path);
  return [...paths];
}
