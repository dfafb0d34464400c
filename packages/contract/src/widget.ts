import { z } from "zod";

/**
 * A CSS color the widget may put into a custom property: hex, rgb()/hsl() or a named color. Nothing
 * that could close the declaration (`;`, `}`) or load a resource (`url(`).
 */
const cssColorSchema = z
  .string()
  .max(64)
  .regex(
    /^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\sdeg/]+\)|[a-zA-Z]{3,30})$/,
    "must be a CSS color such as #3b5bdb, rgb(59 91 219) or teal",
  );

/** Per-bot look and feel of the widget, edited in the studio; every field falls back to a default. */
export const widgetThemeSchema = z.object({
  /** Accent color (launcher, header, user bubbles, buttons). */
  primaryColor: cssColorSchema.optional(),
  /** Text color on the accent color. */
  primaryTextColor: cssColorSchema.optional(),
  /** Window title and the launcher's accessible name. */
  title: z.string().max(80).optional(),
  /** A line under the title. */
  subtitle: z.string().max(120).optional(),
  /** Shown at the top of the chat before the bot speaks. */
  greeting: z.string().max(500).optional(),
  /** The bot's avatar image (http or https). */
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
  /** Corner of the launcher and window in bubble mode. */
  position: z.enum(["bottom-right", "bottom-left"]).optional(),
  /** CSS font-family list of fonts the page or the system already has. */
  fontFamily: z
    .string()
    .max(200)
    .regex(/^[\w\s,"'-]+$/, "must be a font-family list such as Inter, system-ui, sans-serif")
    .optional(),
  /** `light`, `dark`, or `auto` (follows the visitor's system preference). */
  colorScheme: z.enum(["light", "dark", "auto"]).optional(),
});
/** Per-bot look and feel of the widget. */
export type WidgetTheme = z.infer<typeof widgetThemeSchema>;

/** `GET /api/v1/widget/bots/{botId}/config`: what the widget needs before it paints. */
export const widgetConfigSchema = z.object({
  theme: widgetThemeSchema,
  /** Origins (e.g. `https://cdn.example.com`) whose images markdown text may load. */
  imageOrigins: z.array(z.string()),
});
/** What the widget needs before it paints. */
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

/**
 * Keeps the valid fields of a stored theme and drops the rest, so one bad value (saved before
 * validation existed, or by an older studio) costs that field its default, not the whole theme.
 */
export function sanitizeWidgetTheme(stored: unknown): WidgetTheme {
  if (typeof stored !== "object" || stored === null) return {};
  const theme: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(widgetThemeSchema.shape)) {
    const parsed = field.safeParse((stored as Record<string, unknown>)[key]);
    if (parsed.success && parsed.data !== undefined) theme[key] = parsed.data;
  }
  return theme as WidgetTheme;
}
