import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choose } from "./choose";
import { closeSignedInStudio, openSignedInStudio, type SignedInStudio, type StudioStack } from "./stack";

/**
 * The designer as a business user builds with it (issue 13, "found, to fix first"): the condition
 * editor in words, edits that survive leaving the designer, wires dropped on a node's body, and new
 * nodes that do not start out red. Screenshots go to /tmp/designer-*.png.
 */
let studio: SignedInStudio | undefined;
let stack: StudioStack;
let page: Page;

beforeAll(async () => {
  studio = await openSignedInStudio();
  ({ stack, page } = studio);
}, 600_000);

afterAll(() => closeSignedInStudio(studio));

/** Creates a flow on the seeded bot (from a template, by its name, or empty) and opens it in the designer. */
async function newFlow(name: string, template: string | null) {
  await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
  await page.fill("input[aria-label='Flow name']", name);
  if (template)
    await choose(page, page.getByRole("combobox", { name: "Start from" }), `Template: ${template}`);
  await page.click("button:has-text('Create flow')");
  await page.waitForURL(/\/flows\//);
  await page.waitForSelector("[data-testid='node-start']");
}

async function centerOf(selector: string) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function drag(from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** A screenshot to look at (and for docs/designer.png): without the dev server's overlay badge. */
async function shoot(path: string) {
  await page.evaluate(() => {
    for (const overlay of document.querySelectorAll("nextjs-portal")) overlay.remove();
  });
  await page.screenshot({ path });
}

const saved = () => page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");

/** Runs a step; on failure keeps a screenshot and the stack's output for the report. */
async function step(name: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    await page.screenshot({ path: `/tmp/designer-failure-${name}.png` }).catch(() => undefined);
    throw new Error(`${(error as Error).message}\n--- stack output ---\n${stack.log().slice(-3000)}`);
  }
}

describe("designer", () => {
  it("shows the pizza flow's 'Large?' rule in words and round-trips an edit of it", async () => {
    await step("condition", async () => {
      await newFlow("Pizza", "Pizza order (11 nodes)");
      const node = page.locator("[data-testid='node-check-size']");
      await expect.poll(() => node.locator(".flow-node-summary").textContent()).toContain('size is "large"');

      await node.locator(".flow-node-title").click();
      const editor = page.locator("[data-testid='condition-editor']");
      await editor.waitFor();
      const rule = editor.locator("[data-testid='condition-rule']").first();
      // The selects are Radix Selects (role combobox, named by aria-label) showing the chosen words.
      const select = (scope: Locator, name: string) => scope.getByRole("combobox", { name, exact: true });
      expect(await rule.getByRole("combobox", { name: "Variable", exact: true }).inputValue()).toBe("size");
      expect(await select(rule, "Operator").textContent()).toBe("is");
      expect(await select(rule, "Value type").textContent()).toBe("text");
      expect(await rule.locator("input[aria-label='Value']").inputValue()).toBe("large");
      expect(await select(editor, "Match").textContent()).toBe("all of these are true");
      expect(await editor.textContent()).toContain("Else");
      await shoot("/tmp/designer-condition-editor.png");

      // Every operator is offered in words, and the value field follows it.
      await select(rule, "Operator").click();
      const operators = await page.getByRole("listbox").getByRole("option").allTextContents();
      expect(operators).toEqual(
        expect.arrayContaining(["is", "is not", "contains", "starts with", "is greater than", "is one of"]),
      );
      await page.keyboard.press("Escape");
      await page.getByRole("listbox").waitFor({ state: "detached" });
      await choose(page, select(rule, "Operator"), "is empty");
      expect(await rule.locator("input[aria-label='Value']").count()).toBe(0);
      await expect.poll(() => node.locator(".flow-node-summary").textContent()).toContain("size is empty");

      // A list rule, then a number compared with "at least", then a second rule matched with "any".
      await choose(page, select(rule, "Operator"), "is one of");
      await rule.locator("button:has-text('+ Value')").click();
      await rule.locator("input[aria-label='Value 1']").fill("large");
      await rule.locator("button:has-text('+ Value')").click();
      await rule.locator("input[aria-label='Value 2']").fill("family");
      await expect
        .poll(() => node.locator(".flow-node-summary").textContent())
        .toContain('size is one of "large", "family"');
      await editor.locator("button:has-text('+ Rule')").click();
      const second = editor.locator("[data-testid='condition-rule']").nth(1);
      await second.locator("input[aria-label='Variable']").fill("quantity");
      await choose(page, select(second, "Operator"), "is at least");
      await choose(page, select(second, "Value type"), "number");
      await second.locator("input[aria-label='Value']").fill("3");
      await choose(page, select(editor, "Match"), "any of these is true");
      await saved();

      // Reloaded from the server: the same rules, in the same words.
      await page.reload();
      await page.waitForSelector("[data-testid='node-check-size']");
      await expect
        .poll(() => node.locator(".flow-node-summary").textContent())
        .toContain('size is one of "large", "family" or quantity is at least 3');
      await node.locator(".flow-node-title").click();
      await editor.waitFor();
      expect(await editor.locator("[data-testid='condition-rule']").count()).toBe(2);
      expect(await select(second, "Value type").textContent()).toBe("number");
      expect(await second.locator("input[aria-label='Value']").inputValue()).toBe("3");
      await shoot("/tmp/designer-condition-edited.png");
    });
  }, 180_000);

  it("keeps an edit made just before leaving the designer, and the next edit saves without a false conflict", async () => {
    await step("navigate", async () => {
      const flowUrl = page.url();
      await page.locator("[data-testid='node-check-size'] .flow-node-title").click();
      const label = page.locator("#inspector-label-check-size");
      await label.fill("Big pizza?");
      // Straight back to the bot page through the designer's own link, before the autosave delay.
      await page.click(".designer-top a[href^='/bots/']");
      await page.waitForURL(/\/bots\/[^/]+$/);
      await page.click("a:has-text('Pizza')");
      await page.waitForURL(flowUrl);
      await page.waitForSelector("[data-testid='node-check-size']");
      expect(await page.locator("[data-testid='node-check-size'] .flow-node-title").textContent()).toBe(
        "Big pizza?",
      );
      expect(await page.locator("[data-testid='save-state']").textContent()).toBe("All changes saved");

      // The next edit saves as ours (it once raised "Someone else saved this flow").
      await page.locator("[data-testid='node-check-size'] .flow-node-title").click();
      await label.fill("Large pizza?");
      await saved();
      expect(await page.locator("[data-testid='conflict-banner']").count()).toBe(0);

      // Reloading with a change not yet saved asks first, and the change is kept.
      await label.fill("Large pizza, really?");
      const dialog = page.waitForEvent("dialog");
      const reload = page.reload();
      const asked = await dialog;
      expect(asked.type()).toBe("beforeunload");
      await asked.accept();
      await reload;
      await page.waitForSelector("[data-testid='node-check-size']");
      expect(await page.locator("[data-testid='node-check-size'] .flow-node-title").textContent()).toBe(
        "Large pizza, really?",
      );
    });
  }, 120_000);

  it("connects a wire dropped on a node's body, and adds the next node from an output", async () => {
    await step("connect", async () => {
      await newFlow("Wiring", null);
      // The empty canvas is not red: one hint, in words.
      const start = page.locator("[data-testid='node-start']");
      expect(await start.getAttribute("class")).not.toContain("has-problems");
      expect(await start.locator(".flow-node-problem").textContent()).toBe(
        '"Start": connect its "Next" output to the next step',
      );

      const canvas = page.locator("[data-testid='canvas']");
      const box = await canvas.boundingBox();
      if (!box) throw new Error("no canvas");
      await page
        .locator("[data-testid='palette-message']")
        .dragTo(canvas, { targetPosition: { x: box.width / 2 + 150, y: box.height / 2 + 200 } });
      await page.waitForSelector("[data-testid='node-message-1']");
      // Let go over the middle of the node's body, far from its input bar.
      await drag(
        await centerOf("[data-testid='node-start'] .source-handle[data-handle='next']"),
        await centerOf(
          "[data-testid='node-message-1'] .flow-node-summary, [data-testid='node-message-1'] .flow-node-problem",
        ),
      );
      await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 1);

      // The + under an output: pick a kind, it is placed below and connected.
      await page.locator("[data-testid='node-message-1'] .flow-node-title").click();
      await page.click("[data-testid='node-message-1'] [data-testid='add-next-next']");
      await page.waitForSelector("[data-testid='next-node-picker']");
      await shoot("/tmp/designer-next-node-picker.png");
      await page.click("[data-testid='next-node-end']");
      await page.waitForSelector("[data-testid='node-end-1']");
      await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 2);
      const [message, end] = await Promise.all([
        page.locator("[data-testid='node-message-1']").boundingBox(),
        page.locator("[data-testid='node-end-1']").boundingBox(),
      ]);
      expect((end?.y ?? 0) > (message?.y ?? 0) + (message?.height ?? 0)).toBe(true);
      await saved();
    });
  }, 120_000);

  it("a new ask node shows no error: it declares its own variable and gives one hint in words", async () => {
    await step("ask", async () => {
      await page.click("[data-testid='palette-ask']");
      const ask = page.locator("[data-testid='node-ask-1']");
      await ask.waitFor();
      expect(await ask.getAttribute("class")).not.toContain("has-problems");
      const hint = await ask.locator(".flow-node-problem").textContent();
      expect(hint).toBe('"Ask": write the question to ask');
      expect(await ask.locator(".flow-node-problem").getAttribute("class")).toContain("todo");
      await page.click("[data-testid='tab-variables']");
      expect(await page.locator("[data-testid='variables-panel']").textContent()).toContain("answer");
      await page.click("[data-testid='tab-problems']");
      const problems = (await page.locator("[data-testid='problems-list']").textContent()) ?? "";
      expect(problems).not.toMatch(/undeclared|ask-1/);
      await saved();
      await shoot("/tmp/designer-canvas.png");
    });
  }, 120_000);
});
