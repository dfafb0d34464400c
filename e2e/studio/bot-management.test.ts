import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createBot,
  createFlow,
  publishFlow,
  type ServiceContext,
  startConversation,
  systemContext,
} from "@parley/core";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  repoRoot,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
  withStackLog,
} from "./stack";

/**
 * Issue 13 in Debian's Chromium: the bot home (status at a glance, tab counts), bot and flow
 * management in accessible dialogs (rename, duplicate, archive, show archived, restore, delete with
 * the typed name when there are conversations) and the template gallery ("Use template").
 */
let stack: StudioStack;
let browser: Browser;
let page: Page;
let infra: Infrastructure;
let ctx: ServiceContext;
let tenantId: string;

const pizza = () =>
  JSON.parse(readFileSync(join(repoRoot, "examples/flows/pizza-order.json"), "utf8")) as Record<
    string,
    unknown
  >;

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: false });
  infra = await createInfrastructure({ dataDir: "/tmp", withQueue: false });
  tenantId = (await stack.db.db.system.bot.findFirstOrThrow({ where: { id: stack.botId } })).tenantId;
  ctx = systemContext({ db: stack.db.db, infra }, tenantId, "e2e");
  const flow = await createFlow(ctx, { botId: stack.botId, document: pizza(), name: "Pizza" });
  await publishFlow(ctx, flow.id, {});
  await startConversation({ ...ctx, actor: { type: "system", label: "e2e" } }, stack.botId, {
    user: { id: "visitor-1", name: "Ann" },
    channel: "api",
  });
  await createBot(ctx, { name: "Spare bot" });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await signInAsOwner(page, stack);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await infra?.close();
  await stack?.close();
});

const card = (name: string) => page.locator(`[data-testid='bots-live'] [data-testid='bot-card-${name}']`);

/** Opens the "…" menu of `name` (within `scope`) and picks `item`, with the keyboard (Enter on each). */
async function menu(name: string, item: string, scope: Page | Locator = page): Promise<void> {
  const trigger = scope.getByRole("button", { name: `Actions for ${name}`, exact: true }).first();
  await trigger.focus();
  await page.keyboard.press("Enter");
  const entry = page.getByRole("menuitem", { name: item });
  await entry.waitFor();
  await entry.focus();
  await page.keyboard.press("Enter");
  await entry.waitFor({ state: "detached" });
}

/** With PARLEY_E2E_SCREENSHOTS=1, saves the page as docs/screenshots/<name>.png (the README shows them). */
async function shot(name: string): Promise<void> {
  if (process.env.PARLEY_E2E_SCREENSHOTS !== "1") return;
  mkdirSync(join(repoRoot, "docs/screenshots"), { recursive: true });
  await page.screenshot({ path: join(repoRoot, `docs/screenshots/${name}.png`) });
}

async function audited(action: string): Promise<number> {
  return stack.db.db.system.auditLogEntry.count({ where: { tenantId, action } });
}

describe("bot home", () => {
  it("shows the published version, channels, conversations today and the tab counts", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      const status = page.locator("[data-testid='bot-status']");
      await status.waitFor();
      expect(await status.textContent()).toContain("Pizza v1");
      expect(await page.locator("[data-testid='status-channels']").textContent()).toContain(
        "Web widget only",
      );
      expect(await page.locator("[data-testid='status-conversations']").textContent()).toContain(
        "1 conversation today · 1 open",
      );
      expect(await page.locator("[data-testid='status-model']").textContent()).toContain("No model calls");
      expect(await page.locator("[data-testid='tab-count-flows']").textContent()).toBe("1");
      expect(await page.locator("[data-testid='tab-count-conversations']").textContent()).toBe("1");
      expect(await page.locator("[data-testid='tab-count-channels']").textContent()).toBe("0");
      await shot("bot-home");
      await page.evaluate(() => localStorage.setItem("parley-appearance", "dark"));
      await page.reload();
      await page.locator("[data-testid='bot-status']").waitFor();
      await shot("bot-home-dark");
      await page.evaluate(() => localStorage.setItem("parley-appearance", "light"));
      await page.reload();
      await page.locator("[data-testid='bot-status']").waitFor();
      // Every tab carries the same header.
      await page.getByRole("link", { name: /^Knowledge/ }).click();
      await page.waitForURL(/\/knowledge$/);
      await page.locator("[data-testid='bot-status']").waitFor();
    });
  });

  it("manages flows: duplicate, rename, archive, show archived, restore, delete", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      const live = page.locator("[data-testid='flows-live']");
      await live.locator("[data-testid='flow-row-Pizza']").waitFor();
      await menu("Pizza", "Duplicate");
      await live.locator("[data-testid='flow-row-Pizza (copy)']").waitFor();

      await menu("Pizza (copy)", "Rename…");
      const dialog = page.getByRole("dialog", { name: "Rename flow" });
      await dialog.getByLabel("Name").fill("");
      await dialog.getByRole("button", { name: "Rename" }).click();
      expect(await dialog.getByRole("alert").textContent()).toBe("is required");
      expect(await dialog.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");
      await dialog.getByLabel("Name").fill("Pizza staging");
      await dialog.getByRole("button", { name: "Rename" }).click();
      await live.locator("[data-testid='flow-row-Pizza staging']").waitFor();

      // The entry flow cannot be archived: the dialog says why and stays open.
      await menu("Pizza", "Archive…");
      const refuse = page.getByRole("alertdialog", { name: "Archive “Pizza”?" });
      await refuse.getByRole("button", { name: "Archive flow" }).click();
      await refuse.getByText("is the flow new conversations start on").waitFor();
      await refuse.getByRole("button", { name: "Cancel" }).click();

      await menu("Pizza staging", "Archive…");
      await page.getByRole("alertdialog").getByRole("button", { name: "Archive flow" }).click();
      await live.locator("[data-testid='flow-row-Pizza staging']").waitFor({ state: "detached" });
      await page.getByLabel("Show archived").click();
      const archived = page.locator("[data-testid='flows-archived']");
      await archived.locator("[data-testid='flow-row-Pizza staging']").waitFor();
      await menu("Pizza staging", "Restore", archived);
      await live.locator("[data-testid='flow-row-Pizza staging']").waitFor();

      await menu("Pizza staging", "Delete…");
      const remove = page.getByRole("alertdialog", { name: "Delete “Pizza staging” for good?" });
      await remove.getByRole("button", { name: "Delete flow" }).click();
      await live.locator("[data-testid='flow-row-Pizza staging']").waitFor({ state: "detached" });
      expect(await audited("flow.delete")).toBe(1);
      expect(await audited("flow.update")).toBe(1);
    });
  });
});

describe("template gallery", () => {
  it("shows a card per template with a preview and node count; Use template creates a bot and opens the designer", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots`);
      await page.getByRole("link", { name: "Start from a template" }).click();
      await page.waitForURL(/\/templates$/);
      const gallery = page.locator("[data-testid='template-gallery']");
      const pizzaCard = gallery.locator("[data-testid='template-pizza-order']");
      await pizzaCard.waitFor();
      expect(await gallery.locator("[data-testid^='template-']").count()).toBeGreaterThanOrEqual(4);
      expect(await pizzaCard.locator(".template-preview svg rect").count()).toBeGreaterThanOrEqual(11);
      expect(await pizzaCard.locator("[data-testid='node-count']").textContent()).toBe("11 nodes");
      await shot("templates");
      await pizzaCard.getByRole("button", { name: "Use template Pizza order" }).click();
      await page.waitForURL(/\/bots\/[^/]+\/flows\/[^/]+$/);
      await page.locator(".react-flow__node").first().waitFor();
      await shot("designer");
      const botId = page.url().split("/bots/")[1]?.split("/")[0] ?? "";
      const bot = await stack.db.db.system.bot.findUniqueOrThrow({ where: { id: botId } });
      expect(bot.name).toBe("Pizza order");
      expect(bot.entryFlowId).toBeTruthy();
    });
  });

  it("adds a template's flow to a bot from its New flow form", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots/${stack.botId}`);
      await page.getByRole("link", { name: "Browse templates with previews" }).click();
      await page.waitForURL(/\/templates\?bot=/);
      await page.getByRole("button", { name: "Use template Collect e-mail" }).click();
      await page.waitForURL(new RegExp(`/bots/${stack.botId}/flows/[^/]+$`));
      const flows = await stack.db.db.system.flow.findMany({
        where: { botId: stack.botId, archivedAt: null },
      });
      expect(flows.map((flow) => flow.name)).toContain("Collect e-mail");
    });
  });
});

describe("bot management", () => {
  it("renames, duplicates, archives, restores and deletes bots; a bot with conversations asks for its name", async () => {
    await withStackLog(stack, async () => {
      await page.goto(`${stack.studioUrl}/bots`);
      await card("Spare bot").waitFor();
      // The New bot form checks the contract's name rule in place, then creates the bot.
      const newBot = page.getByRole("form", { name: "New bot" });
      await newBot.getByRole("button", { name: "Create bot" }).click();
      expect(await newBot.getByRole("alert").textContent()).toBe("is required");
      await newBot.getByLabel("New bot name").fill("Fresh bot");
      await newBot.getByRole("button", { name: "Create bot" }).click();
      await card("Fresh bot").waitFor();
      await page.getByText("Bot “Fresh bot” created.").waitFor();
      expect(await newBot.getByLabel("New bot name").inputValue()).toBe("");
      await menu("Spare bot", "Rename…");
      const rename = page.getByRole("dialog", { name: "Rename bot" });
      await rename.getByLabel("Name").fill("Spare renamed");
      await rename.getByRole("button", { name: "Rename" }).click();
      await card("Spare renamed").waitFor();

      await menu("Spare renamed", "Duplicate");
      await card("Spare renamed (copy)").waitFor();
      await page.getByText("Copied as “Spare renamed (copy)”").waitFor();
      await shot("bots");

      await menu("Spare renamed (copy)", "Archive…");
      const archive = page.getByRole("alertdialog", { name: "Archive “Spare renamed (copy)”?" });
      await archive.getByRole("button", { name: "Archive bot" }).click();
      await card("Spare renamed (copy)").waitFor({ state: "detached" });
      await page.getByLabel("Show archived").click();
      const archived = page.locator(
        "[data-testid='bots-archived'] [data-testid='bot-card-Spare renamed (copy)']",
      );
      await archived.waitFor();
      await menu("Spare renamed (copy)", "Restore", page.locator("[data-testid='bots-archived']"));
      await card("Spare renamed (copy)").waitFor();

      // The bot with a conversation: deleting asks for its name, typed exactly.
      await menu("E2E bot", "Delete…");
      const remove = page.getByRole("alertdialog", { name: "Delete “E2E bot” for good?" });
      await remove.getByRole("button", { name: "Delete bot" }).click();
      await remove.getByText("type its name").waitFor();
      const confirm = remove.getByRole("button", { name: "Delete bot" });
      expect(await confirm.isDisabled()).toBe(true);
      await remove.getByLabel("Type “E2E bot” to confirm").fill("e2e bot");
      await shot("delete-bot-dialog");
      expect(await confirm.isDisabled()).toBe(true);
      await remove.getByLabel("Type “E2E bot” to confirm").fill("E2E bot");
      await confirm.click();
      await card("E2E bot").waitFor({ state: "detached" });
      expect(await stack.db.db.system.bot.count({ where: { id: stack.botId } })).toBe(0);
      expect(await stack.db.db.system.conversation.count({ where: { botId: stack.botId } })).toBe(0);
      for (const action of ["bot.update", "bot.duplicate", "bot.archive", "bot.restore", "bot.delete"])
        expect(await audited(action), action).toBeGreaterThanOrEqual(1);
    });
  });
});
