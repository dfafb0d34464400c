/**
 * Redaction of integration secrets in what a partner sends back. A service that echoes the request
 * may return a credential in any common encoding (a debugging endpoint base64-encodes headers, a
 * URL-encodes a query, hex-dumps a body), so each secret is looked for as itself and as its
 * base64, base64url, URL-encoded, form-encoded, hex and JSON-escaped forms.
 */

/** What replaces a secret. */
export const REDACTED = "[redacted]";

/** Derived forms shorter than this are not redacted (too likely to match unrelated text). */
const MIN_DERIVED_LENGTH = 6;

/**
 * The base64 text that encodes `bytes` wherever they sit in a longer encoded value: base64 maps 3
 * bytes to 4 characters, so there are three alignments; for each, the characters that depend only
 * on `bytes` (not on what comes before or after).
 */
function base64Fragments(bytes: Buffer, alphabet: "base64" | "base64url"): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6);
    fragments.push(encoded.slice(first, last));
  }
  return fragments;
}

/**
 * Every form of `secret` to redact: itself, then its encodings (base64 and base64url in each
 * alignment, percent- and form-encoded, hex in both cases, JSON-escaped).
 * @example
 * secretForms("p@ss word!")
 * // ["p@ss word!", "cEBzcyB3b3JkIQ", ..., "p%40ss%20word!", "p%40ss+word!", "7040737320776f726421", ...]
 */
export function secretForms(secret: string): string[] {
  if (secret === "") return [];
  const bytes = Buffer.from(secret, "utf8");
  const percent = encodeURIComponent(secret);
  const derived = [
    bytes.toString("base64"),
    bytes.toString("base64url"),
    ...base64Fragments(bytes, "base64"),
    ...base64Fragments(bytes, "base64url"),
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (sequence) => sequence.toLowerCase()),
    percent.replace(/%20/g, "+"),
    // RFC 3986 strict (also !'()*) and application/x-www-form-urlencoded (also ~, space as +).
    percent.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`),
    new URLSearchParams({ v: secret }).toString().slice(2),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
    JSON.stringify(secret).slice(1, -1),
  ].filter((form) => form.length >= MIN_DERIVED_LENGTH && form !== secret);
  return [...new Set([secret, ...derived])];
}

/**
 * A redactor for a set of secrets: replaces every occurrence of any of their forms (longest first,
 * so a whole encoded value goes before a fragment of it).
 * @example
 * const redact = secretRedactor(["s3cr3t-token"]);
 * redact(`echo: ${Buffer.from("Bearer s3cr3t-token").toString("base64")}`); // "echo: QmVhcmVy[redacted]"
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  const pattern = new RegExp(forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(pattern, REDACTED);
}
