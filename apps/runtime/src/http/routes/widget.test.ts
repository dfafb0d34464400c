import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildRuntimeServer } from "../server";

const dir = mkdtempSync(join(tmpdir(), "parley-widget-routes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("widget routes", () => {
  it("serves /widget.js and a /demo page for the demo file's bot", async () => {
    const demoFile = join(dir, "demo.json");
    writeFileSync(
      demoFile,
      JSON.stringify({ botId: "bot-123", publishableKey: `pk_${"a".repeat(40)}`, tenantId: "t" }),
    );
    const app = buildRuntimeServer({
      readinessChecks: [],
      logLevel: "silent",
      demoFile,
      runtimeUrl: "http://localhost:4000",
    });
    const script = await app.inject({ method: "GET", url: "/widget.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toContain("javascript");
    expect(script.body.length).toBeGreaterThan(1000);
    const demo = await app.inject({ method: "GET", url: "/demo" });
    expect(demo.statusCode).toBe(200);
    expect(demo.body).toContain('data-bot-id="bot-123"');
    expect(demo.body).toContain("http://localhost:4000/widget.js");
    const chosen = await app.inject({ method: "GET", url: `/demo?botId=other&key=pk_${"b".repeat(40)}` });
    expect(chosen.body).toContain('data-bot-id="other"');
    await app.close();
  }, 60_000);

  it("says what is missing when no demo bot is configured", async () => {
    const app = buildRuntimeServer({ readinessChecks: [], logLevel: "silent" });
    const demo = await app.inject({ method: "GET", url: "/demo" });
    expect(demo.statusCode).toBe(404);
    expect(demo.headers["content-type"]).toContain("application/problem+json");
    expect(demo.json().code).toBe("demo-not-configured");
    await app.close();
  });
});
