import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import {
  closeSignedInStudio,
  openSignedInStudio,
  type SignedInStudio,
  type StudioStack,
  withStackLog,
} from "./stack";

/**
 * The studio forms on react-hook-form with the contract's schemas (bot settings, the analytics
 * setting, API keys, member invitations, the bot page's New flow), in Debian's Chromium: a problem
 * found in the browser and one the server sends back both show under their field (aria-invalid,
 * described by the message), focus goes to the first wrong field, axe-core finds nothing on the
 * page while problems show, and a fixed form saves.
 */
let studio: SignedInStudio | undefined;
let stack: StudioStack;
let page: Page;

beforeAll(async () => {
  studio = await openSignedInStudio();
  ({ stack, page } = studio);
}, 600_000);

afterAll(() => closeSignedInStudio(studio));

/** The field's problem, once it is shown, after checking the field is marked and described by it. */
async function problemOf(id: string): Promise<string> {
  const message = page.locator(`#${id}-error`);
  await message.waitFor();
  expect(await page.getAttribute(`#${id}`, "aria-invalid")).toBe("true");
  expect(await page.getAttribute(`#${id}`, "aria-describedby")).toBe(`${id}-error`);
  return (await message.textContent()) ?? "";
}

/** axe-core on the page as it is (fields showing their problems): every violation, by rule and element. */
async function axeViolations(): Promise<string[]> {
  const result = await new AxeBuilder({ page: page as never }).analyze();
  return result.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
  );
}

const toast = (text: string) => page.locator("[data-sonner-toast]", { hasText: text }).waitFor();

describe("studio forms", () => {
  it("bot settings and the abandonment timeout: inline problems, then saved", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}/settings`);
      await page.locator("#origins").waitFor();
      await page.fill("#origins", "https://shop.example.com\nshop.example.com");
      await page.fill("#avatar", "ftp://example.com/a.png");
      await page.click("button:has-text('Save settings')");
      expect(await problemOf("origins")).toContain("shop.example.com: an origin like");
      expect(await problemOf("avatar")).toBe("must be an http(s) URL");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("origins");
      expect(await axeViolations()).toEqual([]);

      await page.fill("#origins", "https://shop.example.com");
      await page.fill("#avatar", "");
      await page.fill("#title", "Ask us");
      await page.click("button:has-text('Save settings')");
      await toast("Settings saved.");
      const bot = await stack.db.db.system.bot.findUniqueOrThrow({ where: { id: stack.botId } });
      expect(bot.allowedOrigins).toEqual(["https://shop.example.com"]);
      expect(bot.widgetTheme).toMatchObject({ title: "Ask us" });
      expect(bot.widgetTheme).not.toHaveProperty("avatarUrl");

      await page.fill("#abandonment-timeout", "0");
      await page.click("button:has-text('Save timeout')");
      expect(await problemOf("abandonment-timeout")).toBe("must be 1 or more");
      await page.fill("#abandonment-timeout", "45");
      await page.click("button:has-text('Save timeout')");
      await toast("Abandonment timeout saved.");
      const saved = await stack.db.db.system.bot.findUniqueOrThrow({ where: { id: stack.botId } });
      expect(saved.settings).toMatchObject({ abandonmentTimeoutMinutes: 45 });
    });
  }, 120_000);

  it("API keys: the server's problem with an address range shows under the ranges", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/api-keys`);
      await page.locator("#key-name").waitFor();
      await page.click("button:has-text('Create key')");
      expect(await problemOf("key-name")).toBe("is required");

      await page.fill("#key-name", "CI");
      await page.getByRole("checkbox", { name: "conversations:write" }).click();
      await page.click("button:has-text('Create key')");
      expect(await page.getByTestId("error-scopes").textContent()).toBe("choose at least one");
      expect(await axeViolations()).toEqual([]);
      await page.getByRole("checkbox", { name: "conversations:write" }).click();

      // Only the server knows what an address range is: its problem comes back onto the field.
      await page.fill("#key-ranges", "203.0.113.0/24, 999.1.1.1/8");
      await page.click("button:has-text('Create key')");
      expect(await problemOf("key-ranges")).not.toBe("");
      expect(await stack.db.db.system.apiKey.count()).toBe(0);

      await page.fill("#key-ranges", "203.0.113.0/24");
      await page.click("button:has-text('Create key')");
      expect(await page.locator("[data-testid='new-api-key']").textContent()).toMatch(/^sk_/);
      await toast("API key “CI” created");
      const key = await stack.db.db.system.apiKey.findFirstOrThrow();
      expect(key.allowedCidrs).toEqual(["203.0.113.0/24"]);
      expect(key.scopes).toEqual(["conversations:write"]);
      expect(await page.inputValue("#key-name")).toBe("");
    });
  }, 120_000);

  it("members: an address already in the workspace is the e-mail field's problem; submitted by keyboard", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/members`);
      await page.locator("#invite-email").waitFor();
      await page.fill("#invite-email", "not an address");
      await page.press("#invite-email", "Enter");
      expect(await problemOf("invite-email")).toBe("must be an e-mail address");

      await page.fill("#invite-email", stack.owner.email);
      await page.press("#invite-email", "Enter");
      await expect.poll(() => page.textContent("#invite-email-error")).toContain("is already a member");
      expect(await page.getAttribute("#invite-email", "aria-invalid")).toBe("true");
      expect(await axeViolations()).toEqual([]);

      await page.fill("#invite-email", "New.Person@Example.com");
      await choose(page, "#invite-role", "viewer");
      await page.press("#invite-email", "Enter");
      await toast("Invitation sent to new.person@example.com.");
      const invitation = await stack.db.db.system.invitation.findFirstOrThrow({
        where: { email: "new.person@example.com" },
      });
      expect(invitation.role).toBe("viewer");
    });
  }, 120_000);

  it("new flow: a name is needed, an imported file must be a flow; the server's problems go to the file", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.locator("input[aria-label='Flow name']").waitFor();
      await page.click("button:has-text('Create flow')");
      expect(await problemOf("new-flow-name")).toBe("is required");

      await choose(page, page.getByRole("combobox", { name: "Start from" }), "Import a JSON file…");
      await page.click("button:has-text('Create flow')");
      expect(await problemOf("new-flow-file")).toBe("choose a flow JSON file");
      const file = (text: string) => ({
        name: "flow.json",
        mimeType: "application/json",
        buffer: Buffer.from(text),
      });
      await page.setInputFiles("#new-flow-file", file("{ not json"));
      await page.click("button:has-text('Create flow')");
      await expect.poll(() => page.textContent("#new-flow-file-error")).toBe("The file is not valid JSON.");

      await page.setInputFiles(
        "#new-flow-file",
        file(JSON.stringify({ name: "Broken", nodes: [{ id: 1 }] })),
      );
      await page.click("button:has-text('Create flow')");
      await expect
        .poll(() => page.textContent("#new-flow-file-error"))
        .toContain("The file is not a valid flow:");
      expect(await page.getAttribute("#new-flow-file", "aria-invalid")).toBe("true");
      expect(await axeViolations()).toEqual([]);
    });
  }, 120_000);
});
