import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "../audit/audit-log";
import type { ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { getFlow, listFlows } from "../flows/flows";
import { archiveFlow, deleteFlow, duplicateFlow, restoreFlow, updateFlow } from "../flows/manage";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { archiveBot, getBot, listBots } from "./bots";
import { deleteBot, duplicateBot, getBotSummary, restoreBot } from "./manage";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

const asRole = (ctx: ServiceContext, role: "viewer" | "editor"): ServiceContext => ({
  ...ctx,
  actor: { type: "user", userId: (ctx.actor as { userId: string }).userId, role, label: role },
});

async function actions(ctx: ServiceContext): Promise<string[]> {
  const page = await listAuditEntries(ctx, {});
  return page.entries.map((entry) => entry.action);
}

describe("bot management", { timeout: 30_000 }, () => {
  it("duplicates a bot with its flows (draft and published version) and a new publishable key", async () => {
    const seed = await seedTenant(harness.deps);
    const copy = await duplicateBot(seed.ctx, seed.bot.id);
    expect(copy).toMatchObject({
      name: "Pizza bot (copy)",
      allowedOrigins: ["http://shop.test"],
      archivedAt: null,
    });
    expect(copy.publishableKey).not.toBe(seed.bot.publishableKey);
    const flows = await listFlows(seed.ctx, copy.id);
    expect(flows.map((flow) => flow.name)).toEqual([seed.flow.name]);
    expect(copy.entryFlowId).toBe(flows[0]?.id);
    expect(flows[0]?.publishedVersionId).toBeTruthy();
    expect(flows[0]?.draft).toEqual((await getFlow(seed.ctx, seed.flow.id)).draft);
    // The copy answers like the original.
    const started = await startConversation(seed.ctx, copy.id, { user: { id: "v1" } });
    expect(JSON.stringify(started).toLowerCase()).toContain("pizza");
    expect(await actions(seed.ctx)).toContain("bot.duplicate");
    expect((await duplicateBot(seed.ctx, seed.bot.id, { name: "Staging" })).name).toBe("Staging");
  });

  it("archives (hidden from the list), lists archived bots, restores", async () => {
    const seed = await seedTenant(harness.deps);
    await archiveBot(seed.ctx, seed.bot.id);
    expect((await listBots(seed.ctx)).map((bot) => bot.id)).not.toContain(seed.bot.id);
    const archived = await listBots(seed.ctx, { status: "archived" });
    expect(archived.map((bot) => bot.id)).toEqual([seed.bot.id]);
    expect(archived[0]?.archivedAt).toBeTruthy();
    expect((await rejection(getBot(seed.ctx, seed.bot.id))).code).toBe("bot-not-found");
    const restored = await restoreBot(seed.ctx, seed.bot.id);
    expect(restored.archivedAt).toBeNull();
    expect((await listBots(seed.ctx)).map((bot) => bot.id)).toContain(seed.bot.id);
    expect(await actions(seed.ctx)).toEqual(expect.arrayContaining(["bot.archive", "bot.restore"]));
  });

  it("deletes a bot for good; with conversations only when its name is typed", async () => {
    const seed = await seedTenant(harness.deps);
    await startConversation(seed.ctx, seed.bot.id, { user: { id: "v1" } });
    const refused = await rejection(deleteBot(seed.ctx, seed.bot.id));
    expect(refused.code).toBe("confirmation-required");
    expect(refused.details.errors?.[0]?.path).toBe("confirmName");
    expect((await rejection(deleteBot(seed.ctx, seed.bot.id, { confirmName: "pizza bot" }))).code).toBe(
      "confirmation-required",
    );
    await deleteBot(seed.ctx, seed.bot.id, { confirmName: "Pizza bot" });
    expect((await rejection(getBot(seed.ctx, seed.bot.id))).code).toBe("bot-not-found");
    expect(await listBots(seed.ctx, { status: "archived" })).toEqual([]);
    const db = harness.deps.db.forTenant(seed.tenant.id);
    expect(await db.conversation.count({ where: { botId: seed.bot.id } })).toBe(0);
    expect(await db.flow.count({ where: { botId: seed.bot.id } })).toBe(0);
    expect(await actions(seed.ctx)).toContain("bot.delete");
    // Another tenant's bot is not found; a bot without conversations needs no typed name.
    const other = await seedTenant(harness.deps);
    expect((await rejection(deleteBot(seed.ctx, other.bot.id))).code).toBe("bot-not-found");
    const fresh = await duplicateBot(other.ctx, other.bot.id);
    await deleteBot(other.ctx, fresh.id);
  });

  it("refuses management to roles without bots:write", async () => {
    const seed = await seedTenant(harness.deps);
    const viewer = asRole(seed.ctx, "viewer");
    for (const attempt of [
      duplicateBot(viewer, seed.bot.id),
      restoreBot(viewer, seed.bot.id),
      deleteBot(viewer, seed.bot.id),
      updateFlow(viewer, seed.flow.id, { name: "x" }),
      duplicateFlow(viewer, seed.flow.id),
      archiveFlow(viewer, seed.flow.id),
      deleteFlow(viewer, seed.flow.id),
    ]) {
      expect((await rejection(attempt)).kind).toBe("forbidden");
    }
    expect((await getBotSummary(viewer, seed.bot.id)).bot.id).toBe(seed.bot.id);
  });

  it("summarises a bot: flows, entry version, conversations today and open, models", async () => {
    const seed = await seedTenant(harness.deps);
    await startConversation(seed.ctx, seed.bot.id, { user: { id: "v1" } });
    await startConversation(seed.ctx, seed.bot.id, { user: { id: "v2" } });
    const summary = await getBotSummary(seed.ctx, seed.bot.id);
    expect(summary).toMatchObject({
      bot: { id: seed.bot.id, name: "Pizza bot" },
      flows: { live: 1, published: 1, archived: 0 },
      entryFlow: { id: seed.flow.id, publishedVersion: { version: 1 } },
      channels: { connected: 0, total: 0, types: [] },
      conversations: { today: 2, open: 2, handoff: 0, total: 2 },
      knowledge: { documents: 0, ready: 0 },
      experiments: { running: 0, total: 0 },
      triggers: { total: 0 },
    });
    expect(summary.models.usesModels).toBe(false);
  });
});

describe("flow management", { timeout: 30_000 }, () => {
  it("renames, duplicates (a new document id), archives, restores and deletes a flow", async () => {
    const seed = await seedTenant(harness.deps);
    const renamed = await updateFlow(seed.ctx, seed.flow.id, { name: "Orders", description: "Takes orders" });
    expect(renamed).toMatchObject({ name: "Orders", description: "Takes orders" });

    const copy = await duplicateFlow(seed.ctx, seed.flow.id);
    expect(copy.name).toBe("Orders (copy)");
    expect(copy.publishedVersionId).toBeNull();
    expect(copy.draft.id).not.toBe(renamed.draft.id);
    expect(copy.draft.name).toBe("Orders (copy)");

    // The entry flow cannot go.
    expect((await rejection(archiveFlow(seed.ctx, seed.flow.id))).code).toBe("flow-is-entry");
    expect((await rejection(deleteFlow(seed.ctx, seed.flow.id))).code).toBe("flow-is-entry");

    const archived = await archiveFlow(seed.ctx, copy.id);
    expect(archived.archivedAt).toBeTruthy();
    expect((await listFlows(seed.ctx, seed.bot.id)).map((flow) => flow.id)).toEqual([seed.flow.id]);
    expect((await listFlows(seed.ctx, seed.bot.id, { status: "archived" })).map((flow) => flow.id)).toEqual([
      copy.id,
    ]);
    expect((await restoreFlow(seed.ctx, copy.id)).archivedAt).toBeNull();
    await deleteFlow(seed.ctx, copy.id);
    expect((await rejection(getFlow(seed.ctx, copy.id))).code).toBe("flow-not-found");
    expect(await actions(seed.ctx)).toEqual(
      expect.arrayContaining([
        "flow.update",
        "flow.duplicate",
        "flow.archive",
        "flow.restore",
        "flow.delete",
      ]),
    );
  });

  it("deletes a flow with conversations only when its name is typed", async () => {
    const seed = await seedTenant(harness.deps);
    const copy = await duplicateFlow(seed.ctx, seed.flow.id, { name: "Second" });
    // Conversations on the second flow: make it the entry, talk, then switch back.
    const { publishFlow } = await import("../flows/flows");
    await publishFlow(seed.ctx, copy.id, {});
    const { updateBot } = await import("./bots");
    await updateBot(seed.ctx, seed.bot.id, { entryFlowId: copy.id });
    await startConversation(seed.ctx, seed.bot.id, { user: { id: "v1" } });
    await updateBot(seed.ctx, seed.bot.id, { entryFlowId: seed.flow.id });
    expect((await rejection(deleteFlow(seed.ctx, copy.id))).code).toBe("confirmation-required");
    await deleteFlow(seed.ctx, copy.id, { confirmName: "Second" });
    expect((await rejection(getFlow(seed.ctx, copy.id))).code).toBe("flow-not-found");
  });
});
