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
 * Issue 13 items 5 and 9 in Debian's Chromium: the inspector speaks the user's words (labels, help
 * text, variable pickers that declare a new variable, durations with units), and a rollback asks
 * before replacing unpublished draft edits, keeping them as a copy, with a field-by-field diff.
 */
let studio: SignedInStudio | undefined;
let stack: StudioStack;
let page: Page;

beforeAll(async () => {
  studio = await openSignedInStudio();
  ({ stack, page } = studio);
}, 600_000);

afterAll(() => closeSignedInStudio(studio));

type Draft = { variables: { name: string }[]; nodes: { id: string; data: Record<string, unknown> }[] };
const draftOf = async (flowId: string) =>
  (await stack.db.db.system.flow.findUniqueOrThrow({ where: { id: flowId } })).draft as unknown as Draft;
const nodeData = async (flowId: string, nodeId: string) =>
  (await draftOf(flowId)).nodes.find((n) => n.id === nodeId)?.data;
const saved = () => page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");

let flowId = "";

describe("the inspector in the user's words", () => {
  it("labels and explains every field, declares a variable from its picker, and edits durations in units", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.fill("input[aria-label='Flow name']", "Words");
      await choose(page, page.getByRole("combobox", { name: "Start from" }), /^Template: Collect e-mail /);
      await page.click("button:has-text('Create flow')");
      await page.waitForURL(/\/flows\//);
      flowId = page.url().split("/flows/")[1]?.split(/[?#]/)[0] ?? "";
      await page.click("[data-testid='node-ask-email'] .flow-node-title");
      const inspector = page.locator("[data-testid='inspector']");
      await inspector.waitFor();
      const text = (await inspector.textContent()) ?? "";
      for (const label of ["Question", "Answer type", "Save the answer in", "Times to ask again"])
        expect(text).toContain(label);
      for (const raw of ["Max Retries", "Save To", "Retry Prompt", "object", "Settings"])
        expect(text).not.toContain(raw);
      expect(await page.locator("#inspector-ask-email-prompt-help").textContent()).toContain("{{");
      expect(await page.locator("#inspector-ask-email-input").textContent()).toBe("E-mail address");

      // The answer goes into a variable declared right here.
      await choose(page, "#inspector-ask-email-saveTo", "+ New variable…");
      await page.fill("input[aria-label='New variable name']", "contact_email");
      await page.click("fieldset[aria-label='New variable'] button:has-text('Create')");
      expect(await page.locator("#inspector-ask-email-saveTo").textContent()).toBe("contact_email (string)");
      await page.waitForSelector("[data-testid='tab-variables']:has-text('Variables (2)')");
      await saved();
      await expect.poll(async () => (await nodeData(flowId, "ask-email"))?.saveTo).toBe("contact_email");
      expect((await draftOf(flowId)).variables.map((v) => v.name)).toContain("contact_email");

      // An HTTP step's time-out in units, saved in milliseconds.
      await page.click("[data-testid='palette-http']");
      await page.waitForSelector("[data-testid='node-http-1']");
      await page.click("[data-testid='node-http-1'] .flow-node-title");
      const timeout = page.locator("#inspector-http-1-timeoutMs");
      expect(await timeout.inputValue()).toBe("10");
      const unit = page
        .locator("[data-testid='inspector'] .duration-field")
        .getByRole("combobox", { name: "Unit" });
      expect(await unit.textContent()).toBe("seconds");
      await timeout.fill("2");
      await choose(page, unit, "minutes");
      await saved();
      await expect.poll(async () => (await nodeData(flowId, "http-1"))?.timeoutMs).toBe(120_000);
      expect(await page.locator("[data-testid='inspector']").textContent()).toContain("Give up after");
      await page.screenshot({ path: "/tmp/inspector-words.png" });

      // The inspector's controls (design-system selects, checkboxes, fields) pass axe.
      const axe = await new AxeBuilder({ page: page as never })
        .include("[data-testid='inspector']")
        .analyze();
      const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    });
  }, 240_000);
});

describe("rollback with unpublished edits", () => {
  it("shows what changed inside a node, asks in a dialog, and keeps the draft as a copy", async () => {
    await withStackLog(stack, async () => {
      const prompt = page.locator("#inspector-ask-email-prompt");
      const publish = async (version: number) => {
        await saved();
        await page.click("[data-testid='publish-open']");
        await page.click("[data-testid='publish-confirm']");
        await page.waitForSelector(`text=Published version ${version}.`);
      };
      // The http step has no address yet: remove it so the flow can be published.
      await page.click("[data-testid='node-http-1'] .flow-node-title");
      await page.keyboard.press("Delete");
      await page.waitForSelector("[data-testid='node-http-1']", { state: "detached" });
      await publish(1);
      await page.click("[data-testid='node-ask-email'] .flow-node-title");
      await prompt.fill("Which e-mail should we use?");
      await publish(2);
      await page.click("[data-testid='node-ask-email'] .flow-node-title");
      await prompt.fill("Unpublished question");
      await saved();

      // The diff with v1 says what changed inside the ask node, field by field.
      await page.click("[data-testid='tab-versions']");
      const v1 = page.locator(".version-row", { hasText: "v1" });
      await v1.locator("button:has-text('Diff with draft')").click();
      const fields = page.locator("[data-testid='diff-node-ask-email']");
      await fields.waitFor();
      const words = (await fields.textContent()) ?? "";
      expect(words).toContain("Question");
      expect(words).toContain('"What\'s your e-mail address?"');
      expect(words).toContain('"Unpublished question"');

      // Rolling back to v1 asks first (a modal dialog) and names the unpublished changes.
      await v1.locator("button:has-text('Roll back')").click();
      const dialog = page.getByRole("dialog", { name: "Roll back to version 1?" });
      await dialog.waitFor();
      await dialog.locator("[data-testid='rollback-unpublished']").waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      expect((await nodeData(flowId, "ask-email"))?.prompt).toBe("Unpublished question");

      await v1.locator("button:has-text('Roll back')").click();
      await dialog.getByRole("button", { name: "Keep a copy and roll back" }).click();
      await page.waitForSelector("text=Your unpublished changes are kept in the flow");
      await expect
        .poll(async () => (await nodeData(flowId, "ask-email"))?.prompt)
        .toBe("What's your e-mail address?");
      const copy = await stack.db.db.system.flow.findFirstOrThrow({
        where: { botId: stack.botId, name: "Words (draft before rollback to v1)" },
      });
      const copied = (copy.draft as unknown as Draft).nodes.find((n) => n.id === "ask-email");
      expect(copied?.data.prompt).toBe("Unpublished question");
      await page.screenshot({ path: "/tmp/rollback-kept.png" });
    });
  }, 240_000);
});
