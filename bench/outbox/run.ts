/**
 * Outbox bench: `npx tsx bench/outbox/run.ts` prints ONE JSON object.
 *
 * What the transactional outbox adds to a turn, and what relaying costs, on real Postgres
 * (BENCH_POSTGRES_URL's server; a scratch database). The same turn commits (parley_commit_step through
 * the conversation store: a first step with two bot messages, then steps of one user message and one
 * bot reply, each with its `turn` analytics event and lifecycle events where the status changes) run
 * with the step's stream events (`outbox`, as core builds them) and without (`outbox: []`), in
 * alternating blocks so both see the same machine load. CPU is measured, not wall time: this process
 * (building the step and its JSON) via process.cpuUsage, and the database's backends of the scratch
 * database via /proc/<pid>/stat; reported per step and as the added share. Then the relay drains
 * everything to one no-op consumer group: CPU per event (process + database). Load average is reported
 * with the figures (the machine is shared).
 * BENCH_STEPS (4000 steps per variant), BENCH_BLOCKS (8).
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { stepStreamEvents } from "@parley/core";
import type { Database, TurnCommit } from "@parley/db";
import { createTestDatabase } from "@parley/db/testing";
import pg from "pg";
import { processCpuMs } from "../runtime/processes";

const STEPS = Number(process.env.BENCH_STEPS ?? 4000);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 8);
const STEPS_PER_CONVERSATION = 4;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function backendPids(url: string, applicationName?: string): Promise<number[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND ($1::text IS NULL OR application_name = $1)`,
      [applicationName ?? null],
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/** CPU of each backend now; a backend gone since (an idle pool connection closed) counts as its last reading. */
const cpuOf = (pids: readonly number[]) => new Map(pids.map((pid) => [pid, processCpuMs(pid)]));
const cpuSince = (before: Map<number, number>) => {
  let total = 0;
  for (const [pid, ms] of before) {
    const now = processCpuMs(pid);
    if (now >= ms) total += now - ms;
  }
  return total;
};
const selfCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function main() {
  const testDb = await createTestDatabase({ kind: "postgres" });
  const db: Database = testDb.db;
  try {
    const tenant = await db.system.tenant.create({ data: { name: "bench", slug: `bench-${Date.now()}` } });
    const tenantId = tenant.id;
    const bot = await db.system.bot.create({
      data: { tenantId, name: "bot", publishableKey: `pk_${randomUUID()}`, allowedOrigins: [] },
    });
    const flow = await db.system.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
    const version = await db.system.flowVersion.create({
      data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
    });
    const store = db.conversationStore(tenantId);

    /** One step of a conversation, with or without its stream events. */
    const stepOf = (id: string, step: number, withOutbox: boolean): TurnCommit => {
      const now = new Date();
      const seq = step === 0 ? 0 : 2 + (step - 1) * 2;
      const messages =
        step === 0
          ? [
              {
                id: randomUUID(),
                seq: 1,
                author: "bot" as const,
                payload: { type: "text", nodeId: "hi", text: "Hello! I take pizza orders." },
                text: "Hello! I take pizza orders.",
                nodeId: "hi",
                createdAt: now,
              },
              {
                id: randomUUID(),
                seq: 2,
                author: "bot" as const,
                payload: { type: "text", nodeId: "name", text: "What is your name?" },
                text: "What is your name?",
                nodeId: "name",
                createdAt: now,
              },
            ]
          : [
              {
                id: randomUUID(),
                seq: seq + 1,
                author: "user" as const,
                payload: { type: "user_text", text: "Ada" },
                text: "Ada",
                clientMessageId: randomUUID(),
                createdAt: now,
              },
              {
                id: randomUUID(),
                seq: seq + 2,
                author: "bot" as const,
                payload: {
                  type: "quick_replies",
                  nodeId: "size",
                  text: "Which size?",
                  options: [
                    { label: "Small", value: "small" },
                    { label: "Large", value: "large" },
                  ],
                },
                text: "Which size?",
                nodeId: "size",
                createdAt: now,
              },
            ];
      const last = step === STEPS_PER_CONVERSATION - 1;
      const status = last ? ("ended" as const) : ("waiting" as const);
      const analytics = [
        {
          id: randomUUID(),
          type: "turn",
          properties: {
            latencyMs: 3.2,
            status,
            nodes: ["name", "size"],
            variablesChanged: [],
            entered: ["size"],
            messages: messages.length,
            effects: [],
          },
          occurredAt: now,
        },
        ...(step === 0
          ? [
              {
                id: randomUUID(),
                type: "conversation.started",
                properties: { channel: "web" },
                occurredAt: now,
              },
            ]
          : []),
      ];
      return {
        conversationId: id,
        botId: bot.id,
        flowVersionId: version.id,
        ...(step === 0
          ? {
              create: {
                flowId: flow.id,
                contactId: null,
                channel: "web" as const,
                metadata: {},
                startedAt: now,
              },
            }
          : {}),
        expectedLastSeq: seq,
        set: {
          status,
          lastSeq: seq + messages.length,
          lastActivityAt: now,
          turnCountIncrement: 1,
          snapshot: { value: "size" },
          variables: { customerName: "Ada" },
          ...(last ? { endedAt: now } : {}),
        },
        messages,
        analytics,
        outbox: withOutbox
          ? stepStreamEvents({
              tenantId,
              conversationId: id,
              botId: bot.id,
              channel: "web",
              created: step === 0,
              previousStatus: "waiting",
              status,
              messages,
              analytics,
              now,
            })
          : [],
      };
    };

    const totals = {
      with: { steps: 0, selfMs: 0, dbMs: 0, events: 0 },
      without: { steps: 0, selfMs: 0, dbMs: 0, events: 0 },
    };
    // Warm-up (plans, caches), unmeasured.
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      for (let step = 0; step < STEPS_PER_CONVERSATION; step++)
        await store.commit(stepOf(id, step, i % 2 === 0));
    }
    const pids = await backendPids(testDb.url);
    const perBlock = Math.max(
      STEPS_PER_CONVERSATION,
      Math.floor(STEPS / BLOCKS / STEPS_PER_CONVERSATION) * STEPS_PER_CONVERSATION,
    );
    const loadBefore = loadavg();
    for (let block = 0; block < BLOCKS * 2; block++) {
      const variant = block % 2 === 0 ? "with" : "without";
      const withOutbox = variant === "with";
      const self0 = selfCpuMs();
      const db0 = cpuOf(pids);
      for (let done = 0; done < perBlock; done += STEPS_PER_CONVERSATION) {
        const id = randomUUID();
        for (let step = 0; step < STEPS_PER_CONVERSATION; step++) {
          const commit = stepOf(id, step, withOutbox);
          totals[variant].events += commit.outbox?.length ?? 0;
          const outcome = await store.commit(commit);
          if (!outcome.committed) throw new Error("a step did not commit");
        }
      }
      totals[variant].selfMs += selfCpuMs() - self0;
      totals[variant].dbMs += cpuSince(db0);
      totals[variant].steps += perBlock;
    }
    const perStep = (variant: "with" | "without") => ({
      steps: totals[variant].steps,
      eventsPerStep: round(totals[variant].events / totals[variant].steps, 2),
      processCpuMs: round(totals[variant].selfMs / totals[variant].steps),
      databaseCpuMs: round(totals[variant].dbMs / totals[variant].steps),
      totalCpuMs: round((totals[variant].selfMs + totals[variant].dbMs) / totals[variant].steps),
    });
    const withOutbox = perStep("with");
    const without = perStep("without");

    // The relay: every event (warm-up included) to one no-op consumer group.
    const pending = await db.system.outboxEvent.count();
    const relay = db.createOutboxRelay({ batchSize: 500 });
    relay.subscribe(
      [
        "message.inbound.v1",
        "message.outbound.v1",
        "conversation.events.v1",
        "analytics.events.v1",
        "integration.events.v1",
      ],
      "bench",
      async () => {},
    );
    // The first pass (connects, takes the lock) is not measured; its events are not counted.
    const first = await relay.runOnce();
    const relayPids = await backendPids(testDb.url, "parley-outbox-relay");
    const self0 = selfCpuMs();
    const db0 = cpuOf(relayPids);
    const pass = await relay.drain();
    const relaySelf = selfCpuMs() - self0;
    const relayDb = cpuSince(db0);
    await relay.stop();

    console.log(
      JSON.stringify(
        {
          bench: "outbox",
          loadAverage: {
            before: loadBefore.map((v) => round(v, 2)),
            after: loadavg().map((v) => round(v, 2)),
          },
          commit: {
            withOutbox,
            withoutOutbox: without,
            addedCpuMsPerStep: round(withOutbox.totalCpuMs - without.totalCpuMs),
            addedProcessCpuMsPerStep: round(withOutbox.processCpuMs - without.processCpuMs),
            addedDatabaseCpuMsPerStep: round(withOutbox.databaseCpuMs - without.databaseCpuMs),
            ratio: round(withOutbox.totalCpuMs / without.totalCpuMs),
          },
          relay: {
            events: pending,
            deliveredUnmeasured: first.delivered,
            delivered: pass.delivered,
            pruned: pass.pruned,
            processCpuMsPerEvent: round(relaySelf / Math.max(1, pass.delivered), 4),
            databaseCpuMsPerEvent: round(relayDb / Math.max(1, pass.delivered), 4),
          },
          note: "CPU from /proc (10 ms ticks) and process.cpuUsage over alternating blocks; ratio = with / without",
        },
        null,
        2,
      ),
    );
  } finally {
    await testDb.cleanup();
  }
}

await main();
