import type { KnownWidgetConfig, WidgetConfig } from "./types";

const key = (botId: string) => `parley:${botId}:config`;

/**
 * The bot's widget config as last fetched on this site, so the next page load paints the themed
 * bubble at once (and refreshes the config in the background). Undefined when never fetched.
 */
export function readCachedConfig(botId: string): KnownWidgetConfig | undefined {
  try {
    const raw = localStorage.getItem(key(botId));
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as KnownWidgetConfig)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers the fetched config (an empty object when the runtime has none for the bot). */
export function writeCachedConfig(botId: string, config: WidgetConfig | undefined): void {
  try {
    localStorage.setItem(key(botId), JSON.stringify(config ?? {}));
  } catch {
    // Not cached: the next load waits for the config again.
  }
}
