/**
 * The database floor of the pizza flow: the turns' own SQL replayed by pgbench at the same
 * concurrency, with no runtime in between. Each pgbench transaction is one whole conversation (its
 * first step and three answers), each step the batch the runtime sends for it: `BEGIN; tenant
 * context; SELECT parley_commit_step(...); COMMIT` in one message, its statement made by the same
 * builder (@parley/db's turnCommitStatement) from a conversation the load completed: its messages,
 * analytics events, snapshot and variables, and the step's stream events (outbox rows) as core makes
 * them (stepStreamEvents), with fresh ids per run. Not replayed: the start step's contact look-up and
 * insert and the contact attribute updates (the conversation is replayed without a contact), the
 * relay's statements, and what the hot cache spares the runtime (the conversation's load).
 * Postgres only (pgbench on PATH).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stepStreamEvents } from "@parley/core";
import { type NewAnalyticsEvent, type NewMessage, type TurnCommit, turnCommitStatement } from "@parley/db";
import type { Backend } from "./backends";
import { processCpuMs } from "./processes";

const round = (value: number) => Math.round(value * 100) / 100;

interface MessageRow {
  seq: number;
  author: NewMessage["author"];
  payload: unknown;
  text: string | null;
  node_id: string | null;
  created_at: Date;
}

interface AnalyticsRow {
  type: string;
  properties: Record<string, unknown>;
  occurred_at: Date;
}

/** What the floor run measured. */
export interface FloorResult {
  /** Steps (turns) per second pgbench completed. */
  turnsPerSecond: number;
  /** Conversations the replay completed (all four steps written). */
  conversationsWritten: number;
  /** Database CPU per step over the measured window, in ms. */
  cpuMsPerTurn: { database: number };
  /** pgbench clients (connections) used: the bench's users, capped by what the server has free. */
  clients: number;
  /** Clients asked for (the bench's users), when more than the server had free. */
  requestedClients?: number;
  /** What the server had free when pgbench started (see {@link freeConnections}). */
  connections?: FreeConnections;
}

/** The server's connection budget when pgbench starts. */
export interface FreeConnections {
  maxConnections: number;
  /** Slots kept for superusers and `pg_use_reserved_connections` (superuser_ + reserved_connections). */
  reserved: number;
  /** Client backends connected now (the runtime's pool, this bench's, other users of the server). */
  inUse: number;
  /** max - reserved - inUse - a margin for connections opened while pgbench starts. */
  free: number;
}

/** Connections kept free for what connects while pgbench starts (the runtime's pool growing, monitors). */
const CONNECTION_MARGIN = 5;

/**
 * How many more connections the server takes now: `max_connections` less the reserved slots, the
 * client backends already connected and {@link CONNECTION_MARGIN} (pgbench with more clients than
 * that fails with "too many clients already").
 */
export async function freeConnections(backend: Backend): Promise<FreeConnections> {
  const [row] = await backend.db.system.$queryRawUnsafe<
    { max_connections: number; reserved: number; in_use: number }[]
  >(
    `SELECT current_setting('max_connections')::int AS max_connections,
            current_setting('superuser_reserved_connections')::int
              + coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int AS reserved,
            (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS in_use`,
  );
  const maxConnections = Number(row?.max_connections ?? 0);
  const reserved = Number(row?.reserved ?? 0);
  const inUse = Number(row?.in_use ?? 0);
  return {
    maxConnections,
    reserved,
    inUse,
    free: Math.max(0, maxConnections - reserved - inUse - CONNECTION_MARGIN),
  };
}

/** The steps of one conversation as the runtime commits them: the first, then one per user message. */
function stepsOf(messages: MessageRow[]): MessageRow[][] {
  const steps: MessageRow[][] = [[]];
  for (const message of messages) {
    if (message.author === "user") steps.push([]);
    steps.at(-1)!.push(message);
  }
  return steps;
}

/**
 * A UUID unique per pgbench client, conversation and `n` (pgbench substitutes :cl, 4 digits, and :cid,
 * 12 digits, everywhere, string literals included; a name ends at a character that cannot be in one):
 * event ids are UUIDs, and fresh ones per run.
 */
const freshUuid = (n: number) => `0000:cl-${String(n).padStart(4, "0")}-4000-8000-:cid`;

/** One pgbench command: the step's transaction in one message (`\;` joins statements). */
function stepCommand(
  tenantId: string,
  conversation: {
    bot_id: string;
    flow_id: string;
    flow_version_id: string;
    channel: string;
    snapshot: unknown;
    variables: unknown;
  },
  step: MessageRow[],
  analytics: AnalyticsRow[],
  index: number,
  last: boolean,
): string {
  const id = "f-:cl-:cid";
  const at = new Date();
  let n = index * 100;
  const messages: NewMessage[] = step.map((message) => ({
    id: freshUuid(n++),
    seq: message.seq,
    author: message.author,
    payload: message.payload,
    text: message.text,
    nodeId: message.node_id,
    createdAt: at,
  }));
  const events: NewAnalyticsEvent[] = analytics.map((event) => ({
    id: freshUuid(n++),
    type: event.type,
    properties: event.properties,
    occurredAt: at,
  }));
  const status = last ? "ended" : "waiting";
  const outbox = stepStreamEvents({
    tenantId,
    conversationId: id,
    botId: conversation.bot_id,
    channel: conversation.channel,
    created: index === 0,
    previousStatus: "waiting",
    status,
    messages,
    analytics: events,
    now: at,
  }).map((event) =>
    // Lifecycle events get a random id of their own: a fresh one per run instead.
    event.payload.id.endsWith(":cid")
      ? event
      : { ...event, payload: { ...event.payload, id: freshUuid(n++) } },
  );
  const commit: TurnCommit = {
    conversationId: id,
    botId: conversation.bot_id,
    flowVersionId: conversation.flow_version_id,
    ...(index === 0
      ? {
          create: {
            flowId: conversation.flow_id,
            contactId: null,
            channel: conversation.channel as NonNullable<TurnCommit["create"]>["channel"],
            metadata: {},
            startedAt: at,
          },
        }
      : {}),
    expectedLastSeq: index === 0 ? 0 : step[0]!.seq - 1,
    set: {
      status,
      lastSeq: step.at(-1)!.seq,
      lastActivityAt: at,
      turnCountIncrement: 1,
      snapshot: conversation.snapshot,
      variables: conversation.variables,
      ...(last ? { endedAt: at } : {}),
    },
    messages,
    analytics: events,
    outbox,
  };
  const context = `SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', '${tenantId}', true)`;
  return `BEGIN\\;${context}\\;${turnCommitStatement(tenantId, commit).text}\\;COMMIT;`;
}

/**
 * Replays the pizza conversations' SQL with pgbench for `durationMs` at `clients` connections (capped
 * at what the server has free, see {@link freeConnections}; the result says how many were used) and
 * reads the database backends' CPU. Resolves `{ skipped }` when pgbench, a completed conversation or
 * a free connection is missing.
 */
export async function sqlFloor(
  backend: Backend,
  databaseUrl: string,
  tenantId: string,
  requestedClients: number,
  durationMs: number,
): Promise<FloorResult | { skipped: string }> {
  const [conversation] = await backend.db.system.$queryRawUnsafe<
    {
      id: string;
      bot_id: string;
      flow_id: string;
      flow_version_id: string;
      channel: string;
      snapshot: unknown;
      variables: unknown;
    }[]
  >(
    `SELECT id, bot_id, flow_id, flow_version_id, channel::text AS channel, snapshot, variables FROM conversations
     WHERE tenant_id = $1 AND status = 'ended' ORDER BY last_activity_at DESC LIMIT 1`,
    tenantId,
  );
  if (!conversation) return { skipped: "no completed conversation to replay" };
  const messages = await backend.db.system.$queryRawUnsafe<MessageRow[]>(
    `SELECT seq, author::text AS author, payload, text, node_id, created_at FROM messages
     WHERE conversation_id = $1 ORDER BY seq`,
    conversation.id,
  );
  // A step's analytics events carry its time, as its messages do.
  const analytics = await backend.db.system.$queryRawUnsafe<AnalyticsRow[]>(
    `SELECT type, properties, occurred_at FROM analytics_events WHERE tenant_id = $1 AND conversation_id = $2
     ORDER BY occurred_at, id`,
    tenantId,
    conversation.id,
  );
  const steps = stepsOf(messages);
  const script = [
    "\\set cid random(100000000000, 999999999999)",
    "\\set cl :client_id + 1000",
    ...steps.map((step, index) =>
      stepCommand(
        tenantId,
        conversation,
        step,
        analytics.filter((event) => event.occurred_at.getTime() === step[0]!.created_at.getTime()),
        index,
        index === steps.length - 1,
      ),
    ),
  ].join("\n");
  const connections = await freeConnections(backend);
  const clients = Math.min(requestedClients, connections.free);
  if (clients < 1) {
    return { skipped: `the server has no connection free for pgbench: ${JSON.stringify(connections)}` };
  }
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-floor-"));
  const file = join(dir, "pizza.sql");
  writeFileSync(file, `${script}\n`);
  const seconds = Math.max(2, Math.round(durationMs / 1000));
  const child = spawn(
    "pgbench",
    ["-n", "-M", "simple", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", file, databaseUrl],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  // CPU of the database backends from when all are connected to 0.5 s before the end.
  const reading = async () =>
    new Map((await backend.databasePids()).map((pid) => [pid, processCpuMs(pid)] as const));
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // The window opens once every client is connected (a busy machine connects them slowly).
  const started = performance.now();
  const baseline = (await backend.databasePids()).length;
  let before = await reading();
  while (before.size < baseline + clients && performance.now() - started < (seconds * 1000) / 2) {
    await wait(100);
    before = await reading();
  }
  const windowStarted = performance.now();
  await wait(Math.max(500, seconds * 1000 - (windowStarted - started) - 500));
  const after = await reading();
  const windowSeconds = (performance.now() - windowStarted) / 1000;
  const code = await exited;
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0) return { skipped: `pgbench failed (${code}): ${output.slice(-300)}` };
  // The replay must have written what the runtime writes, or its speed means nothing.
  const [written] = await backend.db.system.$queryRawUnsafe<{ n: bigint }[]>(
    "SELECT count(*) AS n FROM conversations WHERE tenant_id = $1 AND id LIKE 'f-%' AND status = 'ended'",
    tenantId,
  );
  if (!written || written.n === 0n)
    return { skipped: `pgbench wrote no conversation: ${output.slice(-300)}` };
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? Number.NaN);
  let databaseMs = 0;
  for (const [pid, ms] of after) databaseMs += ms - (before.get(pid) ?? ms);
  const turnsPerSecond = tps * steps.length;
  return {
    turnsPerSecond: round(turnsPerSecond),
    conversationsWritten: Number(written.n),
    cpuMsPerTurn: { database: round(databaseMs / (turnsPerSecond * windowSeconds)) },
    clients,
    ...(clients < requestedClients ? { requestedClients, connections } : {}),
  };
}
