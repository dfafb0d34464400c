import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeSignedInStudio,
  openSignedInStudio,
  type SignedInStudio,
  type StudioStack,
  withStackLog,
} from "./stack";

/**
 * The studio's widget-security settings in Debian's Chromium: the bot's identity secret (generated,
 * shown once, rotated) and the designer's "widget may preset" (clientSettable) checkbox, saved into
 * the flow draft.
 */
let studio: SignedInStudio | undefined;
let stack: StudioStack;
let page: Page;

beforeAll(async () => {
  studio = await openSignedInStudio();
  ({ stack, page } = studio);
}, 600_000);

afterAll(() => closeSignedInStudio(studio));

describe("bot security settings", () => {
  it("generates the identity secret, shows it once, and rotates it", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/settings`);
      await page.waitForSelector("[data-testid='identity-status'] >> text=No identity secret yet.");
      await page.click("[data-testid='identity-verification'] button:has-text('Generate secret')");
      const secret = (await page.textContent("[data-testid='identity-secret']")) ?? "";
      expect(secret).toMatch(/^idsec_[A-Za-z0-9_-]{43}$/);
      await page.waitForSelector("[data-testid='identity-status'] >> text=Identity tokens are verified.");

      await page.reload();
      await page.waitForSelector("[data-testid='identity-status'] >> text=Identity tokens are verified.");
      expect(await page.locator("[data-testid='identity-secret']").count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      await page.click("[data-testid='identity-verification'] button:has-text('Rotate secret')");
      // Rotating asks first, in an accessible dialog (the current secret's tokens stop working).
      await page
        .getByRole("alertdialog", { name: "Rotate the identity secret?" })
        .getByRole("button", { name: "Rotate secret" })
        .click();
      const rotated = (await page.textContent("[data-testid='identity-secret']")) ?? "";
      expect(rotated).toMatch(/^idsec_/);
      expect(rotated).not.toBe(secret);
    });
  }, 120_000);

  it("marks a variable as one the widget may preset, saved as clientSettable in the draft", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.fill("input[aria-label='Flow name']", "Presets");
      await page.click("button:has-text('Create flow')");
      await page.waitForURL(/\/flows\//);
      const flowId = page.url().split("/flows/")[1]?.split(/[?#]/)[0] ?? "";
      await page.click("button[role=tab]:has-text('Variables')");
      await page.fill("input[aria-label='New variable name']", "plan");
      await page.click("[data-testid='variables-panel'] button:has-text('Add')");
      const box = page.getByRole("checkbox", { name: "Widget may preset plan" });
      expect(await box.isChecked()).toBe(false);
      expect(await page.textContent("#client-settable-help")).toContain("Widget may preset");
      await box.check();
      await page.waitForSelector("[data-testid='save-state'].saved");
      await expect
        .poll(async () => {
          const flow = await stack.db.db.system.flow.findUniqueOrThrow({ where: { id: flowId } });
          return (flow.draft as { variables: { name: string; clientSettable?: boolean }[] }).variables;
        })
        .toEqual([{ name: "plan", type: "string", scope: "conversation", clientSettable: true }]);
    });
  }, 120_000);
});
