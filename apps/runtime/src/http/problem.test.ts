import { ServiceError } from "@parley/core";
import { describe, expect, it } from "vitest";
import { problemFor } from "./problem";

describe("problemFor", () => {
  it("answers 503 database-unavailable with Retry-After when Postgres dropped the session (a restart)", () => {
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    expect(problemFor(new Error("turn failed", { cause: shutdown }))).toMatchObject({
      status: 503,
      code: "database-unavailable",
      retryAfterSeconds: 1,
    });
  });

  it("keeps a service error's own status and code", () => {
    expect(
      problemFor(new ServiceError("conflict", "conversation-ended", "the conversation has ended")),
    ).toEqual({
      status: 409,
      code: "conversation-ended",
      detail: "the conversation has ended",
    });
  });

  it("says nothing about the inside of an unknown error", () => {
    expect(problemFor(new Error("secret detail"))).toEqual({
      status: 500,
      code: "internal-error",
      detail: "something went wrong on our side; it has been logged",
    });
  });
});
