/** Where sign-in goes when `next` is missing or not a path of this studio. */
export const DEFAULT_AFTER_SIGN_IN = "/bots";

/**
 * The page to open after sign-in: `next` only when it is a path on this studio's own origin,
 * otherwise {@link DEFAULT_AFTER_SIGN_IN}. The URL parser decides (as the browser will when it
 * navigates), so backslashes, `//host`, schemes and whitespace tricks cannot lead elsewhere.
 * @example
 * safeNextPath("/bots/b1?tab=flows", "https://studio.example") // "/bots/b1?tab=flows"
 * safeNextPath("/\\evil.example", "https://studio.example")    // "/bots"
 */
export function safeNextPath(next: string | null | undefined, origin: string): string {
  if (!next) return DEFAULT_AFTER_SIGN_IN;
  // A single leading slash followed by a path character: no "//", "/\", scheme or control characters
  // (the URL parser strips tabs and newlines, so "/\t/evil" would otherwise become "//evil").
  if (!isPlainPath(next) || !isPlainPath(decoded(next))) return DEFAULT_AFTER_SIGN_IN;
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (target.origin !== new URL(origin).origin) return DEFAULT_AFTER_SIGN_IN;
  return `${target.pathname}${target.search}${target.hash}`;
}

/**
 * One leading slash and no backslash or control character. Checked on the raw and the decoded
 * value: a server or router that decodes `%5C` or `%2F` once must not find `/\host` or `//host`.
 */
function isPlainPath(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path) || path.includes("\\")) return false;
  // Control characters (tabs and newlines included), which URL parsers strip or choke on.
  return ![...path].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "\\"; // undecodable: refused
  }
}
