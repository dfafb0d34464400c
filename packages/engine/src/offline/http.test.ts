import { describe, expect, it } from "vitest";
import { createMemoryHttp } from "./http";

const signal = new AbortController().signal;
const get = (url: string) => ({ method: "GET" as const, url, headers: {} });

describe("in-memory HTTP", () => {
  it("answers from the first matching fixture and records requests", async () => {
    const http = createMemoryHttp([
      { method: "GET", url: "https://api.example.com/users/*", body: { id: 1 } },
      { url: "https://api.example.com/text", body: "plain", status: 202 },
    ]);
    expect(await http.request(get("https://api.example.com/users/1?x=y"), { signal })).toEqual({
      status: 200,
      headers: { "content-type": "application/json" },
      body: '{"id":1}',
    });
    expect(await http.request(get("https://api.example.com/text"), { signal })).toMatchObject({
      status: 202,
      body: "plain",
    });
    expect(http.requests.map((request) => request.url)).toEqual([
      "https://api.example.com/users/1?x=y",
      "https://api.example.com/text",
    ]);
  });

  it("answers 404 for unknown URLs, never touching the network", async () => {
    const response = await createMemoryHttp().request(get("https://example.com/"), { signal });
    expect(response.status).toBe(404);
    expect(response.body).toContain("no fixture");
  });

  it("stops a delayed response when aborted", async () => {
    const controller = new AbortController();
    const pending = createMemoryHttp([{ url: "https://slow.example", delayMs: 10_000 }]).request(
      get("https://slow.example"),
      {
        signal: controller.signal,
      },
    );
    controller.abort(new Error("gone"));
    await expect(pending).rejects.toThrow("gone");
  });
});
