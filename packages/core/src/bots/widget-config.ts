import { sanitizeWidgetTheme, type WidgetConfig } from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { loadBot } from "./bots";

/**
 * What the embedded widget needs before it paints: the bot's theme (only valid fields; a bad stored
 * value falls back to the widget's default) and the origins its markdown images may load from
 * (`settings.imageOrigins`). Readable with the bot's publishable key, like the conversation API.
 */
export async function getWidgetConfig(ctx: ServiceContext, botId: string): Promise<WidgetConfig> {
  authorize(ctx, "conversations:read");
  const bot = await loadBot(ctx, botId);
  const settings = (bot.settings ?? {}) as { imageOrigins?: unknown };
  const imageOrigins = Array.isArray(settings.imageOrigins)
    ? settings.imageOrigins.filter(
        (origin): origin is string => typeof origin === "string" && /^https?:\/\/[^/]+$/.test(origin),
      )
    : [];
  return { theme: sanitizeWidgetTheme(bot.widgetTheme), imageOrigins };
}
