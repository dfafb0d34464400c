import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createFlow,
  publishFlow,
  type ServiceContext,
  sendMessage,
  startConversation,
} from "@parley/core";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  readRepoJson,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * The Analytics tab and the designer's drop-off overlay, in Debian's Chromium: conversations run
 * through the seeded bot's pizza flow (through core, on the stack's database); the tab shows their
 * KPIs, counts a new conversation live, exports CSV; the canvas overlay shows per node how many
 * entered and per edge the share that took it.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;
let infra: Infrastructure;
let dataDir: string;
let ctx: ServiceContext;
let flowId: string;

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: false });
  dataDir = mkdtempSync(join(tmpdir(), "parley-e2e-analytics-"));
  infra = await createInfrastructure({ dataDir, withQueue: false });
  const deps = { db: stack.db.db, infra } as CoreDeps;
  const [bot] = await stack.db.db.system.$queryRawUnsafe<{ tenant_id: string }[]>(
    "SELECT tenant_id FROM bots WHERE id = $1",
    stack.botId,
  );
  ctx = { deps, tenantId: bot!.tenant_id, actor: { type: "system", label: "e2e" } };
  const flow = await createFlow(ctx, {
    botId: stack.botId,
    document: readRepoJson("examples/flows/pizza-order.json") as Record<string, unknown>,
  });
  await publishFlow(ctx, flow.id, {});
  flowId = flow.id;
  // Two orders placed, one stopped at the size question.
  for (const size of ["large", "small"]) {
    const { conversationId } = await startConversation(ctx, stack.botId, {});
    await sendMessage(ctx, conversationId, { text: "Ann" });
    await sendMessage(ctx, conversationId, { choice: size });
    await sendMessage(ctx, conversationId, { text: "+1 555 123 4567" });
  }
  const { conversationId } = await startConversation(ctx, stack.botId, {});
  await sendMessage(ctx, conversationId, { text: "Bob" });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await infra?.close();
  await stack?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("analytics", () => {
  it("shows the bot's KPIs, counts a new conversation live and exports CSV", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/analytics`);
      await page.waitForSelector("[data-testid='kpi-conversations']");
      expect(await page.getAttribute("nav.bot-tabs a[aria-current='page']", "href")).toBe(
        `/bots/${stack.botId}/analytics`,
      );
      await expect.poll(() => page.textContent("[data-testid='kpi-conversations'] .kpi-value")).toBe("3");
      expect(await page.textContent("[data-testid='kpi-completionRate'] .kpi-value")).toBe("66.7%");
      await page.waitForSelector("[data-testid='timeseries-chart'] svg");
      expect(await page.textContent("[data-testid='by-channel']")).toContain("api");

      // Live: a conversation started now shows up without reloading (refetch every few seconds).
      await startConversation(ctx, stack.botId, {});
      await expect
        .poll(() => page.textContent("[data-testid='kpi-conversations'] .kpi-value"), { timeout: 15_000 })
        .toBe("4");

      // Compare to the previous period adds the change under each KPI.
      await page.check("text=Compare to previous period");
      await page.waitForSelector("[data-testid='kpi-conversations'] .kpi-delta");

      const download = page.waitForEvent("download");
      await page.click("[data-testid='export-summary']");
      const file = await download;
      expect(file.suggestedFilename()).toBe("analytics-summary.csv");
    });
  }, 120_000);

  it("overlays drop-off on the canvas: visits per node, share per edge", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/flows/${flowId}`);
      await page.waitForSelector("[data-testid='analytics-toggle']");
      await page.check("[data-testid='analytics-toggle']");
      const askSize = page.locator("[data-testid='analytics-node-ask-size']");
      await expect.poll(() => askSize.textContent()).toContain("3 in");
      expect(await askSize.textContent()).toContain("next 2");
      expect(await page.textContent("[data-testid='analytics-node-order-placed']")).toContain("end 2");
      expect(await page.textContent("[data-testid='analytics-edge-check-size:large:large-bonus']")).toBe(
        "50%",
      );
      expect(await page.textContent("[data-testid='analytics-summary']")).toContain("4 conversations on v1");
    });
  }, 120_000);
});
