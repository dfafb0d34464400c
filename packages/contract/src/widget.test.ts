import { describe, expect, it } from "vitest";
import { sanitizeWidgetTheme, widgetThemeSchema } from "./widget";

describe("widget theme", () => {
  it("accepts the studio's fields", () => {
    const theme = {
      primaryColor: "#3b5bdb",
      primaryTextColor: "white",
      title: "Pizza Palace",
      avatarUrl: "https://cdn.example.com/a.png",
      position: "bottom-left",
      fontFamily: "Inter, system-ui, sans-serif",
      colorScheme: "dark",
    };
    expect(widgetThemeSchema.parse(theme)).toEqual(theme);
  });

  it("refuses values that could escape a CSS declaration or load a script", () => {
    expect(widgetThemeSchema.safeParse({ primaryColor: "red; background: url(x)" }).success).toBe(false);
    expect(widgetThemeSchema.safeParse({ fontFamily: "x}body{display:none" }).success).toBe(false);
    expect(widgetThemeSchema.safeParse({ avatarUrl: "javascript:alert(1)" }).success).toBe(false);
  });

  it("keeps valid stored fields and drops invalid or unknown ones", () => {
    expect(
      sanitizeWidgetTheme({ title: "Hi", primaryColor: "red; x", position: "middle", unknown: 1 }),
    ).toEqual({ title: "Hi" });
    expect(sanitizeWidgetTheme(null)).toEqual({});
    expect(sanitizeWidgetTheme("theme")).toEqual({});
  });
});
