import { describe, expect, it } from "vitest";
import { csrfTokenMatches, csrfTokenOf, sessionCookieHeader, sessionTokenFromCookieHeader } from "./sessions";

describe("session cookies and CSRF tokens", () => {
  it("writes an HTTP-only SameSite cookie, Secure on https, and clears it", () => {
    const expires = new Date("2030-01-01T00:00:00Z");
    const header = sessionCookieHeader("ses_abc", expires, true);
    expect(header).toContain("parley_session=ses_abc");
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Secure");
    expect(header).toContain("Expires=Tue, 01 Jan 2030 00:00:00 GMT");
    expect(sessionCookieHeader(null, null, false)).toBe(
      "parley_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    );
  });

  it("reads the session token among other cookies", () => {
    expect(sessionTokenFromCookieHeader("a=1; parley_session=ses_x; b=2")).toBe("ses_x");
    expect(sessionTokenFromCookieHeader("a=1")).toBeNull();
    expect(sessionTokenFromCookieHeader(null)).toBeNull();
  });

  it("accepts only the token derived from the session's secret", () => {
    const token = csrfTokenOf("secret-1");
    expect(csrfTokenMatches("secret-1", token)).toBe(true);
    expect(csrfTokenMatches("secret-2", token)).toBe(false);
    expect(csrfTokenMatches("secret-1", null)).toBe(false);
  });
});
