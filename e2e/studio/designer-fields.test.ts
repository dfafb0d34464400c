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
 * Two inspector fields in Debian's Chromium (issue 13): the condition editor's "Declare <name>" for
 * a variable typed into a rule, and the http node's headers as name/value rows with a JSON view.
 * Both are checked down to the saved draft.
 */
let studio: SignedInStudio | undefined;
let stack: StudioStack;
let page: Page;

beforeAll(async () => {
  studio = await openSignedInStudio();
  ({ stack, page } = studio);
}, 600_000);

afterAll(() => closeSignedInStudio(studio));

type Draft = {
  variables: { name: string; type: string }[];
  nodes: { id: string; kind: string; data: Record<string, unknown> }[];
};
const draftOf = async (flowId: string) =>
  (await stack.db.db.system.flow.findUniqueOrThrow({ where: { id: flowId } })).draft as unknown as Draft;
const saved = () => page.waitForSelector("[data-testid='save-state']:has-text('All changes saved')");
const problemsText = async () => {
  await page.click("[data-testid='tab-problems']");
  return (
    (await page.locator("[data-testid='problems-list'], [data-testid='problems-empty']").textContent()) ?? ""
  );
};

/** Creates an empty flow on the seeded bot, opens it in the designer and answers its id. */
async function newEmptyFlow(name: string): Promise<string> {
  await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
  await page.fill("input[aria-label='Flow name']", name);
  await page.click("button:has-text('Create flow')");
  await page.waitForURL(/\/flows\//);
  await page.waitForSelector("[data-testid='node-start']");
  return page.url().split("/flows/")[1]?.split(/[?#]/)[0] ?? "";
}

describe("designer fields", () => {
  it("offers to declare a variable typed into a condition, and declaring it clears the problem", async () => {
    await withStackLog(stack, async () => {
      const flowId = await newEmptyFlow("Declare");
      await page.click("[data-testid='palette-condition']");
      const node = page.locator("[data-testid='node-condition-1']");
      await node.waitFor();
      await node.locator(".flow-node-title").click();
      await page.click("[data-testid='tab-inspector']");
      const editor = page.locator("[data-testid='condition-editor']");
      await editor.waitFor();
      const rule = editor.locator("[data-testid='condition-rule']").first();

      // A known (system) variable is not offered; a new name is, and it is a problem until declared.
      expect(await rule.locator("input[aria-label='Variable']").inputValue()).toBe("sys.lastUserMessage");
      expect(await editor.locator("[data-testid='declare-variable']").count()).toBe(0);
      // The flow's variables are suggested as one types (a combobox): Down then Enter takes one.
      const variable = rule.getByRole("combobox", { name: "Variable", exact: true });
      await variable.fill("sys.lastUser");
      const suggestions = page.getByRole("listbox", { name: "Variables" });
      await suggestions.getByRole("option", { name: /^sys\.lastUserMessage/ }).waitFor();
      await variable.press("ArrowDown");
      expect(await variable.getAttribute("aria-activedescendant")).toBeTruthy();
      await variable.press("Enter");
      await suggestions.waitFor({ state: "detached" });
      expect(await variable.inputValue()).toBe("sys.lastUserMessage");
      await rule.locator("input[aria-label='Variable']").fill("vip_level");
      const declare = editor.locator("[data-testid='declare-variable']");
      await declare.waitFor();
      expect(await declare.textContent()).toBe("Declare “vip_level”");
      await saved();
      await expect.poll(problemsText).toContain("vip_level");

      await page.click("[data-testid='tab-inspector']");
      await editor.locator("[data-testid='declare-variable']").click();
      await expect.poll(() => editor.locator("[data-testid='declare-variable']").count()).toBe(0);
      await page.click("[data-testid='tab-variables']");
      expect(await page.locator("[data-testid='variables-panel']").textContent()).toContain("vip_level");
      await expect.poll(problemsText).not.toContain("vip_level");

      // Saved: the variable is declared in the flow and the rule reads it.
      await saved();
      await expect
        .poll(async () => (await draftOf(flowId)).variables.map((variable) => variable.name))
        .toContain("vip_level");
      const draft = await draftOf(flowId);
      expect(JSON.stringify(draft.nodes.find((n) => n.id === "condition-1")?.data)).toContain('"vip_level"');
    });
  }, 180_000);

  it("edits an http node's headers as rows and as JSON, reports bad JSON inline, and saves them", async () => {
    await withStackLog(stack, async () => {
      const flowId = await newEmptyFlow("Headers");
      await page.click("[data-testid='palette-http']");
      const node = page.locator("[data-testid='node-http-1']");
      await node.waitFor();
      await node.locator(".flow-node-title").click();
      await page.click("[data-testid='tab-inspector']");
      const inspector = page.locator("[data-testid='inspector']");
      await inspector.waitFor();

      // Headers are an optional setting: add them, then two rows.
      let field = inspector.locator("[data-testid^='key-value-'][data-testid$='headers']");
      if ((await field.count()) === 0) {
        const optional = inspector.getByRole("combobox", { name: "Add an optional setting" }).first();
        await choose(page, optional, "Headers");
      }
      field = inspector.locator("[data-testid^='key-value-'][data-testid$='headers']");
      await field.waitFor();
      await field.getByRole("button", { name: "Add header" }).click();
      await field.getByLabel("header 1 name").fill("X-Shop");
      await field.getByLabel("header 1 value").fill("{{ shop }}");
      await field.getByRole("button", { name: "Add header" }).click();
      await field.getByLabel("header 2 name").fill("Accept-Language");
      await field.getByLabel("header 2 value").fill("en");

      // The JSON view shows the same object; back to rows keeps both.
      const jsonToggle = field.getByRole("checkbox", { name: "JSON" });
      await jsonToggle.check();
      const box = field.locator("textarea");
      expect(JSON.parse(await box.inputValue())).toEqual({ "X-Shop": "{{ shop }}", "Accept-Language": "en" });
      await jsonToggle.uncheck();
      expect(await field.getByLabel("header 1 name").inputValue()).toBe("X-Shop");
      expect(await field.getByLabel("header 2 value").inputValue()).toBe("en");

      // Invalid JSON: an inline error on the box, and the last good value stays.
      await jsonToggle.check();
      await box.fill('{ "X-Shop": ');
      const error = field.getByTestId("key-value-json-error");
      await error.waitFor();
      expect(await error.textContent()).toContain("Not valid JSON");
      expect(await box.getAttribute("aria-invalid")).toBe("true");
      await box.fill('{ "X-Shop": 42 }');
      await expect.poll(() => error.textContent()).toContain('"X-Shop" must be text');
      await box.fill('{ "X-Shop": "{{ shop }}", "Accept-Language": "en", "X-Trace": "1" }');
      await expect.poll(() => error.count()).toBe(0);
      await jsonToggle.uncheck();
      expect(await field.getByLabel("header 3 name").inputValue()).toBe("X-Trace");

      // The saved draft has the headers.
      await saved();
      await expect
        .poll(async () => (await draftOf(flowId)).nodes.find((n) => n.id === "http-1")?.data.headers)
        .toEqual({ "X-Shop": "{{ shop }}", "Accept-Language": "en", "X-Trace": "1" });
    });
  }, 180_000);
});
