import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioHarness } from "../test-support/harness";

let harness: StudioHarness;
beforeAll(async () => {
  harness = await createStudioHarness();
});
afterAll(() => harness?.cleanup());

describe("bots: identity verification", () => {
  it("generates the identity secret once for bots:write, rotates it, and never shows it again", async () => {
    const { tenantId, ownerId } = await harness.tenant("Identity");
    const owner = await harness.as(ownerId, tenantId);
    const bot = await owner.bots.create({ name: "Shop bot" });
    expect(await owner.bots.identityVerification({ botId: bot.id })).toEqual({
      botId: bot.id,
      enabled: false,
    });

    const first = await owner.bots.generateIdentitySecret({ botId: bot.id });
    expect(first).toMatchObject({ botId: bot.id, rotated: false });
    expect(first.secret).toMatch(/^idsec_/);
    expect(await owner.bots.identityVerification({ botId: bot.id })).toEqual({
      botId: bot.id,
      enabled: true,
    });
    expect(JSON.stringify(await owner.bots.get({ botId: bot.id }))).not.toContain(first.secret);
    const second = await owner.bots.generateIdentitySecret({ botId: bot.id });
    expect(second.rotated).toBe(true);
    expect(second.secret).not.toBe(first.secret);

    const viewer = await harness.member(tenantId, "viewer");
    const asViewer = await harness.as(viewer.userId, tenantId);
    expect((await asViewer.bots.identityVerification({ botId: bot.id })).enabled).toBe(true);
    const refused = await asViewer.bots.generateIdentitySecret({ botId: bot.id }).catch((error) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
  });
});
