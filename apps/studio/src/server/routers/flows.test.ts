import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestTurnEvent } from "@parley/core";
import type { FlowDocument } from "@parley/flow-schema";
import { emptyFlow } from "@parley/flow-schema";
import { startFakeProvider } from "@parley/models/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNode, connect, updateNode } from "../../designer/core/document-ops";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

let harness: StudioHarness;
let owner: StudioCaller;
let botId: string;
beforeAll(async () => {
  harness = await createStudioHarness();
  const { tenantId, ownerId } = await harness.tenant("Flows");
  owner = await harness.as(ownerId, tenantId);
  botId = (await owner.bots.create({ name: "Helper" })).id;
});
afterAll(() => harness?.cleanup());

/** A runnable draft: start -> message -> end. */
function emptyDraft(): Record<string, unknown> {
  const base = emptyFlow("other-draft", "Other");
  const message = addNode(base, "message", { x: 0, y: 150 });
  const withText = updateNode(message.doc, message.nodeId, { data: { text: "hi", quickReplies: [] } });
  return connect(withText, { source: "start", sourceHandle: "next", target: message.nodeId })
    .doc as unknown as Record<string, unknown>;
}

describe("flow lifecycle", () => {
  it("creates an empty flow, saves drafts with optimistic concurrency, validates, publishes, rolls back", async () => {
    const flow = await owner.flows.create({ botId, name: "Greeting", source: { type: "empty" } });
    let document = flow.draft as unknown as FlowDocument;
    expect(document.nodes.map((n) => n.kind)).toEqual(["start"]);

    // Build: start -> message -> end; the message is empty at first (a problem).
    const message = addNode(document, "message", { x: 0, y: 150 });
    const end = addNode(message.doc, "end", { x: 0, y: 300 });
    document = connect(end.doc, { source: "start", sourceHandle: "next", target: message.nodeId }).doc;
    document = connect(document, { source: message.nodeId, sourceHandle: "next", target: end.nodeId }).doc;
    const saved = await owner.flows.saveDraft({
      flowId: flow.id,
      document: document as never,
      expectedRevision: flow.draftRevision,
    });
    expect(saved.flow.draftRevision).toBe(flow.draftRevision + 1);
    expect(saved.validation.problems.map((p) => [p.nodeId, p.code])).toContainEqual([
      message.nodeId,
      "empty-message",
    ]);

    // A second editor still on the old revision is refused, with a code the designer recognises.
    const stale = await owner.flows
      .saveDraft({ flowId: flow.id, document: document as never, expectedRevision: flow.draftRevision })
      .catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(TRPCError);
    expect((stale as TRPCError).code).toBe("CONFLICT");
    expect((stale as TRPCError).message).toMatch(/changed by someone else/);

    // A flow with problems cannot be published.
    await expect(owner.flows.publish({ flowId: flow.id, note: "too early" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    document = updateNode(document, message.nodeId, {
      data: { text: "Hello {{ sys.contactName }}!", quickReplies: [] },
    });
    const fixed = await owner.flows.saveDraft({
      flowId: flow.id,
      document: document as never,
      expectedRevision: saved.flow.draftRevision,
    });
    expect(fixed.validation).toEqual({ ok: true, problems: [] });
    const v1 = await owner.flows.publish({ flowId: flow.id, note: "first" });
    expect(v1.version).toBe(1);

    const changed = updateNode(document, message.nodeId, { data: { text: "Hi again", quickReplies: [] } });
    const third = await owner.flows.saveDraft({
      flowId: flow.id,
      document: changed as never,
      expectedRevision: fixed.flow.draftRevision,
    });
    const v2 = await owner.flows.publish({ flowId: flow.id, note: "second" });
    expect(v2.version).toBe(2);

    const versions = await owner.flows.versions({ flowId: flow.id });
    expect(versions.map((v) => [v.version, v.note])).toEqual([
      [2, "second"],
      [1, "first"],
    ]);
    expect(versions[0]?.publishedBy?.name).toBe("Owner");
    const old = await owner.flows.version({ flowId: flow.id, version: v1.version });
    expect(JSON.stringify(old.document)).toContain("Hello {{ sys.contactName }}!");

    const rolled = await owner.flows.rollback({
      flowId: flow.id,
      version: v1.version,
      expectedRevision: third.flow.draftRevision,
    });
    expect(rolled.version).toBe(3);
    expect(rolled.note).toBe("Rollback to version 1");
    const after = await owner.flows.get({ flowId: flow.id });
    expect(JSON.stringify(after.draft)).toContain("Hello {{ sys.contactName }}!");
    expect(after.publishedVersionId).toBe(rolled.id);
  });

  it("creates flows from starter templates and imports exported JSON", async () => {
    const templates = await owner.flows.templates();
    expect(templates.map((t) => t.id)).toContain("pizza-order");
    const fromTemplate = await owner.flows.create({
      botId,
      name: "Pizza",
      source: { type: "template", templateId: "pizza-order" },
    });
    const exported = await owner.flows.export({ flowId: fromTemplate.id });
    expect(exported.name).toBe("Pizza");
    const imported = await owner.flows.create({
      botId,
      name: "Pizza copy",
      source: { type: "import", document: exported },
    });
    expect((imported.draft as { nodes: unknown[] }).nodes.length).toBe(
      (exported as { nodes: unknown[] }).nodes.length,
    );
    await expect(
      owner.flows.create({ botId, name: "Broken", source: { type: "import", document: { hello: "world" } } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("streams a test turn of the draft: nodes, variables and messages as they happen, then the result", async () => {
    const examples = join(import.meta.dirname, "../../../../../examples/flows");
    const document = JSON.parse(readFileSync(join(examples, "pizza-order.json"), "utf8"));
    const collect = async (iterable: AsyncIterable<TestTurnEvent>) => {
      const events: TestTurnEvent[] = [];
      for await (const event of iterable) events.push(event);
      return events;
    };
    const doneOf = (events: TestTurnEvent[]) => {
      const last = events.at(-1);
      if (last?.type !== "done") throw new Error(`the stream ended with ${JSON.stringify(last)}`);
      return last.result;
    };
    const firstEvents = await collect(
      await owner.flows.testTurn({
        botId,
        document,
        snapshot: null,
        event: { type: "conversation.start" },
        conversationId: "test-1",
      }),
    );
    const first = doneOf(firstEvents);
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.trace.nodes[0]?.kind).toBe("start");
    expect(first.status).toBe("waiting");
    // The live events are the trace's steps, in order, before the result.
    expect(firstEvents.filter((e) => e.type === "node").map((e) => e.nodeId)).toEqual(
      first.trace.nodes.map((n) => n.nodeId),
    );
    expect(firstEvents.filter((e) => e.type === "message")).toHaveLength(first.messages.length);

    const secondEvents = await collect(
      await owner.flows.testTurn({
        botId,
        document,
        snapshot: first.snapshot,
        event: { type: "user.text", text: "Ada" },
        conversationId: "test-1",
      }),
    );
    const second = doneOf(secondEvents);
    expect(second.trace.nodes.length).toBeGreaterThan(0);
    expect(secondEvents).toContainEqual(
      expect.objectContaining({ type: "variable", name: "customerName", after: "Ada" }),
    );

    // A draft that cannot run is refused before anything streams; a snapshot of another draft ends in `error`.
    await expect(
      owner.flows.testTurn({
        botId,
        document: { ...document, nodes: [] },
        snapshot: null,
        event: { type: "conversation.start" },
        conversationId: "test-2",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const mismatched = await collect(
      await owner.flows.testTurn({
        botId,
        document: emptyDraft(),
        snapshot: first.snapshot,
        event: { type: "user.text", text: "hi" },
        conversationId: "test-1",
      }),
    );
    expect(mismatched.at(-1)).toMatchObject({ type: "error", message: expect.stringMatching(/restart/) });
  });
});

describe("test chat with the tenant's models", () => {
  it("answers an llm node through the tenant's default route, as the published bot would", async () => {
    const provider = await startFakeProvider({
      protocol: "openai",
      otherwise: { reply: "Hello from the tenant's model.", usage: { input: 12, output: 6 } },
    });
    try {
      const { tenantId, ownerId } = await harness.tenant("Models chat");
      const me = await harness.as(ownerId, tenantId);
      const bot = (await me.bots.create({ name: "Llm bot" })).id;
      await me.models.saveProvider({ name: "house", kind: "openai_compatible", baseUrl: provider.baseUrl });
      await me.models.saveRoute({
        name: "main",
        isDefault: true,
        policy: { strategy: "fallback", targets: [{ provider: "house", model: "house-1" }] },
      });
      const base = emptyFlow("llm-draft", "Llm");
      const llm = addNode(base, "llm", { x: 0, y: 150 });
      const configured = updateNode(llm.doc, llm.nodeId, {
        data: {
          prompt: "Say hello",
          historyWindow: 0,
          mode: { type: "reply", stream: false },
          timeoutMs: 5_000,
        },
      });
      const document = connect(configured, { source: "start", sourceHandle: "next", target: llm.nodeId }).doc;
      const events: TestTurnEvent[] = [];
      for await (const event of await me.flows.testTurn({
        botId: bot,
        document: document as unknown as Record<string, unknown>,
        snapshot: null,
        event: { type: "conversation.start" },
        conversationId: "models-1",
      }))
        events.push(event);
      const done = events.at(-1);
      if (done?.type !== "done") throw new Error(`the stream ended with ${JSON.stringify(done)}`);
      expect(JSON.stringify(done.result.messages)).toContain("Hello from the tenant's model.");
      expect(provider.requests.length).toBeGreaterThan(0);
    } finally {
      await provider.close();
    }
  });
});

describe("console", () => {
  it("shows an API key once, lists it by prefix, revokes it, and keeps secrets out of the audit log and its CSV", async () => {
    const created = await owner.apiKeys.create({ name: "CI", scopes: ["flows:read", "flows:publish"] });
    expect(created.key).toMatch(/^sk_/);
    const list = await owner.apiKeys.list();
    expect(list.find((k) => k.id === created.apiKey.id)?.prefix).toBe(created.key.slice(0, 11));
    expect(JSON.stringify(list)).not.toContain(created.key);
    await owner.apiKeys.revoke({ keyId: created.apiKey.id });
    expect((await owner.apiKeys.list()).find((k) => k.id === created.apiKey.id)?.revokedAt).not.toBeNull();

    const log = await owner.audit.list({ action: "api_key." });
    expect(log.entries.map((e) => e.action).sort()).toEqual(["api_key.create", "api_key.revoke"]);
    const csv = await owner.audit.exportCsv({});
    expect(csv.csv.split("\r\n")[0]).toBe(
      "time,actor_type,actor,actor_id,action,target_type,target_id,before,after,ip",
    );
    expect(csv.csv).toContain("api_key.create");
    expect(csv.csv).toContain("flow.publish");
    expect(csv.csv).not.toContain(created.key);
  });

  it("updates bot settings with before/after in the audit log, and gives the embed snippet", async () => {
    await owner.bots.update({
      botId,
      changes: { allowedOrigins: ["https://shop.example.com"], widgetTheme: { primaryColor: "#0055ff" } },
    });
    await expect(
      owner.bots.update({ botId, changes: { allowedOrigins: ["not an origin"] } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const bot = await owner.bots.get({ botId });
    expect(bot.embedSnippet).toBe(
      `<script src="http://runtime.test/widget.js" data-bot-id="${botId}" data-key="${bot.publishableKey}" async></script>`,
    );
    const entry = (await owner.audit.list({ action: "bot.update", targetId: botId })).entries[0];
    expect(entry?.after).toMatchObject({ allowedOrigins: ["https://shop.example.com"] });
    expect(entry?.before).toMatchObject({ allowedOrigins: [] });
  });
});
