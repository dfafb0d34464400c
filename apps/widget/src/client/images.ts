/**
 * Which images the widget may load. Images the bot author put in the flow (image messages, cards,
 * the avatar) load over https. Images inside markdown text (which an LLM or a user-filled variable
 * may have produced) load only from the runtime's origin or origins the bot's config allows;
 * others are shown as a link, so no request leaves for an origin nobody approved.
 */
export interface ImagePolicy {
  /** For authored images (image/card messages, avatar). */
  authored(url: string): string | undefined;
  /** For images written inside markdown text. */
  inText(url: string): string | undefined;
}

/** Builds the image policy for a runtime origin plus the bot's allowed image origins. */
export function createImagePolicy(
  runtimeOrigin: string,
  allowedOrigins: readonly string[] = [],
): ImagePolicy {
  const allowed = new Set([runtimeOrigin, ...allowedOrigins.map((origin) => origin.replace(/\/+$/, ""))]);
  const parse = (raw: string) => {
    try {
      return new URL(raw, runtimeOrigin);
    } catch {
      return undefined;
    }
  };
  return {
    authored(raw) {
      const url = parse(raw);
      if (!url) return undefined;
      return url.protocol === "https:" || allowed.has(url.origin) ? url.href : undefined;
    },
    inText(raw) {
      const url = parse(raw);
      return url && allowed.has(url.origin) ? url.href : undefined;
    },
  };
}
