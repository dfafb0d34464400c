import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * A second tenant's member must see nothing of the first tenant: lists are empty, and foreign,
 * guessed, empty and malformed ids all answer the same "not found" (or a validation error).
 */
let harness: StudioHarness;
let alice: StudioCaller;
let mallory: StudioCaller;
const a = { botId: "", flowId: "", versionId: "", keyId: "" };

beforeAll(async () => {
  harness = await createStudioHarness();
  const first = await harness.tenant("Alice Inc");
  const second = await harness.tenant("Mallory Ltd");
  alice = await harness.as(first.ownerId, first.tenantId);
  mallory = await harness.as(second.ownerId, second.tenantId);
  a.botId = (await alice.bots.create({ name: "Secret bot" })).id;
  const flow = await alice.flows.create({
    botId: a.botId,
    name: "Pizza",
    source: { type: "template", templateId: "pizza-order" },
  });
  a.flowId = flow.id;
  a.versionId = (await alice.flows.publish({ flowId: flow.id, note: "v1" })).id;
  a.keyId = (await alice.apiKeys.create({ name: "k", scopes: ["*"] })).apiKey.id;
});
afterAll(() => harness?.cleanup());

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
};

describe("tenant isolation", () => {
  it("lists nothing of the other tenant", async () => {
    expect(await mallory.bots.list()).toEqual([]);
    expect(await mallory.apiKeys.list()).toEqual([]);
    expect((await mallory.members.list()).map((m) => m.name)).toEqual(["Owner"]);
    expect(
      (await mallory.audit.list({})).entries.every((e) => e.targetId !== a.botId && e.targetId !== a.flowId),
    ).toBe(true);
    expect(await mallory.audit.exportCsv({}).then((r) => r.csv.includes(a.botId))).toBe(false);
  });

  it("answers not found for foreign ids, on reads and writes alike", async () => {
    const aliceTenant = (await alice.auth.me())?.activeTenant?.id as string;
    const calls: [string, () => Promise<unknown>][] = [
      ["bots.get", () => mallory.bots.get({ botId: a.botId })],
      ["bots.update", () => mallory.bots.update({ botId: a.botId, changes: { name: "pwned" } })],
      ["bots.rotatePublishableKey", () => mallory.bots.rotatePublishableKey({ botId: a.botId })],
      ["flows.list", () => mallory.flows.list({ botId: a.botId })],
      ["flows.get", () => mallory.flows.get({ flowId: a.flowId })],
      ["flows.export", () => mallory.flows.export({ flowId: a.flowId })],
      ["flows.versions", () => mallory.flows.versions({ flowId: a.flowId })],
      ["flows.version", () => mallory.flows.version({ flowId: a.flowId, versionId: a.versionId })],
      ["flows.publish", () => mallory.flows.publish({ flowId: a.flowId, note: "" })],
      [
        "flows.saveDraft",
        () => mallory.flows.saveDraft({ flowId: a.flowId, document: {}, expectedRevision: 0 }),
      ],
      [
        "flows.rollback",
        () => mallory.flows.rollback({ flowId: a.flowId, versionId: a.versionId, expectedRevision: 1 }),
      ],
      ["flows.create", () => mallory.flows.create({ botId: a.botId, name: "x", source: { type: "empty" } })],
      ["apiKeys.revoke", () => mallory.apiKeys.revoke({ keyId: a.keyId })],
      ["tenants.switch", () => mallory.tenants.switch({ tenantId: aliceTenant })],
    ];
    for (const [name, call] of calls) {
      const code = await codeOf(call());
      expect(["NOT_FOUND", "BAD_REQUEST"], `${name} gave ${code}`).toContain(code);
    }
    // Nothing changed for Alice.
    expect((await alice.bots.get({ botId: a.botId })).name).toBe("Secret bot");
    expect((await alice.apiKeys.list())[0]?.revokedAt).toBeNull();
  });

  it("answers guessed, empty and malformed ids the same way", async () => {
    for (const id of ["01a20000-0000-7000-8000-000000000000", "", " ", "../../etc", "' OR 1=1 --"]) {
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(mallory.bots.get({ botId: id })));
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(mallory.flows.get({ flowId: id })));
    }
  });
});
