import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldProblems } from "./validation-issues";

const credential = z.discriminatedUnion("type", [
  z.object({ type: z.literal("bearer"), token: z.string() }),
  z.object({ type: z.literal("basic"), username: z.string(), password: z.string() }),
]);
const body = z.object({
  name: z.string(),
  source: z.union([z.object({ url: z.url() }), z.object({ text: z.string().min(1) })]),
  credentials: credential.optional(),
});

function problemsOf(input: unknown, prefix?: string) {
  const result = body.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  return fieldProblems(result.error.issues, prefix);
}

describe("fieldProblems", () => {
  it("names the closest alternative of a union instead of 'Invalid input'", () => {
    const problems = problemsOf({ name: "a", source: { url: "not a url" } });
    expect(problems).toEqual([{ path: "source.url", message: expect.stringMatching(/URL/i) }]);
  });

  it("keeps plain issues and prefixes their paths", () => {
    expect(problemsOf({ source: { text: "x" } }, "body")).toEqual([
      { path: "body.name", message: expect.stringMatching(/expected string/) },
    ]);
  });

  it("words a problem of the whole input as (body)", () => {
    const result = z.string().safeParse(1);
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldProblems(result.error.issues)[0]?.path).toBe("(body)");
  });

  it("reads a discriminated union member's own problems", () => {
    const problems = problemsOf({
      name: "a",
      source: { text: "t" },
      credentials: { type: "basic", username: "u" },
    });
    expect(problems).toEqual([
      { path: "credentials.password", message: expect.stringMatching(/expected string/) },
    ]);
  });
});
