import { describe, expect, it } from "vitest";
import { serviceUrlProblem } from "../teams/service-url";
import { networkFailure, outcomeOf, retryAfterMs } from "./http-outcome";

describe("platform HTTP outcomes", () => {
  it("reads Retry-After as seconds or an HTTP date, capped", () => {
    const now = Date.parse("2026-12-07T10:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("Mon, 07 Dec 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("86400", now)).toBe(15 * 60_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });

  it("maps statuses: 2xx ok, 429/5xx retryable, 4xx permanent with the platform's message", async () => {
    const options = { platform: "X", describeError: (body: unknown) => (body as { msg?: string })?.msg };
    expect(await outcomeOf(new Response("{}", { status: 200 }), options)).toEqual({ ok: true });
    expect(await outcomeOf(new Response('{"msg":"busy"}', { status: 503 }), options)).toEqual({
      ok: false,
      retryable: true,
      error: "X answered HTTP 503: busy",
    });
    expect(await outcomeOf(new Response('{"msg":"no"}', { status: 403 }), options)).toEqual({
      ok: false,
      retryable: false,
      error: "X answered HTTP 403: no",
    });
  });

  it("treats a refused destination as permanent and a network failure as retryable", () => {
    const blocked = new TypeError("fetch failed", {
      cause: Object.assign(new Error("refused to contact 10.0.0.1"), { code: "BLOCKED_DESTINATION" }),
    });
    expect(networkFailure("X", blocked)).toEqual({
      ok: false,
      retryable: false,
      error: "X could not be reached: refused to contact 10.0.0.1",
    });
    expect(
      networkFailure("X", new TypeError("fetch failed", { cause: new Error("ECONNREFUSED") })),
    ).toMatchObject({ retryable: true, error: "X could not be reached: ECONNREFUSED" });
  });
});

describe("Teams serviceUrl allowlist", () => {
  it("allows Bot Connector hosts over https and operator-listed hosts", () => {
    expect(serviceUrlProblem("https://smba.trafficmanager.net/amer/", [])).toBeUndefined();
    expect(serviceUrlProblem("https://europe.webchat.botframework.com/", [])).toBeUndefined();
    expect(serviceUrlProblem("http://smba.trafficmanager.net/amer/", [])).toContain("not https");
    expect(serviceUrlProblem("https://evil.example/", [])).toContain("not a Bot Framework connector host");
    expect(serviceUrlProblem("https://trafficmanager.net.evil.example/", [])).toBeDefined();
    expect(serviceUrlProblem("http://127.0.0.1:3978/", ["127.0.0.1:3978"])).toBeUndefined();
    expect(serviceUrlProblem("http://127.0.0.1:3979/", ["127.0.0.1:3978"])).toBeDefined();
    expect(serviceUrlProblem("http://10.1.2.3/", ["10.0.0.0/8"])).toBeUndefined();
    expect(serviceUrlProblem("http://connector.internal/", ["connector.internal"])).toBeUndefined();
  });
});
