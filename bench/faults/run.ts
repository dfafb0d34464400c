/**
 * Faults under load: `npm run bench:faults -w @parley/bench` prints ONE JSON object.
 *
 * A private Postgres (initdb into /tmp, port BENCH_FAULTS_PG_PORT, default 5544) and a private Redis
 * (port BENCH_FAULTS_REDIS_PORT, default 6390, no persistence) are started for the run, so they can
 * be restarted without touching the shared instances; the runtime runs as a cluster
 * (`apps/runtime/src/main.ts --workers N`: the node:cluster primary `parley start --workers N` runs,
 * which restarts a worker that dies) against them.
 *
 * Load: an open loop offering BENCH_FAULTS_RATE turns/s (default 200) over BENCH_FAULTS_CONVERSATIONS
 * conversation slots (default 1,000). Each slot plays the pizza flow over the REST API (start, name,
 * size, phone; then a new conversation); every message carries a client message id, and a failed
 * attempt (5xx, 429, 409 busy, reset connection, timeout) is retried with the same id until it is
 * acknowledged (2xx) or BENCH_FAULTS_GIVE_UP_MS passes. Phases of BENCH_FAULTS_PHASE_MS each
 * (default 30 s) follow a warm-up: a baseline, then a Redis restart, a Postgres restart
 * (`pg_ctl stop -m immediate`: a crash, recovered from WAL) and a SIGKILL of one runtime worker, each
 * BENCH_FAULTS_AT_MS (default 5 s) into its phase.
 *
 * Afterwards every acknowledged conversation's transcript (the messages table) is checked: each
 * acknowledged message is there exactly once (not lost, not duplicated), in the order it was sent,
 * followed by exactly the replies the client was given. Reported per phase: attempts, failed
 * attempts and the error rate, the turn latency (first attempt to acknowledgement), the time to
 * recover (from the fault's start to the first second from which on nothing failed and
 * acknowledgements were back at 80% of the fault-free phase's rate for 3 seconds; null when that never
 * happened within the phase) and the last failure after the fault. `faultInjectionMs` is how long
 * the fault itself took (a Postgres restart includes its crash recovery).
 *
 * Event relay, exactly once per consumer group: a consumer group of the transactional outbox
 * (`db.createOutboxRelay`, run in this process through all the faults) records every event it is
 * handed in its own transaction; afterwards every message must have exactly one event, no event id
 * may repeat, and each conversation's events must come in transcript order (`eventRelay`).
 */
import { Agent, request } from "node:http";
import { cpus, loadavg } from "node:os";
import type { Database } from "@parley/db";
import pg from "pg";
import {
  childPids,
  servicesAvailable,
  startPrivatePostgres,
  startPrivateRedis,
  startRuntimeCluster,
} from "../cluster/services";
import { postgresRedisBackend } from "../runtime/backends";
import { percentile } from "../runtime/load";
import { seed } from "../runtime/seed";

const RATE = Number(process.env.BENCH_FAULTS_RATE ?? 200);
const SLOTS = Number(process.env.BENCH_FAULTS_CONVERSATIONS ?? 1_000);
const WORKERS = Number(process.env.BENCH_FAULTS_WORKERS ?? 2);
const WARMUP_MS = Number(process.env.BENCH_FAULTS_WARMUP_MS ?? 10_000);
const PHASE_MS = Number(process.env.BENCH_FAULTS_PHASE_MS ?? 30_000);
const FAULT_AT_MS = Number(process.env.BENCH_FAULTS_AT_MS ?? 5_000);
const GIVE_UP_MS = Number(process.env.BENCH_FAULTS_GIVE_UP_MS ?? 60_000);
const ATTEMPT_TIMEOUT_MS = 20_000;
const PG_PORT = Number(process.env.BENCH_FAULTS_PG_PORT ?? 5544);
const REDIS_PORT = Number(process.env.BENCH_FAULTS_REDIS_PORT ?? 6390);
const FAULTS = (process.env.BENCH_FAULTS_PHASES ?? "none,redis-restart,postgres-restart,worker-kill")
  .split(",")
  .map((name) => name.trim()) as Fault[];

type Fault = "none" | "redis-restart" | "postgres-restart" | "worker-kill";

const round = (value: number) => Math.round(value * 100) / 100;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  conversationId?: string;
  status?: string;
  messages?: unknown[];
}

/** One attempt's outcome: the reply, or why it failed. */
type Attempt = { ok: true; reply: Reply } | { ok: false; why: string };

class Http {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: SLOTS });
  readonly #base: URL;
  constructor(
    base: string,
    readonly key: string,
  ) {
    this.#base = new URL(base);
  }

  post(path: string, body: unknown): Promise<Attempt> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve) => {
      let settled = false;
      const done = (attempt: Attempt) => {
        if (settled) return;
        settled = true;
        resolve(attempt);
      };
      const req = request(
        {
          agent: this.#agent,
          host: this.#base.hostname,
          port: this.#base.port,
          method: "POST",
          path,
          headers: {
            "content-type": "application/json",
            "content-length": payload.length,
            authorization: `Bearer ${this.key}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString();
            if (status < 200 || status >= 300) {
              let code = "";
              try {
                code = String((JSON.parse(text) as { code?: string }).code ?? "");
              } catch {
                // not problem+json
              }
              done({ ok: false, why: `HTTP ${status}${code ? ` ${code}` : ""}` });
              return;
            }
            try {
              done({ ok: true, reply: JSON.parse(text) as Reply });
            } catch {
              done({ ok: false, why: "unparseable 2xx body" });
            }
          });
          response.on("error", (error) =>
            done({ ok: false, why: `response ${(error as NodeJS.ErrnoException).code ?? error.message}` }),
          );
        },
      );
      req.setTimeout(ATTEMPT_TIMEOUT_MS, () => {
        req.destroy(new Error("timeout"));
      });
      req.on("error", (error) =>
        done({ ok: false, why: (error as NodeJS.ErrnoException).code ?? error.message }),
      );
      req.end(payload);
    });
  }

  close() {
    this.#agent.destroy();
  }
}

/** What the client sent and was acknowledged, per conversation, in order. */
interface Acknowledged {
  clientMessageId: string | null;
  replies: number;
}

/** Per-second counters, by time since the load started. */
interface Second {
  attempts: number;
  failures: number;
  acks: number;
}

const seconds = new Map<number, Second>();
const failureKinds = new Map<string, number>();
const latencies: { at: number; ms: number }[] = [];
const conversations = new Map<string, Acknowledged[]>();
let givenUp = 0;
let offered = 0;
let droppedOffers = 0;
let loadStart = 0;

function second(at: number): Second {
  const index = Math.floor((at - loadStart) / 1000);
  let entry = seconds.get(index);
  if (!entry) {
    entry = { attempts: 0, failures: 0, acks: 0 };
    seconds.set(index, entry);
  }
  return entry;
}

/** Sends until acknowledged (same body, so the same client message id) or the give-up time. */
async function untilAcknowledged(http: Http, path: string, body: unknown): Promise<Reply | undefined> {
  const first = performance.now();
  let backoff = 100;
  for (;;) {
    const began = performance.now();
    second(began).attempts += 1;
    const attempt = await http.post(path, body);
    if (attempt.ok) {
      const now = performance.now();
      second(now).acks += 1;
      latencies.push({ at: first, ms: now - first });
      return attempt.reply;
    }
    second(began).failures += 1;
    failureKinds.set(attempt.why, (failureKinds.get(attempt.why) ?? 0) + 1);
    if (performance.now() - first > GIVE_UP_MS) {
      givenUp += 1;
      return undefined;
    }
    await wait(backoff * (0.5 + Math.random()));
    backoff = Math.min(backoff * 2, 1_000);
  }
}

/** A conversation slot: plays the pizza flow, one turn each time the scheduler hands it one. */
class Slot {
  #conversation: string | undefined;
  #step = 0;
  #turns = 0;
  busy = false;
  constructor(
    readonly index: number,
    readonly botId: string,
  ) {}

  async turn(http: Http): Promise<void> {
    this.busy = true;
    try {
      if (this.#conversation === undefined) {
        const reply = await untilAcknowledged(http, `/api/v1/bots/${this.botId}/conversations`, {
          user: { id: `slot-${this.index}` },
        });
        if (!reply?.conversationId) return;
        this.#conversation = reply.conversationId;
        this.#step = 1;
        conversations.set(reply.conversationId, [
          { clientMessageId: null, replies: reply.messages?.length ?? 0 },
        ]);
        return;
      }
      this.#turns += 1;
      const clientMessageId = `s${this.index}-t${this.#turns}`;
      const body =
        this.#step === 1
          ? { text: `User ${this.index}`, clientMessageId }
          : this.#step === 2
            ? { choice: this.index % 2 === 0 ? "large" : "small", clientMessageId }
            : { text: "+1 555 123 4567", clientMessageId };
      const reply = await untilAcknowledged(
        http,
        `/api/v1/conversations/${this.#conversation}/messages`,
        body,
      );
      if (!reply) {
        // Not acknowledged: abandon the conversation (what was acknowledged is still checked).
        this.#conversation = undefined;
        return;
      }
      conversations.get(this.#conversation)!.push({ clientMessageId, replies: reply.messages?.length ?? 0 });
      this.#step += 1;
      if (this.#step > 3 || reply.status === "ended") this.#conversation = undefined;
    } finally {
      this.busy = false;
    }
  }
}

/** Offers RATE turns/s to idle slots until `stopped()`; resolves when every slot is idle again. */
async function offerLoad(http: Http, slots: Slot[], stopped: () => boolean): Promise<void> {
  const idle: Slot[] = [...slots].sort(() => Math.random() - 0.5);
  const inFlight = new Set<Promise<void>>();
  let credit = 0;
  let last = performance.now();
  while (!stopped()) {
    await wait(5);
    const now = performance.now();
    credit += ((now - last) / 1000) * RATE;
    last = now;
    while (credit >= 1) {
      credit -= 1;
      offered += 1;
      const slot = idle.shift();
      if (!slot) {
        droppedOffers += 1;
        continue;
      }
      const running = slot.turn(http).then(() => {
        inFlight.delete(running);
        idle.push(slot);
      });
      inFlight.add(running);
    }
  }
  await Promise.all(inFlight);
}

const RELAY_GROUP = "bench-faults";
const RELAY_TOPICS = ["message.inbound.v1", "message.outbound.v1", "conversation.events.v1"];

/**
 * A consumer group of the transactional outbox, relayed from this process all through the faults
 * (its connection goes down with Postgres): its handler writes each event it gets to a table in the
 * group's own transaction (committed with the group's offset), so the table is what the group
 * consumed. After the load, the relay is drained and the table compared with the messages.
 */
async function startRelayGroup(db: Database) {
  await db.system.$executeRawUnsafe(
    `CREATE TABLE bench_relay_seen (event_id text NOT NULL, topic text NOT NULL, message_id text,
       conversation_id text NOT NULL, seq integer, position bigint NOT NULL)`,
  );
  const relay = db.createOutboxRelay({ idleMs: 100 });
  relay.subscribe(RELAY_TOPICS, RELAY_GROUP, async (event, tx) => {
    const data = (event.payload.data ?? {}) as { messageId?: string; seq?: number };
    await tx.query(
      `INSERT INTO bench_relay_seen (event_id, topic, message_id, conversation_id, seq, position)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.id, event.topic, data.messageId ?? null, event.key, data.seq ?? null, event.position],
    );
  });
  relay.start();
  return {
    check: async (databaseUrl: string) => {
      const started = performance.now();
      // Passes until nothing is left (a pass that fails, e.g. on a connection Postgres dropped, is
      // retried by the next one).
      let lag = await relay.lag().catch(() => [{ groupId: "?", events: 1, oldestSeconds: 0 }]);
      while (lag.some((entry) => entry.events > 0) && performance.now() - started < 120_000) {
        await relay.drain().catch(() => undefined);
        lag = await relay.lag().catch(() => lag);
      }
      await relay.stop();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const one = async (text: string) => Number((await client.query<{ n: string }>(text)).rows[0]?.n ?? 0);
      const result = {
        consumerGroup: RELAY_GROUP,
        topics: RELAY_TOPICS,
        drainMs: Math.round(performance.now() - started),
        lagAfterDrain: lag,
        eventsConsumed: await one("SELECT count(*) AS n FROM bench_relay_seen"),
        duplicateEvents: await one("SELECT count(*) - count(DISTINCT event_id) AS n FROM bench_relay_seen"),
        messages: await one("SELECT count(*) AS n FROM messages"),
        messagesWithoutEvent: await one(
          `SELECT count(*) AS n FROM messages m
           WHERE NOT EXISTS (SELECT 1 FROM bench_relay_seen s WHERE s.message_id = m.id)`,
        ),
        // Of those, the ones whose event is still in the outbox (committed after the drain: not relayed
        // yet, rather than lost).
        messagesWithoutEventInOutbox: await one(
          `SELECT count(*) AS n FROM messages m
           WHERE NOT EXISTS (SELECT 1 FROM bench_relay_seen s WHERE s.message_id = m.id)
             AND EXISTS (SELECT 1 FROM outbox o WHERE o.payload->'data'->>'messageId' = m.id)`,
        ),
        messagesWithSeveralEvents: await one(
          `SELECT count(*) AS n FROM (SELECT message_id FROM bench_relay_seen WHERE message_id IS NOT NULL
           GROUP BY message_id HAVING count(*) > 1) x`,
        ),
        // Per conversation, positions must follow the transcript order.
        outOfOrder: await one(
          `SELECT count(*) AS n FROM (
             SELECT seq, lag(seq) OVER (PARTITION BY conversation_id ORDER BY position) AS previous
             FROM bench_relay_seen WHERE seq IS NOT NULL) x
           WHERE previous >= seq`,
        ),
      };
      await client.end();
      return result;
    },
  };
}

/** Checks every acknowledged conversation against its stored transcript. */
async function checkTranscripts(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const ids = [...conversations.keys()];
  const rows = (
    await client.query<{
      conversation_id: string;
      seq: number;
      author: string;
      client_message_id: string | null;
    }>(
      `SELECT conversation_id, seq, author::text AS author, client_message_id FROM messages
       WHERE conversation_id = ANY($1) ORDER BY conversation_id, seq`,
      [ids],
    )
  ).rows;
  const [{ n: started } = { n: "0" }] = (
    await client.query<{ n: string }>("SELECT count(*) AS n FROM conversations")
  ).rows;
  await client.end();
  const byConversation = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push(row);
    byConversation.set(row.conversation_id, list);
  }
  let acknowledgedMessages = 0;
  let lost = 0;
  let duplicated = 0;
  let reordered = 0;
  let replyMismatches = 0;
  let seqGaps = 0;
  let committedUnacknowledged = 0;
  const samples: string[] = [];
  const note = (text: string) => {
    if (samples.length < 5) samples.push(text);
  };
  for (const [id, acked] of conversations) {
    const transcript = byConversation.get(id) ?? [];
    transcript.forEach((row, index) => {
      if (row.seq !== index + 1) seqGaps += 1;
    });
    // Segments: the start's replies, then each user message with the replies after it.
    const segments: { clientMessageId: string | null; replies: number }[] = [
      { clientMessageId: null, replies: 0 },
    ];
    for (const row of transcript) {
      if (row.author === "user") segments.push({ clientMessageId: row.client_message_id, replies: 0 });
      else segments.at(-1)!.replies += 1;
    }
    const ackedIds = acked
      .map((entry) => entry.clientMessageId)
      .filter((value): value is string => value !== null);
    acknowledgedMessages += ackedIds.length;
    const storedIds = segments.slice(1).map((segment) => segment.clientMessageId);
    for (const clientId of ackedIds) {
      const count = storedIds.filter((stored) => stored === clientId).length;
      if (count === 0) {
        lost += 1;
        note(`${id}: ${clientId} lost`);
      }
      if (count > 1) {
        duplicated += 1;
        note(`${id}: ${clientId} stored ${count} times`);
      }
    }
    const storedAcked = storedIds.filter((stored) => stored !== null && ackedIds.includes(stored));
    if (storedAcked.join(",") !== ackedIds.filter((clientId) => storedIds.includes(clientId)).join(",")) {
      reordered += 1;
      note(`${id}: sent ${ackedIds.join(",")} stored ${storedIds.join(",")}`);
    }
    committedUnacknowledged += storedIds.filter(
      (stored) => stored === null || !ackedIds.includes(stored),
    ).length;
    // The replies the client was given are the ones stored after its message, no more, no fewer.
    if (segments[0]!.replies !== acked[0]!.replies) {
      replyMismatches += 1;
      note(`${id}: start replied ${acked[0]!.replies}, stored ${segments[0]!.replies}`);
    }
    for (const entry of acked.slice(1)) {
      const segment = segments.find((candidate) => candidate.clientMessageId === entry.clientMessageId);
      if (segment && segment.replies !== entry.replies) {
        replyMismatches += 1;
        note(`${id}: ${entry.clientMessageId} replied ${entry.replies}, stored ${segment.replies}`);
      }
    }
  }
  return {
    acknowledgedConversations: conversations.size,
    conversationsInDatabase: Number(started),
    acknowledgedMessages,
    lost,
    duplicated,
    reordered,
    replyMismatches,
    seqGaps,
    committedButNotAcknowledged: committedUnacknowledged,
    samples,
  };
}

/** Figures of one phase [from, to) (ms since the load started), its fault at `faultAt`. */
function phaseFigures(
  fault: Fault,
  from: number,
  to: number,
  faultAt: number | undefined,
  faultMs: number | undefined,
  healthyAcksPerSecond: number,
) {
  let attempts = 0;
  let failures = 0;
  let acks = 0;
  for (let s = Math.floor(from / 1000); s < Math.ceil(to / 1000); s += 1) {
    const entry = seconds.get(s);
    if (!entry) continue;
    attempts += entry.attempts;
    failures += entry.failures;
    acks += entry.acks;
  }
  const turnTimes = latencies
    .filter((entry) => entry.at - loadStart >= from && entry.at - loadStart < to)
    .map((entry) => entry.ms)
    .sort((a, b) => a - b);
  let recoverMs: number | null = null;
  let lastFailureAfterFaultMs: number | null = null;
  if (faultAt !== undefined) {
    const first = Math.floor(faultAt / 1000);
    const last = Math.ceil(to / 1000);
    const healthy = (s: number) => {
      const entry = seconds.get(s);
      return entry !== undefined && entry.failures === 0 && entry.acks >= 0.8 * healthyAcksPerSecond;
    };
    for (let s = first; s + 2 < last; s += 1) {
      if (healthy(s) && healthy(s + 1) && healthy(s + 2)) {
        recoverMs = Math.max(0, s * 1000 - faultAt);
        break;
      }
    }
    for (let s = last - 1; s >= first; s -= 1) {
      if ((seconds.get(s)?.failures ?? 0) > 0) {
        lastFailureAfterFaultMs = Math.round((s + 1) * 1000 - faultAt);
        break;
      }
    }
  }
  return {
    fault,
    ...(faultMs === undefined ? {} : { faultInjectionMs: Math.round(faultMs) }),
    attempts,
    failedAttempts: failures,
    errorRate: attempts === 0 ? 0 : Math.round((failures / attempts) * 10_000) / 10_000,
    acknowledgedTurns: acks,
    acknowledgedPerSecond: round(acks / ((to - from) / 1000)),
    turnMs: {
      p50: percentile(turnTimes, 50),
      p95: percentile(turnTimes, 95),
      p99: percentile(turnTimes, 99),
      max: round(turnTimes.at(-1) ?? Number.NaN),
    },
    ...(faultAt === undefined ? {} : { recoverMs, lastFailureAfterFaultMs }),
  };
}

const missing = servicesAvailable();
if (missing) {
  process.stdout.write(`${JSON.stringify({ benchmark: "faults", skipped: missing })}\n`);
  process.exit(0);
}
const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const postgres = await startPrivatePostgres({ port: PG_PORT });
const redis = await startPrivateRedis({ port: REDIS_PORT });
let output: Record<string, unknown> = {};
try {
  const backend = await postgresRedisBackend(postgres.adminUrl, redis.url);
  if ("skipped" in backend) throw new Error(backend.skipped);
  const pizza = await seed(backend.db);
  const relay = await startRelayGroup(backend.db);
  const runtime = await startRuntimeCluster(backend.runtimeEnv, { workers: WORKERS });
  const http = new Http(runtime.url, pizza.key);
  const slots = Array.from({ length: SLOTS }, (_, index) => new Slot(index, pizza.botId));
  const phases: { fault: Fault; from: number; to: number; faultAt?: number; faultMs?: number }[] = [];
  let stopped = false;
  loadStart = performance.now();
  const load = offerLoad(http, slots, () => stopped);
  await wait(WARMUP_MS);
  for (const fault of FAULTS) {
    const from = performance.now() - loadStart;
    const phase: (typeof phases)[number] = { fault, from, to: from + PHASE_MS };
    phases.push(phase);
    if (fault !== "none") {
      await wait(FAULT_AT_MS);
      phase.faultAt = performance.now() - loadStart;
      const began = performance.now();
      if (fault === "redis-restart") await redis.restart();
      if (fault === "postgres-restart") await postgres.restart({ mode: "immediate" });
      if (fault === "worker-kill") {
        const [victim] = childPids(runtime.child.pid!);
        if (victim === undefined) throw new Error("no runtime worker to kill");
        process.kill(victim, "SIGKILL");
      }
      phase.faultMs = performance.now() - began;
      console.error(`faults: ${fault} injected (${Math.round(phase.faultMs)} ms)`);
    }
    await wait(Math.max(0, from + PHASE_MS - (performance.now() - loadStart)));
    phase.to = performance.now() - loadStart;
  }
  stopped = true;
  const drainStarted = performance.now();
  await load;
  const drainMs = performance.now() - drainStarted;
  http.close();
  // The runtime first: a turn its queue still held when the load gave up would otherwise commit after
  // the group's drain, a message the check would count as having no event.
  await runtime.close();
  const check = await checkTranscripts(backend.runtimeEnv.DATABASE_URL!);
  const eventRelay = await relay.check(backend.runtimeEnv.DATABASE_URL!);
  // Its admin connection died with the Postgres restart; the private services go away below anyway.
  await backend.close().catch(() => {});
  // Recovered = back to 80% of what the fault-free phase acknowledged (of the offered rate without one).
  const baseline = phases.find((phase) => phase.fault === "none");
  const healthy = baseline
    ? phaseFigures("none", baseline.from, baseline.to, undefined, undefined, RATE).acknowledgedPerSecond
    : RATE;
  const phaseResults = phases.map((phase) =>
    phaseFigures(phase.fault, phase.from, phase.to, phase.faultAt, phase.faultMs, Math.min(RATE, healthy)),
  );
  output = {
    benchmark: "faults",
    flow: "pizza-order over REST, client message ids, retried until acknowledged",
    offeredTurnsPerSecond: RATE,
    conversationSlots: SLOTS,
    runtimeWorkers: WORKERS,
    phaseMs: PHASE_MS,
    faultAtMs: FAULT_AT_MS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    offered,
    offersWithNoIdleSlot: droppedOffers,
    turnsGivenUp: givenUp,
    drainMs: Math.round(drainMs),
    phases: phaseResults,
    failures: Object.fromEntries([...failureKinds].sort((a, b) => b[1] - a[1])),
    transcripts: check,
    eventRelay,
    target: {
      lostDuplicatedReordered: 0,
      actual: check.lost + check.duplicated + check.reordered + check.replyMismatches,
      met: check.lost + check.duplicated + check.reordered + check.replyMismatches === 0,
      eventsExactlyOnce:
        eventRelay.duplicateEvents === 0 &&
        eventRelay.messagesWithoutEvent === 0 &&
        eventRelay.messagesWithSeveralEvents === 0 &&
        eventRelay.outOfOrder === 0,
    },
    wallClockMs: Date.now() - startedAt,
  };
} finally {
  await redis.close();
  await postgres.close();
}
process.stdout.write(`${JSON.stringify(output)}\n`);
process.exit(0);
