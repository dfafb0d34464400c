import type { AskInput } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { describeAskInput } from "./describe-input";
import { parseAnswer } from "./parse-answer";

const text = (value: string) => ({ text: value });

describe("parseAnswer", () => {
  it("trims text and enforces length bounds", () => {
    expect(parseAnswer({ type: "text", minLength: 2, maxLength: 5 }, text("  Ada "))).toEqual({
      ok: true,
      value: "Ada",
    });
    expect(parseAnswer({ type: "text", minLength: 2 }, text("A")).ok).toBe(false);
    expect(parseAnswer({ type: "text", maxLength: 3 }, text("Abcd")).ok).toBe(false);
    expect(parseAnswer({ type: "text" }, text("   ")).ok).toBe(false);
  });

  it("reads numbers written by people, with integer and range checks", () => {
    const number = { type: "number", integer: false } as const;
    expect(parseAnswer(number, text("42"))).toEqual({ ok: true, value: 42 });
    expect(parseAnswer(number, text("-3,5"))).toEqual({ ok: true, value: -3.5 });
    expect(parseAnswer(number, text("1,234.5"))).toEqual({ ok: true, value: 1234.5 });
    expect(parseAnswer(number, text("1.234,5"))).toEqual({ ok: true, value: 1234.5 });
    expect(parseAnswer(number, text("1 000"))).toEqual({ ok: true, value: 1000 });
    expect(parseAnswer(number, text("twelve")).ok).toBe(false);
    expect(parseAnswer({ type: "number", integer: true }, text("2.5")).ok).toBe(false);
    expect(parseAnswer({ type: "number", integer: false, min: 1, max: 10 }, text("11")).ok).toBe(false);
    expect(parseAnswer({ type: "number", integer: false, min: 1, max: 10 }, text("10"))).toEqual({
      ok: true,
      value: 10,
    });
  });

  it("accepts e-mail addresses and lower-cases their domain", () => {
    expect(parseAnswer({ type: "email" }, text(" Ada.Lovelace@Example.COM "))).toEqual({
      ok: true,
      value: "Ada.Lovelace@example.com",
    });
    for (const bad of ["ada", "ada@", "@example.com", "ada@example", "ada @example.com"]) {
      expect(parseAnswer({ type: "email" }, text(bad)).ok, bad).toBe(false);
    }
  });

  it("normalises phone numbers to E.164", () => {
    expect(parseAnswer({ type: "phone", defaultCountry: "US" }, text("(555) 123-4567"))).toEqual({
      ok: true,
      value: "+15551234567",
    });
    expect(parseAnswer({ type: "phone", defaultCountry: "US" }, text("1 555 123 4567"))).toEqual({
      ok: true,
      value: "+15551234567",
    });
    expect(parseAnswer({ type: "phone", defaultCountry: "GB" }, text("020 7946 0958"))).toEqual({
      ok: true,
      value: "+442079460958",
    });
    expect(parseAnswer({ type: "phone" }, text("+49 30 1234567"))).toEqual({
      ok: true,
      value: "+49301234567",
    });
    expect(parseAnswer({ type: "phone" }, text("0049 30 1234567"))).toEqual({
      ok: true,
      value: "+49301234567",
    });
    expect(parseAnswer({ type: "phone" }, text("555 123 4567")).ok).toBe(false);
    expect(parseAnswer({ type: "phone", defaultCountry: "US" }, text("call me maybe")).ok).toBe(false);
    expect(parseAnswer({ type: "phone", defaultCountry: "US" }, text("12345")).ok).toBe(false);
  });

  it("reads unambiguous dates and rejects impossible or out-of-range ones", () => {
    const date = { type: "date" } as const;
    for (const [input, iso] of [
      ["2025-01-31", "2025-01-31"],
      ["2025/1/31", "2025-01-31"],
      ["31.01.2025", "2025-01-31"],
      ["31 January 2025", "2025-01-31"],
      ["Jan 31, 2025", "2025-01-31"],
      ["1st March 2024", "2024-03-01"],
      ["31/01/2025", "2025-01-31"],
      ["01/31/2025", "2025-01-31"],
      ["2024-02-29", "2024-02-29"],
    ]) {
      expect(parseAnswer(date, text(input!)), input).toEqual({ ok: true, value: iso });
    }
    expect(parseAnswer(date, text("2025-02-29")).ok).toBe(false);
    expect(parseAnswer(date, text("02/03/2025")).ok).toBe(false);
    expect(parseAnswer(date, text("tomorrow")).ok).toBe(false);
    expect(parseAnswer({ type: "date", min: "2025-01-01" }, text("2024-12-31")).ok).toBe(false);
    expect(parseAnswer({ type: "date", max: "2025-01-01" }, text("2025-01-01")).ok).toBe(true);
  });

  const sizes: AskInput = {
    type: "choice",
    multiple: false,
    options: [
      { id: "s", label: "Small", value: "small" },
      { id: "m", label: "Medium" },
      { id: "l", label: "Large", value: "large" },
    ],
  };

  it("matches a single choice by label, value, id or position", () => {
    expect(parseAnswer(sizes, text("small"))).toEqual({ ok: true, value: "small" });
    expect(parseAnswer(sizes, text("LARGE"))).toEqual({ ok: true, value: "large" });
    expect(parseAnswer(sizes, text("medium"))).toEqual({ ok: true, value: "Medium" });
    expect(parseAnswer(sizes, text("2"))).toEqual({ ok: true, value: "Medium" });
    expect(parseAnswer(sizes, { values: ["large"] })).toEqual({ ok: true, value: "large" });
    expect(parseAnswer(sizes, text("huge")).ok).toBe(false);
    expect(parseAnswer(sizes, text("4")).ok).toBe(false);
    expect(parseAnswer(sizes, { values: ["small", "large"] }).ok).toBe(false);
  });

  it("matches several choices and saves them in option order", () => {
    const toppings: AskInput = { ...(sizes as Extract<AskInput, { type: "choice" }>), multiple: true };
    expect(parseAnswer(toppings, text("large, small"))).toEqual({ ok: true, value: ["small", "large"] });
    expect(parseAnswer(toppings, text("Small and Medium"))).toEqual({ ok: true, value: ["small", "Medium"] });
    expect(parseAnswer(toppings, { values: ["large", "small", "large"] })).toEqual({
      ok: true,
      value: ["small", "large"],
    });
    expect(parseAnswer(toppings, text("small, pepperoni")).ok).toBe(false);
  });
});

describe("describeAskInput", () => {
  it("tells clients which control to show and what is valid", () => {
    expect(describeAskInput(sizesInput())).toEqual({
      kind: "choice",
      hint: "one of: Small, Large",
      choices: [
        { label: "Small", value: "small" },
        { label: "Large", value: "Large" },
      ],
      multiple: false,
    });
    expect(describeAskInput({ type: "number", integer: true, min: 1, max: 10 }).hint).toBe(
      "a whole number between 1 and 10",
    );
    expect(describeAskInput({ type: "text", minLength: 1, maxLength: 80 }).hint).toBe(
      "a text of at most 80 characters",
    );
    expect(describeAskInput({ type: "phone" }).hint).toContain("country code");
  });
});

function sizesInput() {
  return {
    type: "choice" as const,
    multiple: false,
    options: [
      { id: "s", label: "Small", value: "small" },
      { id: "l", label: "Large" },
    ],
  };
}
