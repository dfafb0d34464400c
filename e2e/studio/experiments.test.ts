import { type CoreDeps, createFlow, publishFlow, type ServiceContext } from "@parley/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import {
  launchChromium,
  readRepoJson,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * The Experiments tab end to end, in Debian's Chromium: the bot's pizza flow has two published
 * versions; the owner drafts an experiment (an inline error first), starts it, watches live results
 * (chart, figures, significance in words, sample-size hint) update as conversations arrive through
 * the runtime, and promotes a variant through the confirmation dialog.
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;

/** The pizza flow with another greeting (the challenger's version). */
function pizza(greeting?: string): Record<string, unknown> {
  const document = structuredClone(readRepoJson("examples/flows/pizza-order.json")) as {
    nodes: { id: string; data: Record<string, unknown> }[];
  };
  const node = document.nodes.find((candidate) => candidate.id === "greeting");
  if (node && greeting) node.data.text = greeting;
  return document as unknown as Record<string, unknown>;
}

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: true });
  const db = stack.db.db;
  const bot = await db.system.bot.findFirst({ where: { id: stack.botId } });
  if (!bot) throw new Error("the stack's bot is missing");
  // Flows are made with the core functions (only the database is needed for them).
  const owner: ServiceContext = {
    deps: { db } as unknown as CoreDeps,
    tenantId: bot.tenantId,
    actor: { type: "system", label: "e2e" },
  };
  const flow = await createFlow(owner, { botId: bot.id, document: pizza() });
  await publishFlow(owner, flow.id, { note: "original greeting" });
  await db
    .forTenant(bot.tenantId)
    .flow.update({ where: { id: flow.id }, data: { draft: pizza("Hi from B!") as never } });
  await publishFlow(owner, flow.id, { note: "new greeting" });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Starts one widget conversation through the runtime (an anonymous visitor). */
async function visit(): Promise<void> {
  if (!stack.runtimeUrl) return;
  const response = await fetch(`${stack.runtimeUrl}/api/v1/bots/${stack.botId}/conversations`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${stack.publishableKey}`,
      origin: stack.studioUrl,
      "content-type": "application/json",
    },
    body: "{}",
  });
  expect(response.status).toBe(201);
}

describe("experiments page", () => {
  it("drafts, starts, shows live results and promotes a variant", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/experiments`);
      await page.waitForSelector("nav[aria-label='Bot sections'] >> text=Experiments");
      await page.waitForSelector("form[aria-label='New experiment']");
      expect(await page.textContent("main")).toContain("No experiments yet.");

      // Inline errors before anything is sent (the contract's schema, checked in the browser).
      await page.fill("#weight-challenger", "0");
      await page.click("form[aria-label='New experiment'] button[type=submit]");
      expect(await page.textContent("#experiment-name-error")).toContain("must not be empty");
      expect(await page.textContent("#variant-0-version-error")).toContain("control");
      expect(await page.textContent("#weight-challenger-error")).toContain("greater than 0");
      expect(await page.getAttribute("#experiment-name", "aria-invalid")).toBe("true");
      // The goal's Combobox is marked and described like the other fields, and drawn with a red border.
      const goal = page.locator("#goal-node");
      expect(await goal.getAttribute("aria-invalid")).toBe("true");
      expect(await goal.getAttribute("aria-describedby")).toBe("goal-node-error");
      expect(await page.textContent("#goal-node-error")).toContain("is required");
      expect(await goal.evaluate((element) => getComputedStyle(element).boxShadow)).toBe(
        await page
          .locator("#experiment-name")
          .evaluate((input) => getComputedStyle(input.closest(".rt-TextFieldRoot") as Element).boxShadow),
      );
      expect(await page.textContent("main")).toContain("No experiments yet.");

      await page.fill("#experiment-name", "Greeting test");
      await choose(page, "#variant-0-version", "v1 — original greeting");
      await choose(page, "#variant-1-version", "v2 — new greeting");
      await page.fill("#weight-challenger", "3");
      await choose(page, "#goal-type", "Reaching a node");
      await choose(page, "#goal-node", /\(greeting\)/);
      await page.click("form[aria-label='New experiment'] button[type=submit]");

      const card = page.locator("section.experiment", { hasText: "Greeting test" });
      await card.waitFor();
      expect(await card.textContent()).toContain("draft");
      await card.locator("button:has-text('Start')").click();
      await card.locator("[data-testid='experiment-status']:has-text('running')").waitFor();
      // The chart is drawn by recharts, with the confidence intervals as error bars.
      await card.locator(".experiment-chart svg.recharts-surface").waitFor();
      await expect
        .poll(() => card.locator("[data-testid='sample-size']").textContent())
        .toContain("conversations per variant");

      if (stack.runtimeUrl) {
        for (let index = 0; index < 6; index += 1) await visit();
        // Live: the results refetch on their own; every visitor reached the greeting (the goal).
        await expect
          .poll(
            async () => {
              const cells = await card.locator("table tbody tr td:nth-child(2)").allTextContents();
              return cells.reduce((sum, text) => sum + Number(text), 0);
            },
            { timeout: 20_000 },
          )
          .toBe(6);
        await expect
          .poll(() => card.locator("[data-testid='significance']").textContent())
          .toMatch(/significant|data/);
      }

      // Promote through the confirmation dialog.
      await card.locator("button:has-text('Promote challenger')").click();
      const dialog = page.getByRole("alertdialog", { name: "Promote challenger?" });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain("audit log");
      await dialog.getByRole("button", { name: "Publish challenger" }).click();
      await card.locator("[data-testid='experiment-status']:has-text('stopped')").waitFor();
      await dialog.waitFor({ state: "hidden" });
    });
  }, 180_000);
});
