import { openMongoTranscriptStore, postgresContactDirectory, type TranscriptStore } from "@parley/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eraseContact } from "../contacts/erase";
import type { CoreDeps, ServiceContext } from "../context";
import { listConversations } from "../conversation-browser/list-conversations";
import { getConversation, sendMessage, startConversation } from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { memoryTranscripts } from "../test-support/memory-transcripts";
import { runTranscriptJob, SWEEP_SETTLE_MS, sweepTranscripts, TRANSCRIPT_QUEUE } from "./transcript-mirror";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

const mongoUrl = process.env.MONGODB_URL;
// The archive stands in for MongoDB in memory everywhere, and is MongoDB itself with MONGODB_URL
// (the URL's database; the rows belong to tenants made here).
const archives: [string, (deps: CoreDeps) => Promise<TranscriptStore>][] = [
  ["memory", async () => memoryTranscripts()],
  ...(mongoUrl
    ? [
        [
          "mongodb",
          async (deps: CoreDeps) => {
            const store = await openMongoTranscriptStore({
              url: mongoUrl,
              contacts: postgresContactDirectory(deps.db),
            });
            await store.prepare();
            return store;
          },
        ] as [string, (deps: CoreDeps) => Promise<TranscriptStore>],
      ]
    : []),
];

/** Postgres's seqs of a conversation's messages. */
async function postgresSeqs(deps: CoreDeps, tenantId: string, conversationId: string): Promise<number[]> {
  const rows = await deps.db.forTenant(tenantId).message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { seq: true },
  });
  return rows.map((row) => row.seq);
}

async function lastSeqOf(deps: CoreDeps, tenantId: string, conversationId: string): Promise<number> {
  const row = await deps.db.forTenant(tenantId).conversation.findFirstOrThrow({
    where: { id: conversationId },
    select: { lastSeq: true },
  });
  return row.lastSeq;
}

/** After the sweep's settling delay: every change made so far is old enough to be read. */
const later = () => new Date(Date.now() + SWEEP_SETTLE_MS + 60_000);

describe.each(archives)("transcript mirror to an archive (%s)", (_name, openArchive) => {
  let archive: TranscriptStore;
  let deps: CoreDeps;
  let ctx: ServiceContext;
  let botId: string;

  beforeAll(async () => {
    archive = await openArchive(harness.deps);
    deps = { ...harness.deps, transcripts: archive };
    const seed = await seedTenant(harness.deps, "Mirror");
    ctx = { ...seed.ctx, deps };
    botId = seed.bot.id;
  });
  afterAll(() => archive?.close());

  it("queues a committed step's copy, which copies the messages and the row idempotently", async () => {
    const { conversationId } = await startConversation(ctx, botId, { user: { id: "ext-1", name: "Ada" } });
    const lastSeq = await lastSeqOf(deps, ctx.tenantId, conversationId);
    const job = await deps.infra.queue.getJob(TRANSCRIPT_QUEUE, `transcript:${conversationId}:${lastSeq}`);
    expect(job?.data).toEqual({ tenantId: ctx.tenantId, conversationId });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const copied = await archive.readTranscript(ctx.tenantId, conversationId);
    expect(copied.entries.map((entry) => entry.seq)).toEqual(
      await postgresSeqs(deps, ctx.tenantId, conversationId),
    );
    expect(await archive.storedSeq(ctx.tenantId, conversationId)).toBe(lastSeq);
    // The studio's list and the REST list read the archive.
    const listed = await listConversations(ctx, botId);
    expect(listed.items[0]).toMatchObject({
      conversationId,
      contactName: "Ada",
      state: "active",
      channel: "api",
    });
  });

  it("serves a transcript whole although the archive is behind (the tail comes from Postgres)", async () => {
    const { conversationId } = await startConversation(ctx, botId, { user: { id: "ext-2" } });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const copiedSeq = await archive.storedSeq(ctx.tenantId, conversationId);
    await sendMessage(ctx, conversationId, { text: "large please" });
    const all = await postgresSeqs(deps, ctx.tenantId, conversationId);
    expect(all.length).toBeGreaterThan(copiedSeq!);
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(all);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const copied = await archive.readTranscript(ctx.tenantId, conversationId);
    expect(copied.entries.map((entry) => entry.seq)).toEqual(all);
  });

  it("sweeps what no job copied and changes made outside turns, then moves its mark", async () => {
    const { conversationId } = await startConversation(ctx, botId, { user: { id: "ext-3" } });
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toBeNull();
    const swept = await sweepTranscripts(deps, later());
    expect(swept.conversations).toBeGreaterThanOrEqual(1);
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toMatchObject({ conversationId });
    expect(
      (await archive.readTranscript(ctx.tenantId, conversationId)).entries.map((entry) => entry.seq),
    ).toEqual(await postgresSeqs(deps, ctx.tenantId, conversationId));
    expect(await sweepTranscripts(deps, later())).toEqual({ conversations: 0 });
    // A rating written outside a turn reaches the archive through the sweep.
    await deps.db
      .forTenant(ctx.tenantId)
      .conversation.update({ where: { id: conversationId }, data: { csatScore: 4 } });
    expect(await sweepTranscripts(deps, later())).toEqual({ conversations: 1 });
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toMatchObject({ csatScore: 4 });
  });

  it("erases a contact's transcripts from the archive too, and a late copy does not bring them back", async () => {
    const { conversationId } = await startConversation(ctx, botId, { user: { id: "ext-4", name: "Erin" } });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const { contactId } = await getConversation(ctx, conversationId);
    expect(contactId).not.toBeNull();
    await eraseContact(ctx, contactId!);
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toBeNull();
    expect((await archive.readTranscript(ctx.tenantId, conversationId)).entries).toEqual([]);
    // The job of the step that was in flight runs after the erasure.
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toBeNull();
    expect((await archive.readTranscript(ctx.tenantId, conversationId)).entries).toEqual([]);
  });
});

describe("while the archive is unreachable", () => {
  it("lists and transcripts are read from Postgres, which holds every transcript", async () => {
    const down = memoryTranscripts();
    const refuse = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:27017");
    };
    down.listConversations = refuse;
    down.readTranscript = refuse;
    const deps: CoreDeps = { ...harness.deps, transcripts: down };
    const seed = await seedTenant(harness.deps, "Down");
    const ctx = { ...seed.ctx, deps };
    const { conversationId } = await startConversation(ctx, seed.bot.id, {
      user: { id: "ext-5", name: "Dee" },
    });
    const listed = await listConversations(ctx, seed.bot.id);
    expect(listed.items.map((item) => item.conversationId)).toEqual([conversationId]);
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(
      await postgresSeqs(deps, ctx.tenantId, conversationId),
    );
  });

  it("an erasure reaches the archive later, through a queued job", async () => {
    const archive = memoryTranscripts();
    const deps: CoreDeps = { ...harness.deps, transcripts: archive };
    const seed = await seedTenant(harness.deps, "Erase later");
    const ctx = { ...seed.ctx, deps };
    const { conversationId } = await startConversation(ctx, seed.bot.id, {
      user: { id: "ext-6", name: "Eve" },
    });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const { contactId } = await getConversation(ctx, conversationId);
    const removeConversations = archive.removeConversations;
    archive.removeConversations = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:27017");
    };
    await eraseContact(ctx, contactId!);
    expect(await archive.getConversation(ctx.tenantId, conversationId)).not.toBeNull();
    const job = await deps.infra.queue.getJob(TRANSCRIPT_QUEUE, `transcript-erase:${conversationId}`);
    expect(job?.data).toEqual({ tenantId: ctx.tenantId, conversationId });
    archive.removeConversations = removeConversations;
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toBeNull();
    expect((await archive.readTranscript(ctx.tenantId, conversationId)).entries).toEqual([]);
  });
});

describe("without MONGODB_URL", () => {
  it("queues no copy: the turn's path is unchanged", async () => {
    const seed = await seedTenant(harness.deps, "Plain");
    const { conversationId } = await startConversation(seed.ctx, seed.bot.id, {});
    const lastSeq = await lastSeqOf(harness.deps, seed.tenant.id, conversationId);
    expect(
      await harness.deps.infra.queue.getJob(TRANSCRIPT_QUEUE, `transcript:${conversationId}:${lastSeq}`),
    ).toBeUndefined();
    expect(await sweepTranscripts(harness.deps, later())).toEqual({ conversations: 0 });
  });
});
