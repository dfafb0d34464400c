import { TRANSCRIPT_HOT_MESSAGES_MIN } from "@parley/config";
import type { ConversationEvent } from "@parley/contract";
import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eraseContact } from "../contacts/erase";
import { exportContact } from "../contacts/export";
import type { CoreDeps, ServiceContext } from "../context";
import { listConversations } from "../conversation-browser/list-conversations";
import {
  endConversation,
  getConversation,
  sendMessage,
  startConversation,
} from "../conversations/conversations";
import { HISTORY_MESSAGES, historyOf } from "../conversations/engine-turn";
import { hotKey } from "../conversations/load";
import { openConversationEvents } from "../inbox/event-stream";
import { SUMMARY_HISTORY } from "../inbox/summary";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { memoryTranscripts } from "../test-support/memory-transcripts";
import { ENDED_GRACE_MS, PRUNE_SLACK, pruneHotHistory } from "./hot-history";
import {
  runTranscriptJob,
  SWEEP_SETTLE_MS,
  sweepTranscripts,
  syncConversation,
  TRANSCRIPT_QUEUE,
} from "./transcript-mirror";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const KEEP = TRANSCRIPT_HOT_MESSAGES_MIN;
const kinds = await availableTestDatabaseKinds();
const later = () => new Date(Date.now() + SWEEP_SETTLE_MS + 60_000);

it("keeps at least the widest window a turn and the inbox read from Postgres", () => {
  expect(HISTORY_MESSAGES).toBeLessThanOrEqual(TRANSCRIPT_HOT_MESSAGES_MIN);
  expect(SUMMARY_HISTORY).toBeLessThanOrEqual(TRANSCRIPT_HOT_MESSAGES_MIN);
});

describe.each(kinds)("hot history in Postgres with an archive (%s)", (kind) => {
  let harness: Harness;
  let archive: ReturnType<typeof memoryTranscripts>;
  let deps: CoreDeps;
  let ctx: ServiceContext;
  let botId: string;

  beforeAll(async () => {
    harness = await createHarness({ kind });
    archive = memoryTranscripts();
    deps = { ...harness.deps, transcripts: archive, transcriptHotMessages: KEEP };
    const seed = await seedTenant(harness.deps, "Hot");
    ctx = { ...seed.ctx, deps };
    botId = seed.bot.id;
  }, 120_000);
  afterAll(() => harness?.cleanup());

  /** Appends `count` messages to Postgres (as committed turns would); `textless` seqs get no text. */
  async function grow(
    conversationId: string,
    count: number,
    textless: (seq: number) => boolean = () => false,
  ) {
    const db = deps.db.forTenant(ctx.tenantId);
    const { lastSeq } = await db.conversation.findFirstOrThrow({
      where: { id: conversationId },
      select: { lastSeq: true },
    });
    const rows = Array.from({ length: count }, (_, i) => {
      const seq = lastSeq + i + 1;
      const text = textless(seq) ? null : `message ${seq}`;
      return {
        tenantId: ctx.tenantId,
        conversationId,
        seq,
        author: seq % 2 === 0 ? ("user" as const) : ("bot" as const),
        payload: text === null ? { type: "image", url: "https://shop.test/a.png" } : { type: "text", text },
        text,
      };
    });
    await db.message.createMany({ data: rows });
    await db.conversation.update({ where: { id: conversationId }, data: { lastSeq: lastSeq + count } });
    await deps.infra.cache.delete(hotKey(ctx.tenantId, conversationId));
    return lastSeq + count;
  }

  async function postgresSeqs(conversationId: string): Promise<number[]> {
    const rows = await deps.db.forTenant(ctx.tenantId).message.findMany({
      where: { conversationId },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    return rows.map((row) => row.seq);
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  async function longConversation(name: string, messages: number) {
    const started = await startConversation(ctx, botId, { user: { id: `ext-${name}`, name } });
    const lastSeq = await grow(started.conversationId, messages);
    return { conversationId: started.conversationId, lastSeq };
  }

  it("prunes nothing the archive has not confirmed: a failed copy leaves Postgres whole", async () => {
    const { conversationId, lastSeq } = await longConversation("Fail", 200);
    const append = archive.appendMessages;
    archive.appendMessages = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:27017");
    };
    try {
      await expect(runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId })).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      archive.appendMessages = append;
    }
    expect(await postgresSeqs(conversationId)).toEqual(range(1, lastSeq));
  });

  it("prunes only up to the archive's stored seq, never a message not yet copied", async () => {
    const { conversationId } = await longConversation("Behind", 200);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const archivedSeq = (await archive.storedSeq(ctx.tenantId, conversationId))!;
    const lastSeq = await grow(conversationId, 150);
    // Postgres's window alone would keep only the last 40; the 150 not yet copied must stay.
    await pruneHotHistory(deps, ctx.tenantId, conversationId, archivedSeq);
    expect(await postgresSeqs(conversationId)).toEqual(range(archivedSeq + 1, lastSeq));
    // The transcript is whole: the archive up to its seq, Postgres after it.
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(range(1, lastSeq));
  });

  it("after the copy, keeps the window in Postgres (in several batches) and the turn sees the same history", async () => {
    const { conversationId, lastSeq } = await longConversation("Long", 1_300);
    const before = await historyOf(ctx, conversationId);
    const { pruned } = await syncConversation(deps, archive, ctx.tenantId, conversationId);
    expect(pruned).toBe(lastSeq - KEEP);
    expect(await postgresSeqs(conversationId)).toEqual(range(lastSeq - KEEP + 1, lastSeq));
    expect(await historyOf(ctx, conversationId)).toEqual(before);
    expect(before).toHaveLength(HISTORY_MESSAGES);
    // A turn runs on the pruned conversation, and its messages are copied and kept.
    await sendMessage(ctx, conversationId, { text: "large please" });
    const after = await postgresSeqs(conversationId);
    expect(after.at(-1)).toBeGreaterThan(lastSeq);
    expect(after[0]).toBe(lastSeq - KEEP + 1);
  });

  it("keeps the window in messages with text: messages without text widen it", async () => {
    const started = await startConversation(ctx, botId, { user: { id: "ext-images", name: "Ima" } });
    // Every third message is an image without text.
    const lastSeq = await grow(started.conversationId, 300, (seq) => seq % 3 === 0);
    const before = await historyOf(ctx, started.conversationId);
    await syncConversation(deps, archive, ctx.tenantId, started.conversationId);
    const kept = await deps.db.forTenant(ctx.tenantId).message.findMany({
      where: { conversationId: started.conversationId },
      orderBy: { seq: "asc" },
      select: { seq: true, text: true },
    });
    expect(kept.filter((message) => message.text !== null)).toHaveLength(KEEP);
    expect(kept.at(-1)?.seq).toBe(lastSeq);
    expect(kept[0]?.text).not.toBeNull();
    expect(await historyOf(ctx, started.conversationId)).toEqual(before);
  });

  it("leaves a conversation within the window plus the slack alone", async () => {
    const { conversationId, lastSeq } = await longConversation("Short", KEEP + PRUNE_SLACK - 10);
    const { pruned } = await syncConversation(deps, archive, ctx.tenantId, conversationId);
    expect(pruned).toBe(0);
    expect(await postgresSeqs(conversationId)).toEqual(range(1, lastSeq));
  });

  it("an ended conversation keeps its messages for the grace, then Postgres keeps none of them", async () => {
    const { conversationId } = await longConversation("Ended", 30);
    await endConversation(ctx, conversationId);
    const db = deps.db.forTenant(ctx.tenantId);
    const { lastSeq } = await db.conversation.findFirstOrThrow({
      where: { id: conversationId },
      select: { lastSeq: true },
    });
    // The step that ended it queued the late copy that prunes it.
    const job = await deps.infra.queue.getJob(TRANSCRIPT_QUEUE, `transcript-ended:${conversationId}`);
    expect(job?.data).toEqual({ tenantId: ctx.tenantId, conversationId });
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    expect(await postgresSeqs(conversationId)).toEqual(range(1, lastSeq));
    // The grace has passed (as when the delayed job runs).
    await db.conversation.update({
      where: { id: conversationId },
      data: { endedAt: new Date(Date.now() - ENDED_GRACE_MS - 1_000) },
    });
    const { pruned } = await syncConversation(deps, archive, ctx.tenantId, conversationId);
    expect(pruned).toBe(lastSeq);
    expect(await postgresSeqs(conversationId)).toEqual([]);
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(range(1, lastSeq));
    expect(transcript.status).toBe("ended");
  });

  it("the sweep prunes what it copies", async () => {
    const { conversationId, lastSeq } = await longConversation("Swept", 400);
    await sweepTranscripts(deps, later());
    expect(await postgresSeqs(conversationId)).toEqual(range(lastSeq - KEEP + 1, lastSeq));
  });

  it("the transcript, the list, the event replay and a contact's export still show every message", async () => {
    const { conversationId, lastSeq } = await longConversation("Reader", 600);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    expect((await postgresSeqs(conversationId))[0]).toBe(lastSeq - KEEP + 1);
    // A step committed after the copy: its messages are only in Postgres.
    await sendMessage(ctx, conversationId, { text: "large please" });
    const all = range(1, (await postgresSeqs(conversationId)).at(-1)!);
    const transcript = await getConversation(ctx, conversationId);
    expect(transcript.entries.map((entry) => entry.seq)).toEqual(all);
    const listed = await listConversations(ctx, botId);
    expect(listed.items.map((item) => item.conversationId)).toContain(conversationId);
    const exported = await exportContact(ctx, transcript.contactId!);
    expect(exported.conversations[0]?.messages.map((message) => message.seq)).toEqual(all);
    // A client resuming the live stream from an old event id gets the archived messages first.
    const events: ConversationEvent[] = [];
    const abort = new AbortController();
    await openConversationEvents(
      ctx,
      conversationId,
      { lastEventId: 10, signal: abort.signal },
      { send: (event) => events.push(event), close: () => {} },
    );
    await vi.waitFor(() =>
      expect(events.filter((event) => event.event === "message")).toHaveLength(all.length - 10),
    );
    abort.abort();
    expect(events.flatMap((event) => (event.event === "message" ? [event.data.seq] : []))).toEqual(
      all.slice(10),
    );
  });

  it("while the archive is unreachable, a pruned transcript is unavailable rather than partial", async () => {
    const { conversationId } = await longConversation("Outage", 300);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const read = archive.readTranscript;
    archive.readTranscript = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:27017");
    };
    try {
      await expect(getConversation(ctx, conversationId)).rejects.toMatchObject({
        kind: "unavailable",
        code: "transcript-archive-unavailable",
      });
      // A conversation Postgres still has whole is served from Postgres.
      const { conversationId: fresh } = await startConversation(ctx, botId, {});
      const transcript = await getConversation(ctx, fresh);
      expect(transcript.entries[0]?.seq).toBe(1);
    } finally {
      archive.readTranscript = read;
    }
  });

  it("erasure removes the messages from Postgres and the archive, and counts the archived ones", async () => {
    const { conversationId, lastSeq } = await longConversation("Erased", 300);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    const { contactId } = await getConversation(ctx, conversationId);
    const erased = await eraseContact(ctx, contactId!);
    expect(erased.messages).toBe(lastSeq);
    expect(await postgresSeqs(conversationId)).toEqual([]);
    expect(await archive.getConversation(ctx.tenantId, conversationId)).toBeNull();
    expect((await archive.readTranscript(ctx.tenantId, conversationId)).entries).toEqual([]);
  });

  it("two processes pruning one conversation: one does the work, the other neither waits nor repeats it", async () => {
    const { conversationId, lastSeq } = await longConversation("Twice", 900);
    await runTranscriptJob(deps, { tenantId: ctx.tenantId, conversationId });
    expect((await postgresSeqs(conversationId))[0]).toBe(lastSeq - KEEP + 1);
    const grown = await grow(conversationId, 200);
    if (kind === "postgres") {
      // Another process holds the conversation's prune lock: a copy meanwhile copies, and its
      // prune gives way at once instead of waiting (the embedded database has one connection).
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held = () => {};
      const holding = new Promise<void>((resolve) => {
        held = resolve;
      });
      const other = deps.db.system.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('parley.hot-history'), hashtext(${conversationId}))`;
        held();
        await released;
      });
      await holding;
      try {
        const { pruned } = await syncConversation(deps, archive, ctx.tenantId, conversationId);
        expect(pruned).toBe(0);
      } finally {
        release();
        await other;
      }
      expect((await postgresSeqs(conversationId))[0]).toBe(lastSeq - KEEP + 1);
    } else {
      // A copy with a window too wide to prune.
      const wide = { ...deps, transcriptHotMessages: 100_000 };
      await syncConversation(wide, archive, ctx.tenantId, conversationId);
    }
    expect(await archive.storedSeq(ctx.tenantId, conversationId)).toBe(grown);
    // Two at once: the messages are removed once in all.
    const results = await Promise.all([
      pruneHotHistory(deps, ctx.tenantId, conversationId, grown),
      pruneHotHistory(deps, ctx.tenantId, conversationId, grown),
    ]);
    expect(results[0].pruned + results[1].pruned).toBe(200);
    expect(await postgresSeqs(conversationId)).toEqual(range(grown - KEEP + 1, grown));
  });

  it("plans each batch as an index range of the conversation, whatever the statistics", async () => {
    const { conversationId } = await longConversation("Plan", 3_000);
    const scope = `tenant_id = '${ctx.tenantId}' AND conversation_id = '${conversationId}'`;
    // The two statements of a batch (pruneHotHistory), as the planner sees them.
    const statements = [
      `SELECT seq FROM messages WHERE ${scope} AND seq > 500 AND seq < 2900 ORDER BY seq OFFSET 499 LIMIT 1`,
      `DELETE FROM messages WHERE ${scope} AND seq > 500 AND seq <= 999`,
    ];
    for (const statement of statements) {
      const [row] = await deps.db.system.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
        `EXPLAIN (FORMAT JSON) ${statement}`,
      );
      const raw = row!["QUERY PLAN"];
      const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      const nodes = nodesOf(plan[0]!.Plan);
      expect(nodes.filter((node) => node["Index Name"]).map((node) => node["Index Name"])).toEqual([
        "messages_tenant_id_conversation_id_seq_key",
      ]);
      const scan = nodes.find((node) => node["Index Name"]);
      expect(scan?.["Index Cond"]).toMatch(/seq > 500/);
      expect(nodes.map((node) => node["Node Type"])).not.toContain("Sort");
      expect(nodes.map((node) => node["Node Type"])).not.toContain("Nested Loop");
    }
  });

  it("keeps a messaging channel's messages after the last settled delivery", async () => {
    const { conversationId, lastSeq } = await longConversation("Channel", 300);
    const db = deps.db.forTenant(ctx.tenantId);
    const channel = await db.channelConfig.create({
      data: { tenantId: ctx.tenantId, botId, channel: "slack", name: "Slack" },
    });
    await db.conversation.update({ where: { id: conversationId }, data: { channelConfigId: channel.id } });
    const delivered = await db.message.findFirstOrThrow({ where: { conversationId, seq: 100 } });
    await db.channelDelivery.create({
      data: {
        tenantId: ctx.tenantId,
        channelConfigId: channel.id,
        conversationId,
        messageId: delivered.id,
        seq: 100,
        status: "sent",
      },
    });
    await syncConversation(deps, archive, ctx.tenantId, conversationId);
    expect(await postgresSeqs(conversationId)).toEqual(range(101, lastSeq));
  });
});

describe("without an archive (no MONGODB_URL)", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness();
  }, 120_000);
  afterAll(() => harness?.cleanup());

  it("Postgres keeps every message", async () => {
    const seed = await seedTenant(harness.deps, "Plain hot");
    const { conversationId } = await startConversation(seed.ctx, seed.bot.id, {});
    const db = harness.deps.db.forTenant(seed.tenant.id);
    const { lastSeq } = await db.conversation.findFirstOrThrow({
      where: { id: conversationId },
      select: { lastSeq: true },
    });
    await db.message.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({
        tenantId: seed.tenant.id,
        conversationId,
        seq: lastSeq + i + 1,
        author: "user" as const,
        payload: { type: "text", text: `m${i}` },
        text: `m${i}`,
      })),
    });
    await db.conversation.update({ where: { id: conversationId }, data: { lastSeq: lastSeq + 300 } });
    expect(await sweepTranscripts(harness.deps, later())).toEqual({ conversations: 0 });
    expect(await db.message.count({ where: { conversationId } })).toBe(lastSeq + 300);
    const transcript = await getConversation(seed.ctx, conversationId);
    expect(transcript.entries).toHaveLength(lastSeq + 300);
  });
});
