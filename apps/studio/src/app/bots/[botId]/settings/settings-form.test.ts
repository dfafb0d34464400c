import { describe, expect, it } from "vitest";
import { formErrorMap } from "../../../../components/ui/form-controls";
import {
  type BotSettingsValues,
  botSettingsFieldOf,
  botSettingsForm,
  botSettingsValuesOf,
  previewThemeOf,
  storedTheme,
} from "./settings-form";

/** The form's problems by field path, in the words the form shows (its resolver's error map). */
function problemsOf(values: BotSettingsValues): Record<string, string> {
  const result = botSettingsForm.safeParse(values, { error: formErrorMap });
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]),
  );
}

const bot = {
  name: "Pizza",
  description: "Orders",
  allowedOrigins: ["https://shop.example.com"],
  widgetTheme: { title: "Hi", avatarUrl: "", fontFamily: 3, colorScheme: "dark" },
};

describe("bot settings form", () => {
  it("holds a bot's settings, proposing the colour and title its theme lacks and leaving bad stored values out", () => {
    expect(botSettingsValuesOf(bot)).toEqual({
      name: "Pizza",
      description: "Orders",
      allowedOrigins: "https://shop.example.com",
      widgetTheme: {
        primaryColor: "#2251cc",
        title: "Hi",
        greeting: undefined,
        position: "bottom-right",
        colorScheme: "dark",
        avatarUrl: undefined,
        fontFamily: undefined,
      },
    });
  });

  it("gives the update's changes: origins as the contract's list, the theme without absent fields", () => {
    const values = botSettingsValuesOf(bot);
    const parsed = botSettingsForm.parse({
      ...values,
      name: "  Pizza shop ",
      allowedOrigins: "https://a.example.com\n\n http://localhost:3000, https://b.example.com",
    });
    expect(parsed.name).toBe("Pizza shop");
    expect(parsed.allowedOrigins).toEqual([
      "https://a.example.com",
      "http://localhost:3000",
      "https://b.example.com",
    ]);
    expect(storedTheme(parsed.widgetTheme)).toEqual({
      primaryColor: "#2251cc",
      title: "Hi",
      position: "bottom-right",
      colorScheme: "dark",
    });
  });

  it("names every bad origin in one problem of the origins field, and checks the theme with the widget's schema", () => {
    const values = botSettingsValuesOf(bot);
    expect(
      problemsOf({
        ...values,
        name: " ",
        allowedOrigins: "https://ok.example.com\nshop.example.com\nhttps://x.example.com/path",
        widgetTheme: {
          ...values.widgetTheme,
          avatarUrl: "ftp://x/a.png",
          primaryColor: "red;}",
          fontFamily: "a{b}",
        },
      }),
    ).toEqual({
      name: "is required",
      allowedOrigins:
        "shop.example.com, https://x.example.com/path: an origin like https://shop.example.com (no path)",
      "widgetTheme.primaryColor": "must be a CSS color such as #3b5bdb, rgb(59 91 219) or teal",
      "widgetTheme.avatarUrl": "must be an http(s) URL",
      "widgetTheme.fontFamily": "must be a font-family list such as Inter, system-ui, sans-serif",
    });
    expect(problemsOf({ ...values, allowedOrigins: "" })).toEqual({});
  });

  it("puts the server's problems on the fields (input paths and core's), the rest on the banner", () => {
    expect(botSettingsFieldOf("changes.name")).toBe("name");
    expect(botSettingsFieldOf("description")).toBe("description");
    expect(botSettingsFieldOf("changes.allowedOrigins.3")).toBe("allowedOrigins");
    expect(botSettingsFieldOf("allowedOrigins")).toBe("allowedOrigins");
    expect(botSettingsFieldOf("changes.widgetTheme.avatarUrl")).toBe("widgetTheme.avatarUrl");
    expect(botSettingsFieldOf("widgetTheme.subtitle")).toBeUndefined();
    expect(botSettingsFieldOf("changes.settings.x")).toBeUndefined();
  });

  it("previews absent theme fields as the widget shows them", () => {
    expect(previewThemeOf({ title: "Hi" })).toEqual({
      primaryColor: "#2251cc",
      title: "Hi",
      greeting: "",
      position: "bottom-right",
      colorScheme: "light",
      avatarUrl: "",
      fontFamily: "",
    });
  });
});
