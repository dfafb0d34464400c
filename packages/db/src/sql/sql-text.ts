/**
 * SQL text with values rendered as literals (internal to the data layer).
 *
 * Why literals instead of bind parameters: a whole tenant transaction (context, statements,
 * COMMIT) then travels in ONE simple-protocol message, one round trip. On the embedded server that
 * also means the transaction holds PGlite's single session for one message only. Every value goes
 * through {@link literal}, which quotes strings exactly as libpq's PQescapeLiteral does (doubled
 * quotes, and an E'' string with doubled backslashes when there is a backslash), so the result is
 * safe whatever `standard_conforming_strings` says. Only {@link sql}-built fragments are inlined.
 */

/** A fragment of SQL text; build it with {@link sql}, never from strings. */
export class SqlText {
  /** @internal Use {@link sql}. */
  constructor(readonly text: string) {}
}

const REPLACEMENT = "\uFFFD";

/** Postgres text cannot hold NUL: it is stored as U+FFFD (the same rule for text and JSON). */
function withoutNul(text: string): string {
  return text.includes("\0") ? text.replaceAll("\0", REPLACEMENT) : text;
}

/** `'text'` (or `E'text'` with doubled backslashes); the literal is typed by its context. */
export function quote(text: string): string {
  const clean = withoutNul(text);
  const body = clean.replaceAll("'", "''");
  return clean.includes("\\") ? `E'${body.replaceAll("\\", "\\\\")}'` : `'${body}'`;
}

/** Replaces NUL in every string (and key) of a JSON value; only called when there is one. */
function sanitizeJson(value: unknown): unknown {
  if (typeof value === "string") return withoutNul(value);
  if (Array.isArray(value)) return value.map(sanitizeJson);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        withoutNul(key),
        sanitizeJson(inner),
      ]),
    );
  }
  return value;
}

/** A JSON value as a `jsonb` literal. */
export function jsonLiteral(value: unknown): string {
  let text = JSON.stringify(value ?? null);
  // jsonb refuses the \u0000 escape; only re-serialise in the rare case it is there.
  if (text.includes("\\u0000")) text = JSON.stringify(sanitizeJson(value));
  return `${quote(text)}::jsonb`;
}

/**
 * Renders one value: null/undefined -> NULL, strings quoted, finite numbers and bigints as
 * numbers, booleans, Dates as `timestamptz`, SqlText inline, and any other object or array as
 * `jsonb`.
 * @throws TypeError for a non-finite number, an invalid Date, a function or a symbol
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof SqlText) return value.text;
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} to SQL`);
      return String(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "TRUE" : "FALSE";
    case "object":
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError("cannot write an invalid Date to SQL");
        return `${quote(value.toISOString())}::timestamptz`;
      }
      return jsonLiteral(value);
    default:
      throw new TypeError(`cannot write a ${typeof value} to SQL`);
  }
}

/** Tagged template: `sql\`SELECT ... WHERE id = ${id}\`` with every `${}` rendered by {@link literal}. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlText {
  let text = strings[0] ?? "";
  for (let index = 0; index < values.length; index += 1) {
    text += literal(values[index]) + (strings[index + 1] ?? "");
  }
  return new SqlText(text);
}

/** Joins fragments with `separator` (a constant, e.g. ", "). */
export function joinSql(parts: readonly SqlText[], separator: string): SqlText {
  return new SqlText(parts.map((part) => part.text).join(separator));
}
