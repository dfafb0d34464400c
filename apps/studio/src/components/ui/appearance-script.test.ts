import { describe, expect, it } from "vitest";
import { APPEARANCE_KEY, APPEARANCE_SCRIPT } from "./appearance-script";

/** Runs the head script against a stored choice and a system preference; returns the <html> it left. */
function run(stored: string | null, systemDark: boolean) {
  const classes = new Set<string>(["light"]);
  const root = {
    classList: {
      add: (name: string) => classes.add(name),
      remove: (...names: string[]) => {
        for (const name of names) classes.delete(name);
      },
    },
    style: { colorScheme: "" },
  };
  const localStorage = { getItem: (key: string) => (key === APPEARANCE_KEY ? stored : null) };
  const matchMedia = (query: string) => ({ matches: query.includes("dark") && systemDark });
  new Function("localStorage", "matchMedia", "document", APPEARANCE_SCRIPT)(localStorage, matchMedia, {
    documentElement: root,
  });
  return { classes: [...classes], colorScheme: root.style.colorScheme };
}

describe("the appearance script run before the first paint", () => {
  it("follows the system when nothing is stored", () => {
    expect(run(null, true)).toEqual({ classes: ["dark"], colorScheme: "dark" });
    expect(run(null, false)).toEqual({ classes: ["light"], colorScheme: "light" });
  });

  it("keeps the stored choice over the system's", () => {
    expect(run("light", true)).toEqual({ classes: ["light"], colorScheme: "light" });
    expect(run("dark", false)).toEqual({ classes: ["dark"], colorScheme: "dark" });
  });

  it("never throws (storage refused in a private window): the page keeps its default", () => {
    const refuse = () => {
      throw new Error("SecurityError");
    };
    expect(() =>
      new Function("localStorage", "matchMedia", "document", APPEARANCE_SCRIPT)(
        { getItem: refuse },
        refuse,
        {},
      ),
    ).not.toThrow();
  });
});
