import { describe, expect, it } from "vitest";
import { askDisplay, refusedAnswerNotice } from "./ask-display";

describe("askDisplay (one wording for widget and test chat)", () => {
  const input = { kind: "email", hint: "an e-mail address, like name@example.com" };

  it("shows the hint once on the first asking", () => {
    expect(askDisplay({ text: "Your e-mail?", attempt: 0, input })).toEqual({
      text: "Your e-mail?",
      hint: "An e-mail address, like name@example.com.",
      notice: undefined,
    });
  });

  it("after a refused answer, one notice carries the hint (not the hint again)", () => {
    expect(askDisplay({ text: "Try again:", attempt: 1, input })).toEqual({
      text: "Try again:",
      hint: undefined,
      notice: "That answer doesn't fit. Expected: an e-mail address, like name@example.com.",
    });
    expect(refusedAnswerNotice(undefined)).toBe("That answer doesn't fit.");
  });
});
