import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ensureWidgetBuilt, renderDemoPage, widgetScriptPath } from "./index";

describe("renderDemoPage", () => {
  const html = renderDemoPage({
    botId: "bot_1",
    publishableKey: "pk_live_1",
    runtimeUrl: "http://localhost:4000/",
  });

  it("embeds the widget with the one-tag snippet", () => {
    expect(html).toContain(
      '<script src="http://localhost:4000/widget.js" data-bot-id="bot_1" data-key="pk_live_1" data-mode="bubble" async></script>',
    );
  });

  it("sets a strict Content-Security-Policy without unsafe-inline", () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(csp).toContain("default-src &#39;none&#39;");
    expect(csp).toContain("script-src http://localhost:4000");
    expect(csp).toContain("connect-src http://localhost:4000");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("escapes what it interpolates", () => {
    const hostile = renderDemoPage({
      botId: '"><script>x</script>',
      publishableKey: "pk",
      runtimeUrl: "http://a.test",
    });
    expect(hostile).not.toContain("<script>x</script>");
  });
});

describe("ensureWidgetBuilt", () => {
  it("returns the path of an up-to-date bundle that defines window.Parley", async () => {
    const path = await ensureWidgetBuilt();
    expect(path).toBe(widgetScriptPath);
    expect(statSync(path).size).toBeGreaterThan(1000);
    const code = readFileSync(path, "utf8");
    expect(code).toContain("Parley");
    // Types only from the contract: no zod or xstate inside the bundle.
    expect(code).not.toMatch(/ZodError|xstate/);
  });
});
