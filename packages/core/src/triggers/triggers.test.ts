import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import type { ServiceContext } from "../context";
import type { ServiceError } from "../errors";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { fireSignedTrigger, generateTriggerSecret, signTriggerRequest } from "./trigger-secret";
import { createTrigger, deleteTrigger, fireTrigger, listTriggers, updateTrigger } from "./triggers";

const at = { x: 0, y: 0 };
/** A flow that announces a shipped order from its variables. */
const shippedFlow = (id: string, text: string) => ({
  version: 1,
  id,
  name: id,
  variables: [
    { name: "orderId", type: "string" },
    { name: "carrier", type: "string" },
  ],
  nodes: [
    { id: "start", kind: "start", position: at, data: {} },
    { id: "say", kind: "message", position: at, data: { text } },
    { id: "end", kind: "end", position: at, data: {} },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "say" },
    { id: "e2", source: "say", sourceHandle: "next", target: "end" },
  ],
});

let harness: Harness;
let ctx: ServiceContext;
let botId: string;
let noticeFlowId: string;

beforeAll(async () => {
  harness = await createHarness();
  const seed = await seedTenant(harness.deps, "Triggers");
  ctx = seed.ctx;
  const bot = await createBot(ctx, { name: "Shop" });
  botId = bot.id;
  const entry = await createFlow(ctx, { botId, document: shippedFlow("entry", "Hello from the entry flow") });
  await publishFlow(ctx, entry.id, {});
  const notice = await createFlow(ctx, {
    botId,
    document: shippedFlow("notice", "Order {{ orderId }} shipped with {{ carrier }}"),
  });
  await publishFlow(ctx, notice.id, {});
  noticeFlowId = notice.id;
}, 60_000);
afterAll(async () => harness?.cleanup());

const textOf = (messages: unknown[]) =>
  messages
    .map((message) => (message as { text?: string }).text)
    .filter((text) => text !== undefined)
    .join("\n");

describe("bot triggers", () => {
  it("are managed per bot and refuse bad mappings, unknown flows and repeated names with the field", async () => {
    const created = await createTrigger(ctx, botId, {
      name: "order-shipped",
      channel: "api",
      flowId: noticeFlowId,
      variables: { orderId: "data.order.id", carrier: "data.order.carrier" },
    });
    expect(created).toMatchObject({
      name: "order-shipped",
      channel: "api",
      enabled: true,
      url: `/api/v1/bots/${botId}/triggers/order-shipped`,
    });
    const paths = async (promise: Promise<unknown>) =>
      ((await promise.catch((error: unknown) => error)) as ServiceError).details.errors?.map(
        (issue) => issue.path,
      );
    expect(await paths(createTrigger(ctx, botId, { name: "bad", variables: { orderId: "data.(" } }))).toEqual(
      ["variables.orderId"],
    );
    expect(
      await paths(createTrigger(ctx, botId, { name: "bad", flowId: "0190a0a0-0000-7000-8000-000000000000" })),
    ).toEqual(["flowId"]);
    expect(await paths(createTrigger(ctx, botId, { name: "order-shipped" }))).toEqual(["name"]);
    expect((await listTriggers(ctx, botId)).map((trigger) => trigger.name)).toEqual(["order-shipped"]);
  }, 30_000);

  it("start a conversation for a new contact, a channel identity or an existing contact, with mapped variables", async () => {
    const payload = { data: { order: { id: "A-42", carrier: "DHL" } } };
    const first = await fireTrigger(ctx, botId, "order-shipped", payload);
    expect(textOf(first.messages)).toBe("Order A-42 shipped with DHL");
    expect(first.channel).toBe("api");
    expect(first.contactId).toEqual(expect.any(String));

    const again = await fireTrigger(ctx, botId, "order-shipped", { ...payload, contactId: first.contactId });
    expect(again.contactId).toBe(first.contactId);
    expect(again.conversationId).not.toBe(first.conversationId);

    const byUser = await fireTrigger(ctx, botId, "order-shipped", {
      ...payload,
      user: { id: "customer-7", name: "Ada" },
    });
    const byUserAgain = await fireTrigger(ctx, botId, "order-shipped", {
      data: { order: { id: "A-43", carrier: "UPS" } },
      user: { id: "customer-7" },
      variables: { carrier: "UPS Express" },
    });
    expect(byUserAgain.contactId).toBe(byUser.contactId);
    expect(textOf(byUserAgain.messages)).toBe("Order A-43 shipped with UPS Express");

    await updateTrigger(ctx, botId, "order-shipped", { flowId: null });
    expect(textOf((await fireTrigger(ctx, botId, "order-shipped", payload)).messages)).toBe(
      "Hello from the entry flow",
    );
    await updateTrigger(ctx, botId, "order-shipped", { flowId: noticeFlowId });
  }, 60_000);

  it("need conversations:write, refuse disabled and unknown triggers", async () => {
    const readOnly: ServiceContext = {
      ...ctx,
      actor: { type: "api_key", keyId: "k", scopes: ["bots:read"], label: "ro" },
    };
    await expect(fireTrigger(readOnly, botId, "order-shipped", {})).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(fireTrigger(ctx, botId, "nope", {})).rejects.toMatchObject({ code: "trigger-not-found" });
    await createTrigger(ctx, botId, { name: "paused", enabled: false });
    await expect(fireTrigger(ctx, botId, "paused", {})).rejects.toMatchObject({ code: "trigger-disabled" });
    await deleteTrigger(ctx, botId, "paused");
    await expect(fireTrigger(ctx, botId, "paused", {})).rejects.toMatchObject({ code: "trigger-not-found" });
  }, 30_000);

  it("fire from a request signed with the bot's trigger secret, and refuse bad or stale signatures", async () => {
    const { secret } = await generateTriggerSecret(ctx, botId);
    expect(secret).toMatch(/^trsec_/);
    const raw = JSON.stringify({ data: { order: { id: "B-1", carrier: "GLS" } } });
    const now = Math.floor(Date.now() / 1000);
    const fired = await fireSignedTrigger(
      harness.deps,
      botId,
      "order-shipped",
      raw,
      signTriggerRequest(secret, raw, now),
    );
    expect(textOf(fired.messages)).toBe("Order B-1 shipped with GLS");

    const refused = (signature: string | undefined, body = raw) =>
      fireSignedTrigger(harness.deps, botId, "order-shipped", body, signature).then(
        () => {
          throw new Error("accepted");
        },
        (error: unknown) => error as ServiceError,
      );
    expect((await refused(signTriggerRequest("trsec_wrong", raw, now))).code).toBe(
      "invalid-trigger-signature",
    );
    expect((await refused(signTriggerRequest(secret, raw, now), `${raw} `)).code).toBe(
      "invalid-trigger-signature",
    );
    expect((await refused(signTriggerRequest(secret, raw, now - 600))).message).toContain("five minutes");
    expect((await refused(undefined)).kind).toBe("unauthenticated");
    expect((await refused("v1=abc")).kind).toBe("unauthenticated");

    const { secret: rotated } = await generateTriggerSecret(ctx, botId);
    expect((await refused(signTriggerRequest(secret, raw, now))).code).toBe("invalid-trigger-signature");
    const ok = await fireSignedTrigger(
      harness.deps,
      botId,
      "order-shipped",
      raw,
      signTriggerRequest(rotated, raw, now),
    );
    expect(ok.conversationId).toEqual(expect.any(String));
  }, 60_000);
});
