import type { WidgetTheme } from "../client/types";

/** Theme used when the bot has none (colors meet WCAG AA on their backgrounds). */
export const defaultTheme = {
  primaryColor: "#2251cc",
  title: "Chat with us",
  position: "bottom-right",
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  colorScheme: "light",
} as const satisfies WidgetTheme;

/** Relative luminance of a `#rgb`/`#rrggbb` color, or undefined for other notations. */
function luminance(color: string): number | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
  const channels = [0, 2, 4].map((offset) => {
    const value = Number.parseInt(full.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (channels[0] ?? 0) + 0.7152 * (channels[1] ?? 0) + 0.0722 * (channels[2] ?? 0);
}

/** `color` mixed with white (`amount` 0..1) as `#rrggbb`; other notations come back unchanged. */
function lighten(color: string, amount: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
  return `#${[0, 2, 4]
    .map((offset) => {
      const value = Number.parseInt(full.slice(offset, offset + 2), 16);
      return Math.round(value + (255 - value) * amount)
        .toString(16)
        .padStart(2, "0");
    })
    .join("")}`;
}

/** Whether the dark palette applies. */
export function isDark(theme: WidgetTheme, prefersDark: boolean): boolean {
  return theme.colorScheme === "dark" || (theme.colorScheme === "auto" && prefersDark);
}

/** CSS custom properties carrying the theme into the stylesheet (set through CSSOM, so CSP-safe). */
export function themeVariables(theme: WidgetTheme, dark: boolean): Record<string, string> {
  const primary = theme.primaryColor ?? defaultTheme.primaryColor;
  const light = luminance(primary);
  const onPrimary = theme.primaryTextColor ?? (light !== undefined && light > 0.45 ? "#111827" : "#ffffff");
  // Text in the accent color must stay readable on the window background.
  const strong = dark && light !== undefined && light < 0.3 ? lighten(primary, 0.55) : primary;
  return {
    "--pw-primary": primary,
    "--pw-on-primary": onPrimary,
    "--pw-primary-strong": strong,
    "--pw-link": dark
      ? light !== undefined && light < 0.3
        ? lighten(primary, 0.55)
        : "#9db8ff"
      : light !== undefined && light < 0.3
        ? primary
        : "#1d4ed8",
    "--pw-font": theme.fontFamily ?? defaultTheme.fontFamily,
  };
}
