import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/** The catalogue page and the triggers page through createCaller (same core functions as REST). */
let harness: StudioHarness;
let owner: StudioCaller;
let viewer: StudioCaller;
let botId: string;

beforeAll(async () => {
  harness = await createStudioHarness();
  const tenant = await harness.tenant("Connectors Ltd");
  owner = await harness.as(tenant.ownerId, tenant.tenantId);
  viewer = await harness.as((await harness.member(tenant.tenantId, "viewer")).userId, tenant.tenantId);
  botId = (await owner.bots.create({ name: "Shop" })).id;
}, 90_000);
afterAll(() => harness?.cleanup());

describe("connectors and triggers in the studio", () => {
  it("lists the catalogue and creates an integration from a connector, with field errors", async () => {
    const all = await viewer.connectors.list({});
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect((await viewer.connectors.list({ search: "shopify" })).map((c) => c.id)).toEqual(["shopify"]);
    const created = await owner.connectors.createIntegration({
      name: "shop",
      connector: "shopify",
      settings: { shop: "acme" },
      credentials: { type: "header", name: "X-Shopify-Access-Token", value: "shpat_1" },
    });
    expect(created.config).toMatchObject({
      baseUrl: "https://acme.myshopify.com/admin/api/2024-10",
      connector: "shopify",
    });
    const refused = await owner.connectors
      .createIntegration({
        name: "shop2",
        connector: "shopify",
        settings: { shop: "a b" },
        credentials: { type: "header", name: "X-Shopify-Access-Token", value: "t" },
      })
      .then(
        () => null,
        (error: unknown) => error as { cause?: { details?: { errors?: { path: string }[] } } },
      );
    expect(refused?.cause?.details?.errors?.map((issue) => issue.path)).toEqual(["settings.shop"]);
    await expect(
      viewer.connectors.createIntegration({
        name: "x",
        connector: "stripe",
        credentials: { type: "bearer", token: "t" },
      }),
    ).rejects.toThrow();
  }, 60_000);

  it("manages triggers and the trigger secret", async () => {
    const created = await owner.triggers.create({
      botId,
      trigger: { name: "order-shipped", variables: { orderId: "data.id" } },
    });
    expect(created.url).toBe(`/api/v1/bots/${botId}/triggers/order-shipped`);
    expect((await viewer.triggers.list({ botId })).map((t) => t.name)).toEqual(["order-shipped"]);
    await owner.triggers.update({ botId, name: "order-shipped", change: { enabled: false } });
    expect((await owner.triggers.list({ botId }))[0]?.enabled).toBe(false);
    expect((await owner.triggers.generateSecret({ botId })).secret).toMatch(/^trsec_/);
    await expect(viewer.triggers.create({ botId, trigger: { name: "nope" } })).rejects.toThrow();
    await owner.triggers.remove({ botId, name: "order-shipped" });
    expect(await owner.triggers.list({ botId })).toEqual([]);
  }, 60_000);
});
