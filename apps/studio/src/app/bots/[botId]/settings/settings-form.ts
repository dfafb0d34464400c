import { type BotView, updateBotInputSchema, widgetThemeSchema } from "@parley/contract";
import type { FieldPath } from "react-hook-form";
import { z } from "zod";
import { listText } from "../../../../components/ui/form-controls";
import type { ThemeForm } from "../../../../components/widget-preview";

/*
 * The bot settings form (name, description, allowed origins, widget theme), checked with the
 * contract's own schemas: the bot's fields from the update input, the theme from the widget's.
 */

/** The theme fields the studio edits (the widget's defaults cover the rest). */
const editedTheme = widgetThemeSchema.pick({
  primaryColor: true,
  title: true,
  greeting: true,
  position: true,
  colorScheme: true,
  avatarUrl: true,
  fontFamily: true,
});

/** The origins of the text typed, one per line (commas tolerated), blanks dropped. */
export function originLines(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** The allowed origins, typed one per line, as the contract's list (bad lines named in one problem). */
const originsText = listText(originLines, updateBotInputSchema.shape.allowedOrigins.unwrap());

/** The settings form: what it holds is typed (origins as text), what it gives is the update's `changes`. */
export const botSettingsForm = z.object({
  name: updateBotInputSchema.shape.name.unwrap(),
  description: updateBotInputSchema.shape.description.unwrap(),
  allowedOrigins: originsText,
  widgetTheme: editedTheme,
});
/** What the settings form holds. */
export type BotSettingsValues = z.input<typeof botSettingsForm>;
/** The theme as the form holds it (an emptied text field is absent: the widget's default). */
export type EditedTheme = z.input<typeof editedTheme>;

/** The colour proposed for a bot whose theme has none (the picker's start). */
export const DEFAULT_COLOR = "#2251cc";

/** A stored theme's value of one field, when it is a string (older studios may have stored anything). */
function text(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The form's values for a bot: its settings, the theme's colour and title proposed when unset. */
export function botSettingsValuesOf(
  bot: Pick<BotView, "name" | "description" | "allowedOrigins" | "widgetTheme">,
): BotSettingsValues {
  const theme = bot.widgetTheme;
  return {
    name: bot.name,
    description: bot.description,
    allowedOrigins: bot.allowedOrigins.join("\n"),
    widgetTheme: {
      primaryColor: text(theme, "primaryColor") ?? DEFAULT_COLOR,
      title: text(theme, "title") ?? "Chat with us",
      greeting: text(theme, "greeting"),
      position: theme.position === "bottom-left" ? "bottom-left" : "bottom-right",
      colorScheme: theme.colorScheme === "dark" || theme.colorScheme === "auto" ? theme.colorScheme : "light",
      avatarUrl: text(theme, "avatarUrl"),
      fontFamily: text(theme, "fontFamily"),
    },
  };
}

/** The theme as stored: absent fields are left out, so the widget uses its defaults for them. */
export function storedTheme(theme: EditedTheme): Record<string, string> {
  return Object.fromEntries(
    Object.entries(theme).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

const THEME_FIELDS = new Set(Object.keys(editedTheme.shape));

/**
 * The form field that shows a server problem: paths of the update's input (`changes.name`) or of
 * core's (`name`); every origin's problem (`allowedOrigins.1`) is the origins field's. `undefined`
 * for the rest (the banner's).
 */
export function botSettingsFieldOf(path: string): FieldPath<BotSettingsValues> | undefined {
  const bare = path.replace(/^changes\./, "");
  if (bare === "name" || bare === "description") return bare;
  if (bare === "allowedOrigins" || bare.startsWith("allowedOrigins.")) return "allowedOrigins";
  const [part, field] = bare.split(".");
  return part === "widgetTheme" && field && THEME_FIELDS.has(field)
    ? (`widgetTheme.${field}` as FieldPath<BotSettingsValues>)
    : undefined;
}

/** The theme the live preview draws: an absent colour is the proposed one, absent texts are empty. */
export function previewThemeOf(theme: EditedTheme): ThemeForm {
  return {
    primaryColor: theme.primaryColor ?? DEFAULT_COLOR,
    title: theme.title ?? "",
    greeting: theme.greeting ?? "",
    position: theme.position ?? "bottom-right",
    colorScheme: theme.colorScheme ?? "light",
    avatarUrl: theme.avatarUrl ?? "",
    fontFamily: theme.fontFamily ?? "",
  };
}
