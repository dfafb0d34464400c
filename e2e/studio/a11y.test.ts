import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { createFlow, publishFlow, startConversation, systemContext } from "@parley/core";
import { createInfrastructure, type Infrastructure } from "@parley/infra";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  readRepoJson,
  repoRoot,
  type StudioStack,
  signInAsOwner,
  startStudioStack,
} from "./stack";

/**
 * axe-core on every studio page (every apps/studio/src/app/**\/page.tsx, with real ids of a seeded
 * bot, flow, conversation and contact), in light and in dark mode: no serious or critical violation.
 * Minor and moderate ones are written to e2e/studio/.reports/a11y.json (not committed) (the goal is none at all).
 */
let stack: StudioStack;
let browser: Browser;
let infra: Infrastructure;
const ids = { botId: "", flowId: "", conversationId: "", contactId: "" };

const appDir = join(repoRoot, "apps/studio/src/app");

/** Every page route of the studio, from the file system (route groups and dynamic segments kept). */
function pageRoutes(dir = appDir): string[] {
  const routes: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) routes.push(...pageRoutes(path));
    else if (entry === "page.tsx") routes.push(`/${relative(appDir, dir)}`.replace(/\/$/, "") || "/");
  }
  return routes.sort();
}

/** Pages for people who are not signed in (a signed-in visit may redirect away). */
const signedOut = new Set([
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password",
  "/verify-email",
  "/invitation",
]);

const withIds = (route: string) =>
  route
    .replace("[botId]", ids.botId)
    .replace("[flowId]", ids.flowId)
    .replace("[conversationId]", ids.conversationId)
    .replace("[contactId]", ids.contactId);

beforeAll(async () => {
  stack = await startStudioStack({ withRuntime: false });
  infra = await createInfrastructure({ dataDir: "/tmp", withQueue: false });
  const tenantId = (await stack.db.db.system.bot.findFirstOrThrow({ where: { id: stack.botId } })).tenantId;
  const ctx = systemContext({ db: stack.db.db, infra }, tenantId, "e2e");
  const flow = await createFlow(ctx, {
    botId: stack.botId,
    document: readRepoJson("examples/flows/pizza-order.json") as Record<string, unknown>,
    name: "Pizza",
  });
  await publishFlow(ctx, flow.id, {});
  const started = await startConversation(ctx, stack.botId, {
    user: { id: "ann", name: "Ann Lee" },
    channel: "api",
  });
  const conversation = await stack.db.db.system.conversation.findUniqueOrThrow({
    where: { id: started.conversationId },
  });
  Object.assign(ids, {
    botId: stack.botId,
    flowId: flow.id,
    conversationId: conversation.id,
    contactId: conversation.contactId ?? "",
  });
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await infra?.close();
  await stack?.close();
});

async function contextFor(
  mode: "light" | "dark",
  signIn: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: mode });
  await context.addInitScript((choice) => localStorage.setItem("parley-appearance", choice), mode);
  const page = await context.newPage();
  if (signIn) await signInAsOwner(page, stack);
  return { context, page };
}

/**
 * Opens a page and waits until it has rendered its content (a heading, the page's main region or the
 * designer's canvas, and no loading placeholders); a page that renders none of them fails by name.
 */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: "load" });
  try {
    await page.locator("h1, main, .react-flow__node").first().waitFor();
    await page.waitForFunction(() => !document.querySelector(".skeleton, [aria-busy='true']"));
  } catch (error) {
    throw new Error(
      `${url} (now ${page.url()}) rendered no heading or main region: ${(error as Error).message}`,
    );
  }
}

interface Finding {
  route: string;
  mode: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

describe("accessibility (axe-core)", () => {
  it("finds no serious or critical violation on any studio page, light or dark", async () => {
    const routes = pageRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const findings: Finding[] = [];
    for (const mode of ["light", "dark"] as const) {
      const signedInSide = await contextFor(mode, true);
      const signedOutSide = await contextFor(mode, false);
      for (const route of routes) {
        const { page } = signedOut.has(route) ? signedOutSide : signedInSide;
        await visit(page, `${stack.studioUrl}${withIds(route)}`);
        expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
          mode === "dark",
        );
        const result = await new AxeBuilder({ page: page as never }).analyze();
        for (const violation of result.violations)
          findings.push({
            route,
            mode,
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
          });
      }
      await signedInSide.context.close();
      await signedOutSide.context.close();
    }
    mkdirSync(join(repoRoot, "e2e/studio/.reports"), { recursive: true });
    writeFileSync(
      join(repoRoot, "e2e/studio/.reports/a11y.json"),
      `${JSON.stringify({ routes: routes.length, modes: 2, findings }, null, 2)}\n`,
    );
    const serious = findings.filter(
      (finding) => finding.impact === "serious" || finding.impact === "critical",
    );
    expect(
      serious.map((f) => `${f.mode} ${f.route}: ${f.id} (${f.impact}) ${f.help} at ${f.targets.join(", ")}`),
    ).toEqual([]);
  }, 900_000);
});
