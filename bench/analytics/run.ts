/**
 * Analytics benchmark: `npm run bench:analytics -w @parley/bench` prints ONE JSON object.
 *
 * 1. Ingest: the runtime's turn throughput (pizza flow, closed loop) with the analytics rollup sweep
 *    off (RUNTIME_ANALYTICS_ROLLUP_MS=0) and on (BENCH_ANALYTICS_ROLLUP_MS), with a live dashboard polling
 *    the bot summary every second while it runs. Turn events are written by the commit either way (they
 *    are part of the turn's transaction); "on" adds the rollups and the dashboard reads. Target: drop <= 10%.
 * 2. Freshness: a conversation is started over REST and the bot's time series (event tail) and summary
 *    (conversation tail) are polled until they count it; the lag's p50/p95 (target p95 < 5 s).
 * 3. Dashboard: the tenant is grown to BENCH_ANALYTICS_EVENTS raw events (conversations spread over the
 *    last year, 5 events each; one INSERT ... SELECT generate_series statement per chunk), rolled up
 *    (events and conversation facts, in as many runs as the backlog needs) and compacted like production,
 *    then every dashboard endpoint is timed (p50/p95 of BENCH_ANALYTICS_QUERIES runs each): bot summary
 *    (year, 30 days), daily time series over a year, workspace overview, drop-off per node (30 days, year)
 *    and LLM costs by provider. Target: p95 < 300 ms.
 *
 * Environment: BENCH_ANALYTICS_EVENTS (default 100000; the figure is 10000000, about 2,000,000
 * conversations: `BENCH_ANALYTICS_EVENTS=10000000 npm run bench:analytics -w @parley/bench`, on
 * Postgres; on the shared 2-core machine at load ~20 about 4,500 events/s of seeding and 2 ms per
 * conversation of first rollup, i.e. about 35 + 70 minutes), BENCH_ANALYTICS_QUERIES (20),
 * BENCH_BACKENDS (postgresRedis; `embedded` also works), BENCH_USERS (10), BENCH_DURATION_MS (8000),
 * BENCH_WARMUP_MS (2000), BENCH_FRESHNESS_SAMPLES (10), BENCH_ANALYTICS_CHUNK (20000 conversations per
 * seeding statement), BENCH_ANALYTICS_PARTS (`ingest,dashboard`; `dashboard` or `ingest` alone),
 * BENCH_ANALYTICS_ROLLUP_MS (1000: the sweep interval of the "on" run; the runtime's default is 30000),
 * BENCH_ANALYTICS_KEEP_DB (keep the grown database for EXPLAIN).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  getBotAnalyticsSummary,
  getBotTimeseries,
  getFlowNodeAnalytics,
  getLlmCosts,
  getWorkspaceAnalyticsSummary,
  rollUpTenant,
  type ServiceContext,
} from "@parley/core";
import { openDatabase } from "@parley/db";
import { createInfrastructure } from "@parley/infra";
import pg from "pg";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "../runtime/backends";
import { JsonClient, pizzaScript, runLoad } from "../runtime/load";
import { processCpuMs, startRuntimeProcess, stop } from "../runtime/processes";
import { seed } from "../runtime/seed";

const EVENTS = Number(process.env.BENCH_ANALYTICS_EVENTS ?? 100_000);
const QUERIES = Number(process.env.BENCH_ANALYTICS_QUERIES ?? 20);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "postgresRedis").split(",");
/** The rollup sweep interval of the "analytics on" run (1 s: aggressive; the runtime's default is 30 s). */
const ROLLUP_MS = Number(process.env.BENCH_ANALYTICS_ROLLUP_MS ?? 1_000);
/** `ingest,dashboard` (default), `dashboard` alone (skips the throughput and freshness runs) or `ingest`. */
const PARTS = (process.env.BENCH_ANALYTICS_PARTS ?? "ingest,dashboard").split(",");
const USERS = Number(process.env.BENCH_USERS ?? 10);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const FRESHNESS_SAMPLES = Number(process.env.BENCH_FRESHNESS_SAMPLES ?? 10);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
/** Events per seeded conversation: started, three turns, ended. */
const EVENTS_PER_CONVERSATION = 5;
/** Conversations inserted per statement. */
const CHUNK = Number(process.env.BENCH_ANALYTICS_CHUNK ?? 20_000);
const DAY_MS = 24 * 60 * 60 * 1000;

const round = (value: number) => Math.round(value * 100) / 100;
function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN);
  return { p50Ms: at(0.5), p95Ms: at(0.95), maxMs: round(sorted.at(-1) ?? Number.NaN), runs: samples.length };
}

async function getJson(url: string, key: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Turn throughput with the rollup sweep at `rollupMs` (0 = off), plus a polling dashboard when on. */
async function ingest(
  backend: Backend,
  seeded: Awaited<ReturnType<typeof seed>>,
  rollupMs: number,
  withDashboard = rollupMs > 0,
) {
  const runtime = await startRuntimeProcess({
    ...backend.runtimeEnv,
    RUNTIME_ANALYTICS_ROLLUP_MS: String(rollupMs),
  });
  const client = new JsonClient(runtime.url, seeded.key, USERS + 1);
  let polling = withDashboard;
  let dashboardReads = 0;
  const dashboard = (async () => {
    while (polling) {
      await getJson(`${runtime.url}/api/v1/bots/${seeded.botId}/analytics/summary`, seeded.key);
      dashboardReads += 1;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const reading = async () => {
    const pids = await backend.databasePids();
    return {
      database: pids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
      perPid: new Map(pids.map((pid) => [pid, processCpuMs(pid)])),
      runtime: processCpuMs(runtime.child.pid),
      load: loadavg()[0] ?? 0,
    };
  };
  let first: ReturnType<typeof reading> | undefined;
  let last: ReturnType<typeof reading> | undefined;
  try {
    const result = await runLoad(
      client,
      pizzaScript(seeded.botId),
      { users: USERS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, thinkMs: 0 },
      {
        onMeasureStart: () => {
          first = reading();
        },
        onMeasureEnd: () => {
          last = reading();
        },
      },
    );
    polling = false;
    await dashboard;
    const [before, after] = [await first!, await last!];
    let database = 0;
    for (const [pid, ms] of after.perPid) database += ms - (before.perPid.get(pid) ?? 0);
    const turns = Math.max(1, result.completedInWindow);
    const cpuMsPerTurn = {
      runtime: round((after.runtime - before.runtime) / turns),
      database: round(database / turns),
      total: round((after.runtime - before.runtime + database) / turns),
    };
    return { runtime, result, dashboardReads, client, cpuMsPerTurn, loadAverage: [before.load, after.load] };
  } catch (error) {
    polling = false;
    await stop(runtime.child);
    throw error;
  }
}

/**
 * Milliseconds until a new conversation shows, FRESHNESS_SAMPLES times, in the bot's time series (the event
 * tail) and in its summary (the conversation tail of the cohort rollups).
 */
async function freshness(url: string, seeded: Awaited<ReturnType<typeof seed>>, client: JsonClient) {
  const range = () =>
    `from=${new Date(Date.now() - 2 * DAY_MS).toISOString()}&to=${new Date(Date.now() + DAY_MS).toISOString()}`;
  const counters = {
    timeseries: async () =>
      Number(
        (
          await getJson(
            `${url}/api/v1/bots/${seeded.botId}/analytics/timeseries?metric=conversations&interval=day&${range()}`,
            seeded.key,
          )
        ).total,
      ),
    summary: async () =>
      Number(
        (await getJson(`${url}/api/v1/bots/${seeded.botId}/analytics/summary?${range()}`, seeded.key))
          .conversations,
      ),
  };
  const lags: Record<keyof typeof counters, number[]> = { timeseries: [], summary: [] };
  for (let i = 0; i < FRESHNESS_SAMPLES; i++) {
    const before = { timeseries: await counters.timeseries(), summary: await counters.summary() };
    const started = performance.now();
    await client.post(`/api/v1/bots/${seeded.botId}/conversations`, { user: { id: `fresh-${i}` } });
    for (const name of ["timeseries", "summary"] as const) {
      while ((await counters[name]()) <= before[name]) {
        if (performance.now() - started > 30_000)
          throw new Error(`a new conversation was not counted by the ${name} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      lags[name].push(performance.now() - started);
    }
  }
  return { timeseries: percentiles(lags.timeseries), summary: percentiles(lags.summary) };
}

/**
 * Grows the tenant to about EVENTS raw events spread over the last year: one INSERT statement per chunk
 * (a data-modifying CTE inserts the conversations, the outer INSERT their events), on its own connection
 * (no client transaction limit). Conversations: 60% end at an end node, 10% are handed off, 30% wait at
 * ask-size (an LLM call instead of the end event); a seventh are rated; thirds on the web channel.
 */
async function grow(
  backend: Backend,
  tenantId: string,
  botId: string,
): Promise<{ events: number; conversations: number; seedMs: number }> {
  const db = backend.db.system;
  const [version] = await db.$queryRawUnsafe<{ id: string; flow_id: string }[]>(
    "SELECT id, flow_id FROM flow_versions WHERE tenant_id = $1 AND bot_id = $2 AND status = 'published' LIMIT 1",
    tenantId,
    botId,
  );
  const client = new pg.Client({ connectionString: backend.runtimeEnv.DATABASE_URL });
  await client.connect();
  const started = performance.now();
  const total = Math.ceil(EVENTS / EVENTS_PER_CONVERSATION);
  try {
    for (let done = 0; done < total; done += CHUNK) {
      const n = Math.min(CHUNK, total - done);
      await client.query(
        `WITH c AS (
           INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status, started_at,
             last_activity_at, ended_at, handoff_at, last_seq, turn_count, csat_score, updated_at)
           SELECT gen_random_uuid()::text, $1, $2, $3, $4, (CASE WHEN g % 3 = 0 THEN 'web' ELSE 'api' END)::channel,
             (CASE WHEN g % 10 < 6 THEN 'ended' WHEN g % 10 = 6 THEN 'handoff' ELSE 'waiting' END)::conversation_status,
             s, s + interval '40 seconds', CASE WHEN g % 10 < 6 THEN s + interval '40 seconds' END,
             CASE WHEN g % 10 = 6 THEN s + interval '30 seconds' END, 8, 3, CASE WHEN g % 7 = 0 THEN 1 + g % 5 END,
             s + interval '40 seconds'
           -- Correlated (g): an uncorrelated LATERAL is evaluated once, and every conversation of the chunk
           -- started at the same instant (a 10M database had 100 start times, so a few hundred rollup rows).
           FROM generate_series($5::int, $6::int) g,
             LATERAL (SELECT now() - ((random() + 0 * g) * interval '365 days') AS s) t
           RETURNING id, tenant_id, bot_id, flow_version_id, started_at, status
         )
         INSERT INTO analytics_events (id, tenant_id, type, bot_id, flow_version_id, conversation_id, properties,
           occurred_at, created_at)
         SELECT gen_random_uuid()::text, c.tenant_id, e.type, c.bot_id, c.flow_version_id, c.id, e.properties,
           c.started_at + e.k * interval '10 seconds', c.started_at + e.k * interval '10 seconds'
         FROM c
         -- Correlated (c.id), so each conversation draws its own numbers.
         CROSS JOIN LATERAL (SELECT random() + 0 * length(c.id) AS x, random() + 0 * length(c.id) AS y) r
         CROSS JOIN LATERAL (VALUES
           (0, 'conversation.started', '{"channel":"api"}'::jsonb),
           (1, 'turn', '{"nodes":["start","greeting","ask-name"],"entered":["start","greeting","ask-name"],"messages":3}'::jsonb),
           (2, 'turn', '{"nodes":["ask-name","ask-size"],"entered":["ask-size"],"messages":2}'::jsonb),
           (3, 'turn', CASE WHEN c.status = 'waiting' THEN '{"nodes":["ask-size"],"entered":[],"messages":1}'::jsonb
              ELSE '{"nodes":["ask-size","ask-phone","check-size","confirmation","order-placed"],"entered":["ask-phone","check-size","confirmation","order-placed"],"messages":2}'::jsonb END),
           (4, CASE WHEN c.status = 'waiting' THEN 'llm.call' ELSE 'conversation.ended' END,
              CASE WHEN c.status = 'waiting'
                THEN jsonb_build_object('provider', CASE WHEN r.x < 0.6 THEN 'openai' ELSE 'anthropic' END,
                  'model', CASE WHEN r.x < 0.3 THEN 'gpt-a' WHEN r.x < 0.6 THEN 'gpt-b' ELSE 'claude-c' END,
                  'route', 'default', 'costUsd', round((0.0005 + r.x * 0.002)::numeric, 6),
                  'inputTokens', 100 + (r.x * 400)::int, 'outputTokens', 20 + (r.x * 80)::int,
                  'latencyMs', 50 + (r.y * r.y * 3000)::int, 'cacheHit', r.y < 0.2, 'fallbackPosition',
                  CASE WHEN r.y > 0.95 THEN 1 ELSE 0 END, 'outcome', CASE WHEN r.y > 0.98 THEN 'error' ELSE 'ok' END)
                ELSE '{"turns":3,"completed":true}'::jsonb END)
         ) AS e(k, type, properties)`,
        [tenantId, botId, version!.flow_id, version!.id, done + 1, done + n],
      );
    }
    await client.query("ANALYZE conversations; ANALYZE analytics_events;");
  } finally {
    await client.end();
  }
  const [count] = await db.$queryRawUnsafe<{ n: bigint }[]>(
    "SELECT count(*) AS n FROM analytics_events WHERE tenant_id = $1",
    tenantId,
  );
  return {
    events: Number(count?.n ?? 0),
    conversations: total,
    seedMs: Math.round(performance.now() - started),
  };
}

async function time(fn: () => Promise<unknown>) {
  const samples: number[] = [];
  await fn(); // warm-up (plans, caches)
  for (let i = 0; i < QUERIES; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** Rolls the grown tenant up and compacts it (in process, as the runtime's sweep would), then times the dashboard. */
async function dashboard(
  backend: Backend,
  seeded: Awaited<ReturnType<typeof seed>>,
  already?: Awaited<ReturnType<typeof grow>>,
) {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-analytics-"));
  const infra = await createInfrastructure({ dataDir, withQueue: false });
  try {
    const deps = { db: backend.db, infra } as CoreDeps;
    const grown = already ?? (await grow(backend, seeded.tenantId, seeded.botId));
    const rollStarted = performance.now();
    const rollDeps = { ...deps, clock: { now: () => Date.now() + 2 * 60_000 } };
    let runs = 0;
    let rolledConversations = 0;
    for (;;) {
      const outcome = await rollUpTenant(rollDeps, seeded.tenantId);
      runs += 1;
      rolledConversations += outcome.conversations;
      if (!outcome.moreConversations && !outcome.moreEvents) break;
    }
    const rollupMs = Math.round(performance.now() - rollStarted);
    await backend.db.system
      .$executeRawUnsafe(
        "ANALYZE analytics_rollups; ANALYZE analytics_cohort_rollups; ANALYZE analytics_cost_rollups; ANALYZE analytics_path_rollups; ANALYZE analytics_conversation_facts;",
      )
      .catch(() => undefined);
    const ctx: ServiceContext = {
      deps,
      tenantId: seeded.tenantId,
      actor: { type: "system", label: "bench" },
    };
    const year = {
      from: new Date(Date.now() - 366 * DAY_MS).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const month = { from: new Date(Date.now() - 30 * DAY_MS).toISOString(), to: year.to };
    const [flow] = await backend.db.system.$queryRawUnsafe<{ id: string }[]>(
      "SELECT id FROM flows WHERE tenant_id = $1 AND bot_id = $2 LIMIT 1",
      seeded.tenantId,
      seeded.botId,
    );
    const summary = await getBotAnalyticsSummary(ctx, seeded.botId, year);
    return {
      events: grown.events,
      conversations: grown.conversations,
      seedMs: grown.seedMs,
      seedEventsPerSecond: Math.round(grown.events / (grown.seedMs / 1000)),
      rollupMs,
      rollupRuns: runs,
      rolledConversations,
      yearSummaryConversations: summary.conversations,
      botSummaryYear: await time(() => getBotAnalyticsSummary(ctx, seeded.botId, year)),
      botSummary30Days: await time(() => getBotAnalyticsSummary(ctx, seeded.botId, month)),
      timeseriesYearByDay: await time(() =>
        getBotTimeseries(ctx, seeded.botId, { metric: "conversations", interval: "day", ...year }),
      ),
      workspaceSummaryYear: await time(() => getWorkspaceAnalyticsSummary(ctx, year)),
      nodeDropOff30Days: await time(() => getFlowNodeAnalytics(ctx, flow!.id, month)),
      nodeDropOffYear: await time(() => getFlowNodeAnalytics(ctx, flow!.id, year)),
      costsYearByProvider: await time(() => getLlmCosts(ctx, { groupBy: "provider", ...year })),
    };
  } finally {
    await infra.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * BENCH_ANALYTICS_STAGE=seed: a fresh database grown to EVENTS events, kept; prints its URL, tenant and bot.
 * BENCH_ANALYTICS_STAGE=measure with BENCH_ANALYTICS_DATABASE_URL (and _TENANT, _BOT from the seed stage):
 * migrates that database to this checkout's schema, rolls it up with this checkout's code and times the
 * dashboard; BENCH_ANALYTICS_DROP=1 drops it afterwards. Splits a long 10M run so the code measured can
 * change after the (long) seeding.
 */
async function staged(stage: string) {
  if (stage === "seed") {
    const backend = await postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL);
    if ("skipped" in backend) return { skipped: backend.skipped };
    const seeded = await seed(backend.db);
    const grown = await grow(backend, seeded.tenantId, seeded.botId);
    await backend.db.close();
    return { databaseUrl: backend.runtimeEnv.DATABASE_URL, ...seeded, ...grown };
  }
  const url = process.env.BENCH_ANALYTICS_DATABASE_URL;
  const tenantId = process.env.BENCH_ANALYTICS_TENANT;
  const botId = process.env.BENCH_ANALYTICS_BOT;
  if (!url || !tenantId || !botId)
    throw new Error("measure needs BENCH_ANALYTICS_DATABASE_URL, _TENANT, _BOT");
  const db = await openDatabase({ url });
  await db.migrate();
  const backend = { name: "postgresRedis", db, runtimeEnv: { DATABASE_URL: url } } as unknown as Backend;
  const [count] = await db.system.$queryRawUnsafe<{ n: bigint; c: bigint }[]>(
    `SELECT (SELECT count(*) FROM analytics_events WHERE tenant_id = $1) AS n,
            (SELECT count(*) FROM conversations WHERE tenant_id = $1) AS c`,
    tenantId,
  );
  try {
    return await dashboard(
      backend,
      { tenantId, botId, key: "" },
      {
        events: Number(count?.n ?? 0),
        conversations: Number(count?.c ?? 0),
        seedMs: Number.NaN,
      },
    );
  } finally {
    await db.close();
    if (process.env.BENCH_ANALYTICS_DROP) {
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
    }
  }
}

async function runBackend(name: string) {
  const backend: Backend | Skipped =
    name === "embedded" ? await embeddedBackend() : await postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL);
  if ("skipped" in backend) return { skipped: backend.skipped };
  try {
    const seeded = await seed(backend.db);
    if (!PARTS.includes("ingest"))
      return { dashboard: { ...(await dashboard(backend, seeded)), targetP95Ms: 300 } };
    const off = await ingest(backend, seeded, 0);
    off.client.close();
    await stop(off.runtime.child);
    // The sweep alone (ingest overhead), then the sweep with a dashboard polling the summary every second.
    const sweep = await ingest(backend, seeded, ROLLUP_MS, false);
    sweep.client.close();
    await stop(sweep.runtime.child);
    const on = await ingest(backend, seeded, ROLLUP_MS);
    let fresh: Awaited<ReturnType<typeof freshness>>;
    try {
      fresh = await freshness(on.runtime.url, seeded, on.client);
    } finally {
      on.client.close();
      await stop(on.runtime.child);
    }
    const drop = 1 - on.result.turnsPerSecond / off.result.turnsPerSecond;
    return {
      ingest: {
        users: USERS,
        durationMs: DURATION_MS,
        analyticsOff: {
          cpuMsPerTurn: off.cpuMsPerTurn,
          loadAverage: off.loadAverage,
          turnsPerSecond: off.result.turnsPerSecond,
          p95Ms: off.result.p95Ms,
          errors: off.result.errors,
        },
        analyticsOn: {
          cpuMsPerTurn: on.cpuMsPerTurn,
          loadAverage: on.loadAverage,
          turnsPerSecond: on.result.turnsPerSecond,
          p95Ms: on.result.p95Ms,
          errors: on.result.errors,
          dashboardReads: on.dashboardReads,
          rollupEveryMs: ROLLUP_MS,
        },
        sweepOnly: {
          cpuMsPerTurn: sweep.cpuMsPerTurn,
          loadAverage: sweep.loadAverage,
          turnsPerSecond: sweep.result.turnsPerSecond,
          errors: sweep.result.errors,
          throughputDropPercent: round((1 - sweep.result.turnsPerSecond / off.result.turnsPerSecond) * 100),
          cpuPerTurnRatio: round(sweep.cpuMsPerTurn.total / off.cpuMsPerTurn.total),
          throughputDropByCpuPercent: round((1 - off.cpuMsPerTurn.total / sweep.cpuMsPerTurn.total) * 100),
        },
        throughputDropPercent: round(drop * 100),
        // The machine is shared: CPU per turn (runtime process, sweep included, + this database's
        // backends) is the steadier figure; the drop it implies at a fixed CPU budget is 1 - off/on.
        cpuPerTurnRatio: round(on.cpuMsPerTurn.total / off.cpuMsPerTurn.total),
        throughputDropByCpuPercent: round((1 - off.cpuMsPerTurn.total / on.cpuMsPerTurn.total) * 100),
        targetMaxDropPercent: 10,
      },
      freshness: { ...fresh, targetP95Ms: 5_000 },
      ...(PARTS.includes("dashboard")
        ? { dashboard: { ...(await dashboard(backend, seeded)), targetP95Ms: 300 } }
        : {}),
    };
  } finally {
    // BENCH_ANALYTICS_KEEP_DB=1 keeps the grown database for EXPLAIN (its URL goes to stderr; drop it after).
    if (process.env.BENCH_ANALYTICS_KEEP_DB) console.error(`kept ${backend.runtimeEnv.DATABASE_URL}`);
    else await backend.close();
  }
}

const results: Record<string, unknown> = {};
const STAGE = process.env.BENCH_ANALYTICS_STAGE;
if (STAGE) results.postgresRedis = { [STAGE]: await staged(STAGE) };
else for (const name of BACKENDS) results[name] = await runBackend(name);
console.log(
  JSON.stringify({ bench: "analytics", events: EVENTS, queries: QUERIES, backends: results }, null, 2),
);
process.exit(0);
