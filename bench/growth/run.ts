/**
 * Growth benchmark: `npm run bench:growth -w @parley/bench` prints ONE JSON object.
 *
 * Does a turn cost the same on a big database as on a fresh one? A runtime process serves the pizza
 * flow (bench/runtime's seed) and the one-llm-node flow (bench/slow-model's, instant local model) on
 * a fresh database; at each stage the llm tenant is grown to the stage's
 * number of messages with generate_series (conversations of 10 messages each, payloads shaped like
 * the real ones, all in the measured tenant: the history query once read every index entry of the
 * tenant), then closed-loop users talk to the bot for BENCH_DURATION_MS and the runtime's and the
 * database's CPU per turn is read. Statistics are NOT refreshed between stages (autovacuum is off on
 * these machines): plans must not depend on them. Reported per stage: CPU per turn and its ratio to
 * the fresh stage (target <= 1.10), the llm-node turn's CPU over the pizza turn's (`llmToPlainCpuRatio`,
 * target <= 1.5), and storage per message (messages with indexes and TOAST; plus
 * conversations and analytics events per message).
 *
 * BENCH_GROWTH_STAGES (0,100000,300000; to one million: BENCH_GROWTH_STAGES=0,250000,1000000, about
 * a minute of seeding per 250,000 messages on a 2-core machine), BENCH_BACKENDS (postgresRedis;
 * `embedded` also works, slower to seed), BENCH_USERS (20), BENCH_DURATION_MS (10000),
 * BENCH_WARMUP_MS (2000).
 */
import { cpus, loadavg } from "node:os";
import { generateKeyringEntry } from "@parley/infra";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "../runtime/backends";
import { JsonClient, pizzaScript, runLoad, type Script } from "../runtime/load";
import { processCpuMs, startRuntimeProcess, startScript, stop } from "../runtime/processes";
import { seed } from "../runtime/seed";
import { storageBreakdown } from "../runtime/storage";
import { questionsScript } from "../slow-model/questions-script";
import { seedSlowModel } from "../slow-model/seed";

const STAGES = (process.env.BENCH_GROWTH_STAGES ?? "0,100000,300000").split(",").map(Number);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "postgresRedis").split(",");
const USERS = Number(process.env.BENCH_USERS ?? 20);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const MESSAGES_PER_CONVERSATION = 10;
/** Rows inserted per statement while growing (keeps each statement, and PGlite's memory, small). */
const CHUNK = 50_000;

const round = (value: number) => Math.round(value * 100) / 100;

async function messageCount(backend: Backend): Promise<number> {
  const [row] = await backend.db.system.$queryRawUnsafe<{ n: bigint }[]>(
    "SELECT count(*) AS n FROM messages",
  );
  return Number(row?.n ?? 0);
}

/** Adds conversations of the seeded bot with MESSAGES_PER_CONVERSATION messages each until `target`. */
async function growTo(backend: Backend, tenantId: string, botId: string, target: number): Promise<number> {
  const db = backend.db.system;
  const [version] = await db.$queryRawUnsafe<{ id: string; flow_id: string }[]>(
    "SELECT id, flow_id FROM flow_versions WHERE tenant_id = $1 AND bot_id = $2 LIMIT 1",
    tenantId,
    botId,
  );
  const started = performance.now();
  let count = await messageCount(backend);
  while (count < target) {
    const conversations = Math.ceil(Math.min(CHUNK, target - count) / MESSAGES_PER_CONVERSATION);
    const tag = `g${count}`;
    await db.$executeRawUnsafe(
      `INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status,
         last_seq, turn_count, variables, snapshot, updated_at)
       SELECT $5 || '-' || n, $1, $2, $3, $4, 'api', 'ended', ${MESSAGES_PER_CONVERSATION}, 4,
         '{"name":"User","size":"large","phone":"+1 555 123 4567"}', '{"value":"done"}', now()
       FROM generate_series(1, $6::int) n`,
      tenantId,
      botId,
      version!.flow_id,
      version!.id,
      tag,
      conversations,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, node_id, created_at)
       SELECT gen_random_uuid()::text, $1, $2 || '-' || c, s,
         CASE WHEN s % 2 = 0 THEN 'user'::message_author ELSE 'bot'::message_author END,
         CASE WHEN s % 2 = 0 THEN jsonb_build_object('type', 'text', 'text', 'User ' || c)
           ELSE jsonb_build_object('type', 'text', 'text', 'What size would you like?',
             'quickReplies', jsonb_build_array(jsonb_build_object('label', 'Small', 'value', 'small'),
               jsonb_build_object('label', 'Large', 'value', 'large'))) END,
         CASE WHEN s % 2 = 0 THEN 'User ' || c ELSE 'What size would you like?' END,
         CASE WHEN s % 2 = 0 THEN NULL ELSE 'ask-size' END,
         now() - make_interval(secs => c)
       FROM generate_series(1, $3::int) c, generate_series(1, ${MESSAGES_PER_CONVERSATION}) s`,
      tenantId,
      tag,
      conversations,
    );
    count += conversations * MESSAGES_PER_CONVERSATION;
  }
  return Math.round(performance.now() - started);
}

async function storage(backend: Backend) {
  const breakdown = await storageBreakdown(backend.db);
  const total = (name: string) => breakdown.tables[name]?.total ?? 0;
  return {
    messages: breakdown.messages,
    bytesPerMessage: total("messages"),
    conversationBytesPerMessage: total("conversations"),
    analyticsBytesPerMessage: total("analytics_events"),
    hotTablesBytesPerMessage: breakdown.bytesPerMessage,
    storage: breakdown,
  };
}

async function turnCpu(
  url: string,
  runtimePid: number | undefined,
  backend: Backend,
  key: string,
  script: (client: JsonClient) => Script,
) {
  const client = new JsonClient(url, key, USERS);
  // Per pid: a Postgres backend that exits inside the window must not subtract its whole life.
  const reading = async () => ({
    runtime: processCpuMs(runtimePid),
    database: new Map((await backend.databasePids()).map((pid) => [pid, processCpuMs(pid)])),
  });
  let first: ReturnType<typeof reading> | undefined;
  let last: ReturnType<typeof reading> | undefined;
  const result = await runLoad(
    client,
    script(client),
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
  client.close();
  const [before, after] = [await first!, await last!];
  const turns = Math.max(1, result.completedInWindow);
  const runtime = round((after.runtime - before.runtime) / turns);
  let databaseMs = 0;
  for (const [pid, ms] of after.database) databaseMs += ms - (before.database.get(pid) ?? ms);
  const database = round(databaseMs / turns);
  return {
    turnsPerSecond: result.turnsPerSecond,
    p50Ms: result.p50Ms,
    p95Ms: result.p95Ms,
    errors: result.errors,
    cpuMsPerTurn: { runtime, database, total: round(runtime + database) },
  };
}

async function benchBackend(open: () => Promise<Backend | Skipped>, modelBaseUrl: string) {
  const backend = await open();
  if ("skipped" in backend) return backend;
  let runtime: Awaited<ReturnType<typeof startRuntimeProcess>> | undefined;
  try {
    const pizza = await seed(backend.db);
    const secretKey = generateKeyringEntry("bench");
    const llm = await seedSlowModel(backend.db, { modelBaseUrl, delaysMs: [0], secretKey });
    const llmBot = llm.botByDelayMs.get(0)!;
    const [llmTenant] = await backend.db.system.$queryRawUnsafe<{ tenant_id: string }[]>(
      "SELECT tenant_id FROM bots WHERE id = $1",
      llmBot,
    );
    // The runtime's own maintenance would refresh statistics; the point is plans that need none.
    runtime = await startRuntimeProcess({
      ...backend.runtimeEnv,
      PARLEY_SECRET_KEY: secretKey,
      RUNTIME_ALLOW_LOOPBACK_HTTP: "true",
      RUNTIME_DB_MAINTENANCE_MINUTES: "0",
    });
    const flows = {
      pizza: { key: pizza.key, script: (_client: JsonClient) => pizzaScript(pizza.botId) },
      llmNode: { key: llm.key, script: (client: JsonClient) => questionsScript(client, llmBot) },
    };
    // Unmeasured load first: the fresh stage must not pay for JIT compilation.
    for (const flow of Object.values(flows)) {
      const client = new JsonClient(runtime.url, flow.key, USERS);
      await runLoad(client, flow.script(client), {
        users: USERS,
        warmupMs: 0,
        durationMs: 3_000,
        thinkMs: 0,
      });
      client.close();
    }
    const stages: Record<string, unknown>[] = [];
    const fresh: Record<string, number> = {};
    for (const target of STAGES) {
      // Grown in the llm tenant: its history query is the one that once read every index entry of the tenant.
      const seedMs = await growTo(backend, llmTenant!.tenant_id, llmBot, target);
      const stage: Record<string, unknown> = { targetMessages: target, seedMs };
      for (const [name, flow] of Object.entries(flows)) {
        const load = await turnCpu(runtime.url, runtime.child.pid, backend, flow.key, flow.script);
        fresh[name] ??= load.cpuMsPerTurn.total;
        stage[name] = { ...load, cpuRatioToFresh: round(load.cpuMsPerTurn.total / fresh[name]!) };
        console.error(
          `${backend.name}: ${target} messages, ${name}: ${load.cpuMsPerTurn.total} ms CPU per turn`,
        );
      }
      const cpuOf = (name: string) =>
        (stage[name] as { cpuMsPerTurn: { total: number } } | undefined)?.cpuMsPerTurn.total;
      const [plain, llm] = [cpuOf("pizza"), cpuOf("llmNode")];
      // Issue 19: an llm-node turn (instant model) costs at most 1.5x the CPU of a plain turn.
      if (plain && llm) stage.llmToPlainCpuRatio = round(llm / plain);
      stages.push({ ...stage, ...(await storage(backend)) });
    }
    const last = stages.at(-1) as Record<string, { cpuRatioToFresh: number }> | undefined;
    return {
      stages,
      target: {
        cpuRatioToFreshAtMost: 1.1,
        pizza: last?.pizza?.cpuRatioToFresh ?? null,
        llmNode: last?.llmNode?.cpuRatioToFresh ?? null,
      },
    };
  } finally {
    if (runtime) await stop(runtime.child);
    await backend.close();
  }
}

const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const results: Record<string, unknown> = {};
const model = await startScript("bench/slow-model/model-server.ts");
try {
  if (BACKENDS.includes("postgresRedis")) {
    results.postgresRedis = await benchBackend(
      () => postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL),
      model.url,
    );
  }
  if (BACKENDS.includes("embedded"))
    results.embedded = await benchBackend(() => embeddedBackend(), model.url);
} finally {
  await stop(model.child);
}
process.stdout.write(
  `${JSON.stringify({
    benchmark: "growth",
    flow: "pizza-order (start + 3 answers per conversation), closed loop",
    users: USERS,
    durationMs: DURATION_MS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    ...results,
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
