import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { getBot, updateBot } from "./bots";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

describe("bot settings", () => {
  it("merges settings key by key, so one caller's update keeps another's keys; null removes a key", async () => {
    const seed = await seedTenant(harness.deps);
    const botId = seed.bot.id;
    await updateBot(seed.ctx, botId, { settings: { models: { defaultRoute: "main" }, greeting: "hi" } });
    await updateBot(seed.ctx, botId, { settings: { greeting: "hello" } });
    expect((await getBot(seed.ctx, botId)).settings).toEqual({
      models: { defaultRoute: "main" },
      greeting: "hello",
    });
    await updateBot(seed.ctx, botId, { settings: { greeting: null } });
    expect((await getBot(seed.ctx, botId)).settings).toEqual({ models: { defaultRoute: "main" } });
  });
});
