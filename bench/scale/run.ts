/**
 * Scale benchmark: `npm run bench:scale -w @parley/bench` prints ONE JSON object.
 *
 * Does a turn on a resident conversation cost the same with a million conversations in the database
 * as with a thousand? On Postgres + Redis, a runtime process serves the pizza flow. One real
 * conversation is played to the size question; its row (engine snapshot, variables) is the template
 * of every resident conversation, cloned with generate_series in one statement per chunk, each with
 * MESSAGES_PER_CONVERSATION messages of history. Secondary indexes of the two tables are dropped
 * while seeding and rebuilt after (much faster than maintaining them row by row), as one would
 * bulk-load. At each stage, closed-loop users answer the size question of random resident
 * conversations (each once), and the list and full-text search endpoints are sampled. Reported per
 * stage: turn p50/p95 and its ratio to the first stage (target: p95 within 20%), list and search p95
 * (target under 300 ms), Postgres bytes per conversation and per message, and the Redis keys and bytes
 * under the runtime's prefix (the hot cache must not hold every idle conversation).
 *
 * BENCH_SCALE_STAGES (resident conversations per stage, default 1000,100000; the issue's figure:
 * 1000,1000000, about 10 minutes of seeding per million on a 2-core machine), BENCH_SCALE_TURNS (turns
 * per stage, default 2000), BENCH_USERS (20), BENCH_POSTGRES_URL, BENCH_REDIS_URL.
 */
import { createHash } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { Redis } from "ioredis";
import { type Backend, postgresRedisBackend } from "../runtime/backends";
import { JsonClient, percentile } from "../runtime/load";
import { startRuntimeProcess, stop } from "../runtime/processes";
import { seed } from "../runtime/seed";

const STAGES = (process.env.BENCH_SCALE_STAGES ?? "1000,100000").split(",").map(Number);
const TURNS = Number(process.env.BENCH_SCALE_TURNS ?? 2_000);
const USERS = Number(process.env.BENCH_USERS ?? 20);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const MESSAGES_PER_CONVERSATION = 10;
/** Conversations cloned per statement. */
const CHUNK = 50_000;
const SAMPLES = 30;

const round = (value: number) => Math.round(value * 100) / 100;

/** The resident conversation number `n`'s id: a UUID derived from n, so the load can name any of them. */
function residentId(n: number): string {
  const hex = createHash("md5").update(`parley-scale-${n}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Plays one conversation to the size question and returns its id (the template of the residents). */
async function templateConversation(url: string, key: string, botId: string): Promise<string> {
  const client = new JsonClient(url, key, 1);
  try {
    const started = await client.post(`/api/v1/bots/${botId}/conversations`, {});
    const reply = await client.post(`/api/v1/conversations/${started.conversationId}/messages`, {
      text: "Template User",
    });
    if (reply.status !== "waiting")
      throw new Error(`the template should wait for the size, got ${reply.status}`);
    return started.conversationId!;
  } finally {
    client.close();
  }
}

/** Non-unique indexes of a table, to drop while bulk-loading (unique ones back keys and foreign keys). */
async function secondaryIndexes(backend: Backend, table: string) {
  return backend.db.system.$queryRawUnsafe<{ indexname: string; indexdef: string }[]>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.tablename = $1 AND i.schemaname = current_schema()
       AND i.indexdef NOT LIKE 'CREATE UNIQUE %'`,
    table,
  );
}

/** Clones the template until `target` resident conversations exist (ids residentId(1..target)). */
async function growTo(backend: Backend, templateId: string, from: number, target: number) {
  const db = backend.db.system;
  const columns = (
    await db.$queryRawUnsafe<{ column_name: string }[]>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = 'conversations' AND table_schema = current_schema()
         AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    )
  ).map((row) => row.column_name);
  const overridden: Record<string, string> = {
    id: "md5('parley-scale-' || n)::uuid::text",
    last_seq: String(MESSAGES_PER_CONVERSATION),
    created_at: "now() - make_interval(mins => n % 43200)",
    updated_at: "now() - make_interval(mins => n % 43200)",
  };
  const select = columns.map((column) => overridden[column] ?? `t.${column}`).join(", ");
  const indexes = [
    ...(await secondaryIndexes(backend, "messages")),
    ...(await secondaryIndexes(backend, "conversations")),
  ];
  const started = performance.now();
  for (const index of indexes) await db.$executeRawUnsafe(`DROP INDEX ${index.indexname}`);
  for (let first = from + 1; first <= target; first += CHUNK) {
    const last = Math.min(target, first + CHUNK - 1);
    await db.$executeRawUnsafe(
      `INSERT INTO conversations (${columns.join(", ")})
       SELECT ${select} FROM conversations t, generate_series($2::int, $3::int) n WHERE t.id = $1`,
      templateId,
      first,
      last,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text, node_id, created_at)
       SELECT gen_random_uuid()::text, t.tenant_id, md5('parley-scale-' || n)::uuid::text, s,
         CASE WHEN s % 2 = 0 THEN 'user'::message_author ELSE 'bot'::message_author END,
         CASE WHEN s % 2 = 0 THEN jsonb_build_object('type', 'user_text', 'text', 'Customer ' || n || ' order ' || s)
           ELSE jsonb_build_object('type', 'text', 'text', 'What size would you like?',
             'quickReplies', jsonb_build_array(jsonb_build_object('label', 'Small', 'value', 'small'),
               jsonb_build_object('label', 'Large', 'value', 'large'))) END,
         CASE WHEN s % 2 = 0 THEN 'Customer ' || n || ' order ' || s ELSE 'What size would you like?' END,
         CASE WHEN s % 2 = 0 THEN NULL ELSE 'ask-size' END,
         now() - make_interval(mins => n % 43200, secs => ${MESSAGES_PER_CONVERSATION} - s)
       FROM conversations t, generate_series($2::int, $3::int) n, generate_series(1, ${MESSAGES_PER_CONVERSATION}) s
       WHERE t.id = $1`,
      templateId,
      first,
      last,
    );
  }
  const loadedMs = performance.now() - started;
  for (const index of indexes) await db.$executeRawUnsafe(index.indexdef);
  await db.$executeRawUnsafe("ANALYZE conversations");
  await db.$executeRawUnsafe("ANALYZE messages");
  return { loadMs: Math.round(loadedMs), indexMs: Math.round(performance.now() - started - loadedMs) };
}

/** Answers the size question of `count` distinct random residents with USERS users in a closed loop. */
async function residentTurns(url: string, key: string, resident: number, used: Set<number>, count = TURNS) {
  const client = new JsonClient(url, key, USERS);
  const queue: number[] = [];
  const wanted = Math.min(count, resident - used.size);
  while (queue.length < wanted) {
    const n = 1 + Math.floor(Math.random() * resident);
    if (used.has(n)) continue;
    used.add(n);
    queue.push(n);
  }
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, async () => {
      for (let n = queue.pop(); n !== undefined; n = queue.pop()) {
        const began = performance.now();
        try {
          const reply = await client.post(`/api/v1/conversations/${residentId(n)}/messages`, {
            choice: "large",
          });
          if (reply.status !== "waiting")
            throw new Error(`expected to wait for the phone, got ${reply.status}`);
          latencies.push(performance.now() - began);
        } catch (error) {
          if (errors.length < 3) errors.push(String((error as Error).message).slice(0, 200));
          else errors.push("");
        }
      }
    }),
  );
  client.close();
  const seconds = (performance.now() - started) / 1000;
  return {
    turns: latencies.length,
    turnsPerSecond: round(latencies.length / seconds),
    p50Ms: percentile(
      latencies.sort((a, b) => a - b),
      50,
    ),
    p95Ms: percentile(latencies, 95),
    errors: errors.length,
    errorSamples: errors.filter(Boolean),
  };
}

/** p95 of SAMPLES sequential GETs (the conversation list and full-text search). */
async function readP95(url: string, key: string, path: () => string) {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const began = performance.now();
    const response = await fetch(`${url}${path()}`, { headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${path()} answered ${response.status}`);
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
}

async function storage(backend: Backend) {
  const [row] = await backend.db.system.$queryRawUnsafe<
    { conversations_bytes: bigint; messages_bytes: bigint; conversations: bigint; messages: bigint }[]
  >(
    `SELECT pg_total_relation_size('conversations') AS conversations_bytes,
       pg_total_relation_size('messages') AS messages_bytes,
       (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages`,
  );
  return {
    conversations: Number(row!.conversations),
    messages: Number(row!.messages),
    bytesPerConversation: round(Number(row!.conversations_bytes) / Number(row!.conversations)),
    bytesPerMessage: round(Number(row!.messages_bytes) / Number(row!.messages)),
  };
}

/**
 * Keys and bytes (MEMORY USAGE) under the runtime's prefix, and the hot conversation cache's share
 * (entries live only for conversations with a turn within PARLEY_HOT_CACHE_TTL_SECONDS).
 */
async function redisFootprint(prefix: string) {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    let keys = 0;
    let bytes = 0;
    let hotCacheKeys = 0;
    let hotCacheBytes = 0;
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      keys += batch.length;
      for (const key of batch) {
        const size = Number((await redis.memory("USAGE", key)) ?? 0);
        bytes += size;
        if (key.startsWith(`${prefix}cache:conv:`)) {
          hotCacheKeys += 1;
          hotCacheBytes += size;
        }
      }
    } while (cursor !== "0");
    return { keys, bytes, hotCacheKeys, hotCacheBytes };
  } finally {
    redis.disconnect();
  }
}

const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const backend = await postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL);
if ("skipped" in backend) {
  process.stdout.write(`${JSON.stringify({ benchmark: "scale", skipped: backend.skipped })}\n`);
  process.exit(0);
}
let runtime: Awaited<ReturnType<typeof startRuntimeProcess>> | undefined;
const stages: Record<string, unknown>[] = [];
try {
  const pizza = await seed(backend.db);
  runtime = await startRuntimeProcess({ ...backend.runtimeEnv, RUNTIME_DB_MAINTENANCE_MINUTES: "0" });
  const templateId = await templateConversation(runtime.url, pizza.key, pizza.botId);
  const used = new Set<number>();
  let resident = 0;
  let first: number | undefined;
  for (const target of STAGES) {
    const seeding = await growTo(backend, templateId, resident, target);
    resident = target;
    // Unmeasured turns first, so the first stage does not pay for JIT compilation and cold caches.
    if (first === undefined)
      await residentTurns(runtime.url, pizza.key, resident, used, Math.ceil(TURNS / 10));
    const turns = await residentTurns(runtime.url, pizza.key, resident, used);
    first ??= turns.p95Ms;
    const list = await readP95(
      runtime.url,
      pizza.key,
      () => `/api/v1/bots/${pizza.botId}/conversations?limit=50`,
    );
    const search = await readP95(
      runtime.url,
      pizza.key,
      () =>
        `/api/v1/bots/${pizza.botId}/conversations?limit=50&q=${encodeURIComponent(`Customer ${1 + Math.floor(Math.random() * resident)}`)}`,
    );
    const stage = {
      residentConversations: resident,
      // Residents that never had a turn in this run: they must cost no Redis entry.
      idleResidents: resident - used.size,
      seeding,
      turns: { ...turns, p95RatioToFirstStage: round(turns.p95Ms / first) },
      list,
      search,
      postgres: await storage(backend),
      redis: await redisFootprint(backend.runtimeEnv.PARLEY_REDIS_PREFIX ?? "parley:"),
    };
    console.error(
      `scale: ${resident} resident conversations: turn p95 ${turns.p95Ms} ms, list p95 ${list.p95Ms} ms, search p95 ${search.p95Ms} ms`,
    );
    stages.push(stage);
  }
} finally {
  if (runtime) await stop(runtime.child);
  await backend.close();
}
const last = stages.at(-1) as
  | { turns: { p95RatioToFirstStage: number }; list: { p95Ms: number }; search: { p95Ms: number } }
  | undefined;
process.stdout.write(
  `${JSON.stringify({
    benchmark: "scale",
    flow: "pizza-order: the size answer of random resident conversations, closed loop",
    users: USERS,
    turnsPerStage: TURNS,
    messagesPerConversation: MESSAGES_PER_CONVERSATION,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    stages,
    target: {
      turnP95RatioAtMost: 1.2,
      turnP95Ratio: last?.turns.p95RatioToFirstStage ?? null,
      listAndSearchP95UnderMs: 300,
      listP95Ms: last?.list.p95Ms ?? null,
      searchP95Ms: last?.search.p95Ms ?? null,
    },
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
