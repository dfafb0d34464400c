/**
 * The database floor of the pizza flow: the turns' own SQL replayed by pgbench at the same
 * concurrency, with no runtime in between. Each pgbench transaction is one whole conversation (its
 * first step and three answers), each step the statement the runtime sends for it: `BEGIN; tenant
 * context; SELECT parley_commit_step(...); COMMIT` in one message. The steps are rebuilt from a
 * conversation the load completed (its messages, snapshot and variables, with fresh ids per run),
 * so the rows written are the real ones. Postgres only (pgbench on PATH).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "./backends";
import { processCpuMs } from "./processes";

const round = (value: number) => Math.round(value * 100) / 100;

interface MessageRow {
  seq: number;
  author: string;
  payload: unknown;
  text: string | null;
  node_id: string | null;
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

/** One pgbench command: the step's transaction in one message (`\;` joins statements). */
function stepCommand(
  tenantId: string,
  conversation: {
    bot_id: string;
    flow_id: string;
    flow_version_id: string;
    snapshot: unknown;
    variables: unknown;
  },
  step: MessageRow[],
  index: number,
  last: boolean,
): string {
  // pgbench substitutes :client_id and :cid everywhere, string literals included: fresh ids per run.
  const id = "f-:client_id-:cid";
  const at = new Date().toISOString();
  const expected = index === 0 ? 0 : step[0]!.seq - 1;
  const lastSeq = step.at(-1)!.seq;
  const json = {
    tenant_id: tenantId,
    conversation_id: id,
    bot_id: conversation.bot_id,
    flow_version_id: conversation.flow_version_id,
    expected_last_seq: expected,
    create:
      index === 0
        ? { flow_id: conversation.flow_id, contact_id: null, channel: "api", metadata: {}, started_at: at }
        : null,
    set: {
      status: last ? "ended" : "waiting",
      last_seq: lastSeq,
      last_activity_at: at,
      turn_count_increment: 1,
      snapshot: conversation.snapshot,
      variables: conversation.variables,
      handoff_at: null,
      ended_at: last ? at : null,
    },
    messages: step.map((message) => ({
      id: `${id}-${message.seq}`,
      seq: message.seq,
      author: message.author,
      author_user_id: null,
      payload: message.payload,
      text: message.text,
      node_id: message.node_id,
      client_message_id: null,
      created_at: at,
    })),
    analytics: [
      {
        id: `${id}-a${index}`,
        type: "turn",
        properties: { latencyMs: 1, status: last ? "ended" : "waiting", messages: step.length, effects: [] },
        occurred_at: at,
      },
    ],
    events: step.map((message) => ({
      event_id: `${id}-e${message.seq}`,
      event_type: "message",
      payload: { type: "message", data: { seq: message.seq, message: message.payload } },
      occurred_at: at,
    })),
    contact: null,
  };
  const literal = `'${JSON.stringify(json).replaceAll("'", "''")}'::jsonb`;
  return `BEGIN\\;SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', '${tenantId}', true)\\;SELECT parley_commit_step(${literal})\\;COMMIT;`;
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
      snapshot: unknown;
      variables: unknown;
    }[]
  >(
    `SELECT id, bot_id, flow_id, flow_version_id, snapshot, variables FROM conversations
     WHERE tenant_id = $1 AND status = 'ended' ORDER BY last_activity_at DESC LIMIT 1`,
    tenantId,
  );
  if (!conversation) return { skipped: "no completed conversation to replay" };
  const messages = await backend.db.system.$queryRawUnsafe<MessageRow[]>(
    "SELECT seq, author::text AS author, payload, text, node_id FROM messages WHERE conversation_id = $1 ORDER BY seq",
    conversation.id,
  );
  const steps = stepsOf(messages);
  const script = [
    "\\set cid random(1, 1000000000000)",
    ...steps.map((step, index) =>
      stepCommand(tenantId, conversation, step, index, index === steps.length - 1),
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
