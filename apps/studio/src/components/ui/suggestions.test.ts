import { describe, expect, it } from "vitest";
import { matchingSuggestions, suggestionOptions } from "./suggestions";

const languages = suggestionOptions(["en", "en_US", "en_GB", "es", "pt_BR", "fr"]);
const values = (list: { value: string }[]) => list.map((option) => option.value);

describe("matchingSuggestions", () => {
  it("lists every suggestion when nothing is typed or the list was opened rather than typed into", () => {
    expect(values(matchingSuggestions(languages, ""))).toEqual(values(languages));
    expect(values(matchingSuggestions(languages, null))).toEqual(values(languages));
    expect(matchingSuggestions(languages, null, 2)).toHaveLength(2);
  });

  it("keeps the suggestions containing the text, those starting with it first, ignoring case", () => {
    expect(values(matchingSuggestions(languages, "EN"))).toEqual(["en", "en_US", "en_GB"]);
    expect(values(matchingSuggestions(languages, "br"))).toEqual(["pt_BR"]);
    expect(values(matchingSuggestions(languages, "_"))).toEqual(["en_US", "en_GB", "pt_BR"]);
  });

  it("matches labels and keywords, not only values", () => {
    const contacts = [
      { value: "15550001111", label: "Ann Picker (+15550001111)" },
      { value: "15550002222", label: "Bob (+15550002222)", keywords: ["bob@example.com"] },
    ];
    expect(values(matchingSuggestions(contacts, "ann pick"))).toEqual(["15550001111"]);
    expect(values(matchingSuggestions(contacts, "example.com"))).toEqual(["15550002222"]);
  });

  it("shows nothing when the only match is the text itself, or nothing matches", () => {
    expect(matchingSuggestions(languages, "en_US")).toEqual([]);
    expect(matchingSuggestions(languages, "xx")).toEqual([]);
    expect(values(matchingSuggestions(languages, "en"))).toContain("en_US");
  });

  it("offers a value once, with the words it first came with", () => {
    const options = suggestionOptions([
      { value: "15550001111", label: "Ann (+15550001111)" },
      { value: "15550001111", label: "Ann Lee (+15550001111)" },
      "en",
      "en",
    ]);
    expect(options).toEqual([
      { value: "15550001111", label: "Ann (+15550001111)" },
      { value: "en", label: "en" },
    ]);
  });
});
