import { describe, expect, it } from "vitest";
import { isDark, themeVariables } from "./theme";

describe("themeVariables", () => {
  it("picks readable text on the accent color", () => {
    expect(themeVariables({ primaryColor: "#b3261e" }, false)["--pw-on-primary"]).toBe("#ffffff");
    expect(themeVariables({ primaryColor: "#ffd54f" }, false)["--pw-on-primary"]).toBe("#111827");
    expect(
      themeVariables({ primaryColor: "#ffd54f", primaryTextColor: "#000" }, false)["--pw-on-primary"],
    ).toBe("#000");
  });

  it("lightens a dark accent used as text on the dark background", () => {
    const variables = themeVariables({ primaryColor: "#b3261e" }, true);
    expect(variables["--pw-primary"]).toBe("#b3261e");
    expect(variables["--pw-primary-strong"]).toBe("#dd9d9a");
  });

  it("uses the bot's font and follows the visitor's preference in auto mode", () => {
    expect(themeVariables({ fontFamily: "Georgia, serif" }, false)["--pw-font"]).toBe("Georgia, serif");
    expect(isDark({ colorScheme: "auto" }, true)).toBe(true);
    expect(isDark({ colorScheme: "auto" }, false)).toBe(false);
    expect(isDark({ colorScheme: "light" }, true)).toBe(false);
    expect(isDark({ colorScheme: "dark" }, false)).toBe(true);
  });
});
